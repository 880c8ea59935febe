from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "supportpath.notifications"
    label = "notifications"
    verbose_name = "Email"
