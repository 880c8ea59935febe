from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "supportpath.facilitation"
    label = "facilitation"
    verbose_name = "Facilitators and allocation"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export, signals

        signals.connect()

        register_section("facilitators", "Your facilitators and preferences", export.facilitators, order=70)
