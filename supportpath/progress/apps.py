from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "supportpath.progress"
    label = "progress"
    verbose_name = "Progress and outcomes: reviews, milestones, reassessment, closure"
