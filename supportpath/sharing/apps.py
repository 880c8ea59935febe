from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "supportpath.sharing"
    label = "sharing"
    verbose_name = "Sharing agreements"

    def ready(self) -> None:
        from supportpath.referrals import seams as referrals_seams

        from .agreement import allows
        from .choices import Audience, Item
        from .export import register

        register()
        referrals_seams.employer_may_be_told.plug(lambda request: allows(request, Audience.EMPLOYER, Item.STAGE))
