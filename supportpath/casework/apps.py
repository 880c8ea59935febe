from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "supportpath.casework"
    label = "casework"
    verbose_name = "Cases and the support pathway"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section("cases", "Your support cases", export.cases, order=30)
