from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "supportpath.plans"
    label = "plans"
    verbose_name = "Support plans"
