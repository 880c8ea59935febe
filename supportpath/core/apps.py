from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "supportpath.core"
    label = "core"
    verbose_name = "Core"
