"""Demo stage for sharing agreements, building on what each request started with: referrals' services record a
mandated referral's fixed minimum and a self-referring doctor's answer about their employer as the request is
made (``builders.make_request``). Here some referred doctors let the referrer see the stage; some plans propose
sharing with the person who referred or the responsible officer, added when the doctor agrees the plan
(``plans.services.agree``, in the stages after this one).

Every choice is drawn from a generator seeded by the request, and a request whose agreement has already
changed since it was made (by this stage, or by someone using the demo) is left alone, so running the demo
again changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportpath.casework.models import Case
from supportpath.plans import content as plan_content
from supportpath.referrals.models import SELF_ROUTES
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.sharing.models import AgreementVersion, Source

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
    if request.route not in SELF_ROUTES and rng.random() < 0.35:
        sharing["goals"].append("referrer")
        sharing["milestones"].append("referrer")
    if request.doctor.employer_id and rng.random() < 0.3:
        sharing["goals"].append("responsible_officer")
        sharing["review_outcomes"].append("responsible_officer")
    return sharing


# What referrals' services record as a request is made; anything else is a later change.
AS_MADE = (Source.MANDATED, Source.SELF_REFERRAL)


def seed_sharing(demo: Demo) -> None:
    requests = list(demo.drawn_requests.values())
    changed = set(
        AgreementVersion.objects.filter(agreement__request__in=requests)
        .exclude(source__in=AS_MADE)
        .values_list("agreement__request_id", flat=True)
    )
    made = 0
    for request in requests:
        if request.pk in changed:
            continue
        rng = rng_for("sharing", request.submission_token)
        doctor = request.doctor.user
        added = None
        if (
            request.is_referral
            and request.doctor_seen_referral_at
            and (rng.random() < 0.6 or request.doctor.gmc_number == GRACE_GMC)
        ):
            # A mandated referral shares the stage already; the doctor has nothing to add.
            chosen = {Item.STAGE} & set(agreement.changeable_items(request, Audience.REFERRER))
            added = agreement.set_audience(
                request,
                Audience.REFERRER,
                chosen,
                by=doctor,
                based_on=agreement.current_version(request),
                at=request.doctor_seen_referral_at,
            )
        made += added is not None
    demo.created["sharing agreements added to"] += made
