from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "supportpath.sharing"
    label = "sharing"
    verbose_name = "Sharing agreements"

    def ready(self) -> None:
        from supportpath.plans import seams as plans_seams
        from supportpath.referrals import seams as referrals_seams

        from . import agreement, presenters, wall
        from .agreement import allows
        from .choices import Audience, Item
        from .export import register

        register()
        # What referrals asks of the sharing agreement (referrals/seams.py; docs/adr/0004-layers.md).
        referrals_seams.employer_may_be_told.plug(lambda request: allows(request, Audience.EMPLOYER, Item.STAGE))
        referrals_seams.start_agreement.plug(agreement.start)
        referrals_seams.record_self_referral_answer.plug(agreement.record_self_referral_answer)
        referrals_seams.referrer_status.plug(wall.referrer_status)
        referrals_seams.referrer_sees_stage.plug(wall.referrer_sees_stage)
        referrals_seams.shared_with_referrer.plug(lambda referral: wall.disclose(referral, Audience.REFERRER))
        referrals_seams.referrer_card.plug(presenters.referrer_card)
        # What plans asks of it: the plan proposes sharing and shows what is shared now (plans/seams.py).
        plans_seams.sharing_audiences.plug(agreement.audiences_for)
        plans_seams.shared_grants.plug(agreement.grants_for)
        plans_seams.shared_now_rows.plug(presenters.shared_now_rows)
        plans_seams.sharing_allows.plug(allows)
        plans_seams.add_plan_grants.plug(agreement.add_from_plan)
