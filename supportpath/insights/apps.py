from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "supportpath.insights"
    label = "insights"
    verbose_name = "Service insights and equity of access"

    def ready(self) -> None:
        from supportpath.core.home_panels import STAFF_HOME, register_panel

        from . import presenters, writer

        writer.connect()
        register_panel("insights/_home_panel.jinja", presenters.home_panel, page=STAFF_HOME)
