from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "supportpath.insights"
    label = "insights"
    verbose_name = "Service insights and equity of access"

    def ready(self) -> None:
        from . import writer

        writer.connect()
