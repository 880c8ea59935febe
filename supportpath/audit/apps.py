from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "supportpath.audit"
    label = "audit"
    verbose_name = "Audit and privacy"

    def ready(self) -> None:
        from .export_sections import register_all

        register_all()
