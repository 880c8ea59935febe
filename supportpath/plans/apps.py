from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "supportpath.plans"
    label = "plans"
    verbose_name = "Support plans"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section("support-plans", "Your support plans, every version", export.plan_versions, order=50)
