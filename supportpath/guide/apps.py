from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "supportpath.guide"
    label = "guide"
    verbose_name = "The guide"

    def ready(self) -> None:
        from supportpath.core.guidance import register_panels

        from .content import panel_for

        register_panels(panel_for)
