from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "supportpath.measures"
    label = "measures"
    verbose_name = "Measures and check-ins, with the safety net"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section("questionnaires", "Your questionnaires and check-ins", export.questionnaires, order=85)
