from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "supportpath.closure"
    label = "closure"
    verbose_name = "Closure: ending support, handing over, the doctor's exit feedback and peer-supporter offers"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        # One file for the doctor's reviews, milestones and closing (progress.json), as before closure was an app:
        # progress's rows, then the exit feedback.
        register_section("progress", "Your reviews, milestones and closing", export.progress_and_feedback, order=80)
