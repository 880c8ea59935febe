from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "supportpath.facilitation"
    label = "facilitation"
    verbose_name = "Facilitators and allocation"
