from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "supportpath.progress"
    label = "progress"
    verbose_name = "Progress and outcomes: reviews, milestones, reassessment, closure"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export, worklist

        worklist.connect()
        register_section("progress", "Your reviews, milestones and closing", export.progress, order=80)
