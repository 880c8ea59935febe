from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "supportpath.casework"
    label = "casework"
    verbose_name = "Cases and the support pathway"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section
        from supportpath.core.jinja import register_global

        from . import export, long_select

        register_section("cases", "Your support cases", export.cases, order=30)
        register_global("remembered_select", long_select.remembered_select)
        register_global("remembered_pagination", long_select.remembered_pagination)
