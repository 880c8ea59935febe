from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "supportpath.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_sign_in_time

        user_logged_in.connect(remember_sign_in_time, dispatch_uid="remember_sign_in_time")
