from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic, clearly fictional demo data. Never installed in production."""

    name = "supportpath.demo"
    label = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from . import builders, insights_stage, theory_stage

        # The insights' history uses the request builder of ``builders``, so it joins the stages from here; the
        # programme theory comes last, as its report reads the whole history.
        builders.STAGES.extend([*insights_stage.STAGES, theory_stage.seed_theory])
