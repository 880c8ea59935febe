from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "supportpath.closure"
    label = "closure"
    verbose_name = "Closure: ending support, handing over, the doctor's exit feedback and peer-supporter offers"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section("closure", "Your feedback when support ended", export.feedback, order=81)
