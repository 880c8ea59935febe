"""People and records for the emergency-access tests. The shared personas have no service admin, so they
are added here: the North service's admin, a second admin of the same service, and the South service's."""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest

from supportpath.accounts.models import Role
from supportpath.pathway.models import NeedsAssessment, SupportSession
from supportpath.plans import content as plan_content
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.testing import factories as f

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
PRIVATE_NOTE = "Private note only the facilitator may ever read"
TEAM_NOTE = "Working note for the support team only"
DRAFT_GOAL = "A goal still in draft, never shown to the doctor"
SHARED_SUMMARY = "We talked about the rota and agreed a plan for nights."
REASON = "Case manager on leave; the doctor emailed asking urgently to move Friday's session."


@dataclass
class Admins:
    admin: object  # service admin of world.service
    colleague: object  # another service admin of world.service
    other: object  # service admin of world.other_service


@pytest.fixture
def admins(world):
    def make(organisation, name):
        return f.MembershipFactory(organisation=organisation, role=Role.SERVICE_ADMIN, user__full_name=name).user

    return Admins(
        admin=make(world.service, "Hana Admin"),
        colleague=make(world.service, "Ian Admin"),
        other=make(world.other_service, "Jo Southadmin"),
    )


@pytest.fixture
def full_record(world):
    """The world's case with everything in it: a facilitator, a needs assessment with the team's working
    notes, an agreed plan and a newer draft, and a session with private notes."""
    case = world.case
    case.facilitator = world.facilitator
    case.stage = "support"
    case.save()
    NeedsAssessment.objects.create(
        case=case,
        presenting_issues=["career"],
        doctor_goals="Feel confident leading the ward round again.",
        strengths="Kind with patients.",
        staff_notes=TEAM_NOTE,
        conversation_held_on=dt.date(2026, 11, 20),
        recorded_by=world.case_manager,
    )
    f.agreed_plan(case, by=world.case_manager, goals=[("Lead the ward round", 2, 2)])
    draft = plan_content.empty()
    draft["goals"].append(
        {
            "text": DRAFT_GOAL,
            "levels": {str(level): f"level {level}" for level in (-2, -1, 0, 1, 2)},
            "importance": 1,
            "difficulty": 1,
            "baseline": -1,
        }
    )
    plan = case.support_plan
    PlanVersion.objects.create(
        plan=plan, number=2, status=VersionStatus.DRAFT, content=draft, created_by=world.case_manager
    )
    SupportSession.objects.create(
        case=case,
        facilitator=world.facilitator,
        held_on=dt.date(2026, 11, 25),
        mode="video",
        attendance="attended",
        shared_summary=SHARED_SUMMARY,
        agreed_actions="Ask the rota coordinator about fewer nights.",
        private_notes=PRIVATE_NOTE,
        submission_token=uuid.uuid4(),
    )
    return world


def form_data(reference: str, **overrides) -> dict:
    data = {
        "reference": reference,
        "purpose": "urgent_request",
        "reason": REASON,
        "confirm": "on",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
