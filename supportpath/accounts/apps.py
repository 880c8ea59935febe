from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supportpath.accounts"
    label = "accounts"
    verbose_name = "People and organisations"
