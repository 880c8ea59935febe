from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic, clearly fictional demo data. Never installed in production."""

    name = "supportpath.demo"
    label = "demo"
    verbose_name = "Demo data"
