"""A referral with something of every kind to share, and the people who might see it.

Every piece of content carries a marker, so a test can say exactly which items a page shows. The well-being
markers are the wall's: they may appear only where the doctor shared ``Item.WELLBEING`` itself.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from supportpath.accounts.models import Role
from supportpath.facilitation.models import FacilitatorProfile
from supportpath.pathway.models import SupportSession
from supportpath.progress.models import Review
from supportpath.referrals.models import SupportRequest
from supportpath.sharing import agreement
from supportpath.testing import factories as f

MARKERS = {
    "stage": ["Support under way"],
    "attendance": ["Sessions attended: 2", "Sessions missed: 1"],
    "reasons": ["Assertiveness and confidence"],
    "goals": ["Lead the handover with calm"],
    "interventions": ["Confidence coaching"],
    "milestones": ["Run one handover alone"],
    "review_outcomes": ["goal-attainment score 54.5"],
    "session_summaries": ["We practised the opening of the handover"],
    "wellbeing": [
        "Talking therapy with the well-being team",
        "Peer circle for night-shift doctors",
        "We talked about sleep and low mood",
        "mental health or well-being",
    ],
    "measures": ["WHO-5 Well-Being Index, 44% (raw score 11 of 25)"],
}
# The check-in's statements and a single answer of a questionnaire are never shown, whatever is shared.
NEVER_SHOWN_MEASURES = ["I trust the people supporting me", "More than half of the time"]
WELLBEING_MARKERS = MARKERS["wellbeing"]


@dataclass
class Sharing:
    world: object
    referral: SupportRequest
    case: object
    officer: object  # responsible officer at the doctor's employer
    other_officer: object  # responsible officer at another trust
    wellbeing_practitioner: object

    def fresh(self) -> SupportRequest:
        return SupportRequest.objects.get(pk=self.referral.pk)

    def share(self, audience: str, *items: str):
        referral = self.fresh()
        return agreement.set_audience(
            referral, audience, items, by=self.world.doctor, based_on=agreement.current_version(referral)
        )


def _plan_content():
    from supportpath.plans import content as plan_content

    body = plan_content.empty()
    body["goals"] = [
        {
            "text": "Lead the handover with calm",
            "levels": {str(level): f"level {level}" for level in (-2, -1, 0, 1, 2)},
            "importance": 2,
            "difficulty": 2,
            "baseline": -1,
        }
    ]
    body["interventions"] = [
        {"intervention_id": 1, "type": "coaching", "name": "Confidence coaching", "provider": "", "note": ""},
        {
            "intervention_id": 2,
            "type": "wellbeing",
            "name": "Talking therapy with the well-being team",
            "provider": "",
            "note": "",
        },
        {
            "intervention_id": 3,
            "type": "peer_group",
            "name": "Peer circle for night-shift doctors",
            "provider": "",
            "note": "",
        },
    ]
    body["milestones"] = [{"text": "Run one handover alone", "due": "2027-02-01"}]
    return plan_content.validate(body)


def build_sharing(world) -> Sharing:
    from supportpath.plans.models import PlanVersion, SupportPlan, VersionStatus

    referral = world.referral  # reasons: mental health, confidence; referred by world.referrer
    case = f.CaseFactory(request=referral, case_manager=world.case_manager, stage="support")
    referral.status = "accepted"
    referral.save(update_fields=["status"])
    plan = SupportPlan.objects.create(case=case)
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=VersionStatus.AGREED,
        content=_plan_content(),
        created_by=world.case_manager,
        shared_at=timezone.now(),
        agreed_at=timezone.now(),
    )
    wellbeing = f.MembershipFactory(
        organisation=world.service, role=Role.FACILITATOR, user__full_name="Wyn Wellbeing"
    ).user
    FacilitatorProfile.objects.create(user=wellbeing, service=world.service, role="wellbeing_practitioner")
    today = timezone.localdate()
    for days, author, attendance, summary in [
        (30, world.facilitator, "attended", "We practised the opening of the handover."),
        (20, wellbeing, "attended", "We talked about sleep and low mood."),
        (10, world.facilitator, "did_not_attend", ""),
    ]:
        SupportSession.objects.create(
            case=case,
            facilitator=author,
            held_on=today - dt.timedelta(days=days),
            mode="video",
            attendance=attendance,
            shared_summary=summary,
            private_notes="PRIVATE NOTE never shown",
            agreed_actions="AGREED ACTION never shown",
            submission_token=uuid.uuid4(),
        )
    Review.objects.create(
        case=case,
        plan_version=version,
        held_on=today - dt.timedelta(days=5),
        scores=[],
        t_score=54.5,
        notes="REVIEW NOTE never shown",
        recorded_by=world.case_manager,
        submission_token=uuid.uuid4(),
    )
    officer = f.MembershipFactory(
        organisation=world.trust,
        role=Role.RESPONSIBLE_OFFICER,
        job_title="Medical director and responsible officer",
        user__full_name="Dr Rhea Officer",
    ).user
    _answered(case, today)
    elsewhere = f.OrganisationFactory(name="Fictional Elsewhere Hospital", support_service=world.service)
    other_officer = f.MembershipFactory(
        organisation=elsewhere, role=Role.RESPONSIBLE_OFFICER, user__full_name="Dr Otto Elsewhere"
    ).user
    return Sharing(world, referral, case, officer, other_officer, wellbeing)


def _answered(case, today):
    """The doctor's WHO-5 (3, 2, 2, 1, 3: 44%) and a check-in, answered at the review."""
    from supportpath.measures import catalogue, offers, services
    from supportpath.measures.models import Point

    shipped = catalogue.ensure_shipped()
    offer = offers.Offer(request=case.request, case=case, reached=offers.Reached(Point.CLOSURE, Point.CLOSURE))
    at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=4), dt.time(18)))
    services.record_answered(
        [
            services.Answered(offer, shipped["who-5"], {"1": 3, "2": 2, "3": 2, "4": 1, "5": 3}, at),
            services.Answered(offer, shipped["check-in"], {"1": 4, "2": 4, "3": 4, "4": 4, "5": 4}, at),
        ]
    )


@pytest.fixture
def sharing(world):
    return build_sharing(world)
