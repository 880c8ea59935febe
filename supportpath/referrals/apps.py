from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "supportpath.referrals"
    label = "referrals"
    verbose_name = "Routes into support"
