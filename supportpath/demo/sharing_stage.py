"""Demo stage for sharing agreements: a mandated referral's fixed minimum, the self-referrals' answer about the
employer, some referred doctors letting the referrer see the stage, and some plans proposing sharing with the
person who referred or the responsible officer, added when the doctor agreed the plan (``plans.services.agree``,
in the stages after this one).

Requests that already have an agreement are left alone, and every choice is drawn from a generator seeded by
the request, so running the demo again changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportpath.casework.models import Case
from supportpath.plans import content as plan_content
from supportpath.referrals.models import Route
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.sharing.models import SharingAgreement

from .people import GMC_NAMED_START
from .planning import rng_for

if TYPE_CHECKING:
    from .demo_state import Demo

ROYAL = "royal"
# Dr Grace Adeyemi-Marsh (referred by occupational health, in support at the Royal Infirmary) shares her goals
# with the person who referred her and her goals and milestones with her responsible officer, so that the demo
# always shows both views.
GRACE_GMC = str(GMC_NAMED_START + 2)


def plan_proposal(case: Case) -> dict[str, list[str]]:
    """The sharing a demo plan proposes (its own generator, so the plan's other draws are unchanged)."""
    sharing = {part: [] for part in plan_content.PARTS}
    request = case.request
    if request.doctor.gmc_number == GRACE_GMC:
        sharing["goals"] = ["referrer", "responsible_officer"]
        sharing["milestones"] = ["responsible_officer"]
        return sharing
    rng = rng_for("plan-sharing", request.submission_token)
    if request.route != Route.SELF and rng.random() < 0.35:
        sharing["goals"].append("referrer")
        sharing["milestones"].append("referrer")
    if request.doctor.employer_id and rng.random() < 0.3:
        sharing["goals"].append("responsible_officer")
        sharing["review_outcomes"].append("responsible_officer")
    return sharing


def seed_sharing(demo: Demo) -> None:
    requests = list(demo.drawn_requests.values())
    have = set(SharingAgreement.objects.filter(request__in=requests).values_list("request_id", flat=True))
    made = 0
    for request in requests:
        if request.pk in have:
            continue
        rng = rng_for("sharing", request.submission_token)
        agreement.start(request)
        doctor = request.doctor.user
        if request.route == Route.SELF:
            agreement.record_self_referral_answer(request, employer_may_be_told=rng.random() < 0.4)
        elif request.doctor_seen_referral_at and (rng.random() < 0.6 or request.doctor.gmc_number == GRACE_GMC):
            # A mandated referral shares the stage already; the doctor has nothing to add.
            chosen = {Item.STAGE} & set(agreement.changeable_items(request, Audience.REFERRER))
            agreement.set_audience(
                request,
                Audience.REFERRER,
                chosen,
                by=doctor,
                based_on=agreement.current_version(request),
                at=request.doctor_seen_referral_at,
            )
        made += SharingAgreement.objects.filter(request=request).exists()
    demo.created["sharing agreements"] += made
