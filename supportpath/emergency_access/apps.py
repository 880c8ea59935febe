from django.apps import AppConfig


class EmergencyAccessConfig(AppConfig):
    name = "supportpath.emergency_access"
    label = "emergency_access"
    verbose_name = "Emergency access"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from .export import emergency_accesses

        register_section("emergency-access", "Emergency access to your record", emergency_accesses, order=105)
