from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic, clearly fictional demo data. Never installed in production."""

    name = "supportpath.demo"
    label = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from . import builders, insights_stage

        # The insights' history uses the request builder of ``builders``, so it joins the stages from here.
        builders.STAGES.extend(insights_stage.STAGES)
