from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "supportpath.service"
    label = "service"
    verbose_name = "Your service: staff and organisations"
