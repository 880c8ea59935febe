from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "supportpath.casework"
    label = "casework"
    verbose_name = "Cases and the support pathway"
