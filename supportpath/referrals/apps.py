from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "supportpath.referrals"
    label = "referrals"
    verbose_name = "Routes into support"

    def ready(self) -> None:
        from supportpath.accounts.signals import password_chosen

        from .referral_services import finish_invitations_on_password_chosen

        password_chosen.connect(finish_invitations_on_password_chosen, dispatch_uid="referrals.finish_invitations")
