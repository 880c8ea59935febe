from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "supportpath.pathway"
    label = "pathway"
    verbose_name = "The support pathway: conversation, needs and sessions"
