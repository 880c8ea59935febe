from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "supportpath.referrals"
    label = "referrals"
    verbose_name = "Routes into support"

    def ready(self) -> None:
        from supportpath.accounts.signals import password_chosen
        from supportpath.audit.data_export import register_section

        from . import employer_copy, export
        from .referral_services import finish_invitations_on_password_chosen

        register_section("support-requests", "Your requests and referrals", export.support_requests, order=20)
        register_section("consents", "Your consents to handovers", export.consents, order=90)

        employer_copy.connect()
        password_chosen.connect(finish_invitations_on_password_chosen, dispatch_uid="referrals.finish_invitations")
