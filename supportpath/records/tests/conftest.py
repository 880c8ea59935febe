import datetime as dt
import uuid

import pytest
from django.utils import timezone

from supportpath.accounts.models import EqualityMonitoring, Role
from supportpath.audit.log import record_access
from supportpath.testing import factories as f


@pytest.fixture(autouse=True)
def ledger_folder(settings, tmp_path):
    """Each test writes its erasure ledger files to its own folder."""
    settings.ERASURE_LEDGER_DIR = tmp_path / "erasure-ledger"
    return settings.ERASURE_LEDGER_DIR


@pytest.fixture
def service_admin(world):
    return f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN, user__full_name="Sam Admin").user


@pytest.fixture
def other_service_admin(world):
    return f.MembershipFactory(
        organisation=world.other_service, role=Role.SERVICE_ADMIN, user__full_name="Olu Otheradmin"
    ).user


def full_case(*, doctor, service, case_manager, facilitator, closed_on: dt.date | None = None):
    """A case with one row of every kind that can hang off a case or a request, so removal can be shown to
    take them all."""
    from supportpath.closure.models import ExitFeedback
    from supportpath.emergency_access.models import EmergencyAccess
    from supportpath.facilitation.models import Allocation, MatchingPreferences
    from supportpath.pathway.models import InitialConversation, NeedsAssessment, SupportSession
    from supportpath.progress.models import Closure, MilestoneDone, Reassessment, Review, RevisedDate
    from supportpath.referrals.models import DoctorComment, ReferralInvitation, Resend

    request = f.SupportRequestFactory(doctor=doctor, service=service, status="accepted", reasons=["career", "other"])
    DoctorComment.objects.create(request=request, text="My own account of it.")
    invitation = ReferralInvitation(request=request, accepted_at=timezone.now())
    invitation.issue_token(timezone.now())
    invitation.save()
    Resend.objects.create(request=request, by=case_manager, submission_token=uuid.uuid4())
    EmergencyAccess.objects.create(
        support_request=request,
        service=service,
        admin=case_manager,
        purpose="safety",
        reason="A concern for the doctor's safety.",
        opened_at=timezone.now(),
        expires_at=timezone.now(),
        submission_token=uuid.uuid4(),
    )
    case = f.CaseFactory(request=request, case_manager=case_manager, facilitator=facilitator)
    InitialConversation.objects.create(case=case, scheduled_for=timezone.now(), mode="video", arranged_by=case_manager)
    NeedsAssessment.objects.create(
        case=case, presenting_issues=["career"], conversation_held_on=timezone.localdate(), recorded_by=case_manager
    )
    SupportSession.objects.create(
        case=case,
        facilitator=facilitator,
        held_on=timezone.localdate(),
        mode="video",
        attendance="attended",
        shared_summary="We talked.",
        private_notes="Private.",
        submission_token=uuid.uuid4(),
    )
    version = f.agreed_plan(case, by=case_manager)
    MatchingPreferences.objects.create(case=case, anything_else="Someone calm.")
    Allocation.objects.create(case=case, facilitator=facilitator, proposed_by=case_manager, status="accepted")
    Review.objects.create(
        case=case,
        plan_version=version,
        held_on=timezone.localdate(),
        scores=[{"goal": "Lead", "level": 0, "importance": 2, "difficulty": 2}],
        t_score=50.0,
        recorded_by=case_manager,
        submission_token=uuid.uuid4(),
    )
    MilestoneDone.objects.create(
        case=case, text="Shadow a list", due=timezone.localdate(), done_on=timezone.localdate(), marked_by=case_manager
    )
    RevisedDate.objects.create(
        case=case, target="review", label="Review", original_due=timezone.localdate(), new_due=timezone.localdate()
    )
    Reassessment.objects.create(
        case=case,
        held_on=timezone.localdate(),
        assessed_by="Panel",
        outcome="continue",
        recorded_by=case_manager,
        submission_token=uuid.uuid4(),
    )
    if closed_on is not None:
        Closure.objects.create(case=case, reason="goals_met", closed_on=closed_on, closed_by=case_manager)
        case.stage = "closed"
        case.save(update_fields=["stage"])
        request.status = "closed"
        request.save(update_fields=["status"])
        ExitFeedback.objects.create(case=case, what_changed="A lot.", answers={"safe_to_be_open": 5})
    return case


def equality_for(profile):
    return EqualityMonitoring.objects.create(doctor=profile, age_band="30_39", gender="woman")


def log_access(*, actor, doctor, obj, purpose="Looking"):
    return record_access(
        actor=actor,
        role="case_manager",
        organisation="North",
        doctor=doctor,
        action="viewed",
        what="Support request",
        obj=obj,
        purpose=purpose,
    )
