from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "supportpath.facilitation"
    label = "facilitation"
    verbose_name = "Facilitators and allocation"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section
        from supportpath.casework import date_order

        from . import export, services, signals

        date_order.register("session", services.accepted_on)

        signals.connect()

        register_section("facilitators", "Your facilitators and preferences", export.facilitators, order=70)
