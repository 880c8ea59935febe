from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "supportpath.sharing"
    label = "sharing"
    verbose_name = "Sharing agreements"

    def ready(self) -> None:
        from .export import register

        register()
