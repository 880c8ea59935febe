from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "supportpath.plans"
    label = "plans"
    verbose_name = "Support plans"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section
        from supportpath.casework import date_order
        from supportpath.core.jinja import register_global
        from supportpath.scoring import gas

        from . import export, services

        register_global("gas_level_name", gas.LEVEL_NAMES.get)
        date_order.register("review", services.agreed_on)

        register_section("support-plans", "Your support plans, every version", export.plan_versions, order=50)
