from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "supportpath.culture"
    label = "culture"
    verbose_name = "Organisational culture"
