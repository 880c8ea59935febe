from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supportpath.accounts"
    label = "accounts"
    verbose_name = "People and organisations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from supportpath.core import views as core_views

        from .middleware import remember_sign_in_time
        from .roles import home_url_for

        user_logged_in.connect(remember_sign_in_time, dispatch_uid="remember_sign_in_time")
        core_views.register_home(home_url_for)
