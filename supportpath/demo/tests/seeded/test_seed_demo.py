"""The demo: who is in it, what state their requests are in, and that it follows the paper's Table 2.

The command runs once for the package (it takes a moment): see conftest.py.
"""

import datetime as dt
import os
import re
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import (
    PREFER_NOT_TO_SAY,
    CareerStage,
    DoctorProfile,
    EqualityMonitoring,
    Membership,
    Organisation,
    QualificationRegion,
    Role,
    User,
)
from supportpath.appointments.models import Appointment, Kind
from supportpath.appointments.models import Status as AppointmentStatus
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, Stage
from supportpath.closure.models import ExitFeedback
from supportpath.core.working_days import add_working_days
from supportpath.demo import insights_stage, people, planning, table2, two_step
from supportpath.emergency_access.models import EmergencyAccess
from supportpath.facilitation.models import Allocation, AllocationStatus, FacilitatorProfile, MatchingPreferences
from supportpath.messaging.models import Message
from supportpath.pathway.models import InitialConversation, NeedsAssessment, SupportSession
from supportpath.plans.models import PlanVersion, SupportPlan, VersionStatus
from supportpath.progress.models import Closure, MilestoneDone, Reassessment, Review, RevisedDate, TargetNotice
from supportpath.records.models import ErasureRequest
from supportpath.referrals.models import (
    SELF_ROUTES,
    DoctorComment,
    EndedAs,
    Reason,
    ReferralInvitation,
    Route,
    Status,
    SupportRequest,
    SupportRequestReason,
)
from supportpath.sharing.models import AgreementVersion, Grant, SharingAgreement
from supportpath.testing.auth import login_as
from supportpath.theory import facts, report, stats
from supportpath.theory.export import build_package, read_package
from supportpath.theory.models import Change, Cmoc, ResearchExport

from .conftest import SEEDED_AT, TODAY

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]
MODELS = [Organisation, User, Membership, DoctorProfile, EqualityMonitoring, SupportRequest, SupportRequestReason]
MODELS += [DoctorComment, Case, InitialConversation, NeedsAssessment, SupportSession]
MODELS += [FacilitatorProfile, Allocation, SupportPlan, PlanVersion, Review, MilestoneDone, Closure, ExitFeedback]
MODELS += [ReferralInvitation]
MODELS += [SharingAgreement, AgreementVersion, Grant]
MODELS += [MatchingPreferences, Reassessment, RevisedDate, TargetNotice, EmergencyAccess, AccessRecord, ErasureRequest]


@pytest.fixture
def demo_service(output):
    return Organisation.objects.get(name=people.DEMO_SERVICE_NAME)


def share(counter: Counter, key) -> float:
    return counter[key] / sum(counter.values())


def test_the_demo_has_about_200_doctors_with_unique_fictional_gmc_numbers(output):
    numbers = list(DoctorProfile.objects.values_list("gmc_number", flat=True))
    # and, for the insights, doctors whose support ended between five and 23 months ago (insights_stage.py)
    today = [n for n in numbers if int(n) < insights_stage.GMC_HISTORY_START]
    assert len(today) == people.DOCTOR_COUNT == people.GENERATED_DOCTOR_COUNT + len(people.NAMED_DOCTORS) == 213
    assert len(numbers) == 213 + insights_stage.HISTORY_DOCTOR_COUNT
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 7 and n.startswith("99") for n in numbers)


def test_the_unit_serves_two_acute_trusts_a_gp_practice_and_a_community_trust_its_admin_added(demo_service):
    served = Counter(demo_service.served_organisations.values_list("kind", flat=True))
    assert served == {"acute_trust": 2, "gp_practice": 1, "community_trust": 1}
    assert demo_service.kind == "regional_psu"
    assert all("(demo)" in name for name in Organisation.objects.values_list("name", flat=True))


def test_someone_holds_every_role(output, demo_service):
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert set(roles) == set(Role)
    unit = Counter(demo_service.memberships.values_list("role", flat=True))
    assert unit[Role.CASE_MANAGER] >= 2
    assert unit[Role.FACILITATOR] >= 3
    titles = set(Membership.objects.filter(role=Role.REFERRER).values_list("job_title", flat=True))
    assert {"Educational supervisor", "Clinical director", "Appraiser", "Training programme director"} <= titles


def test_a_second_service_has_its_own_case_manager_and_requests(output, demo_service):
    other = Membership.objects.get(user__email="case.manager@southfen.example.test", role=Role.CASE_MANAGER)
    assert other.organisation != demo_service
    theirs = SupportRequest.objects.filter(service=other.organisation)
    assert theirs.exists()
    assert not theirs.filter(doctor__employer__support_service=demo_service).exists()


def test_every_demo_email_is_on_a_reserved_domain(output):
    domains = {email.rsplit("@", 1)[1] for email in User.objects.values_list("email", flat=True)}
    assert all(domain.endswith((".test", ".invalid")) for domain in domains), domains


def test_requests_are_in_every_state_and_came_by_every_route(output):
    assert set(SupportRequest.objects.values_list("status", flat=True)) == set(Status)
    assert set(SupportRequest.objects.values_list("route", flat=True)) == set(Route)


def test_waiting_requests_include_overdue_not_yet_due_and_urgent_ones(output):
    waiting = SupportRequest.objects.filter(status=Status.RECEIVED)
    assert waiting.filter(first_contact_due__lt=TODAY).exists()
    assert waiting.filter(first_contact_due__gte=TODAY).count() >= 5
    assert waiting.filter(urgent=True).count() >= 2
    assert all(r.urgency_details for r in waiting.filter(urgent=True))


def test_first_contact_is_due_five_working_days_after_the_request_or_one_when_urgent(output):
    for request in SupportRequest.objects.all():
        submitted = timezone.localdate(request.submitted_at)
        days = (
            settings.TARGET_URGENT_FIRST_CONTACT_DAYS
            if request.urgent
            else settings.TARGET_WORKING_DAYS["first_contact"]
        )
        assert request.first_contact_due == add_working_days(submitted, days)
        assert request.submitted_at <= SEEDED_AT
        if request.status != Status.RECEIVED and request.ended_as not in (EndedAs.NO_RESPONSE, EndedAs.DECLINED):
            assert submitted <= request.first_contact_on <= TODAY
            assert request.first_contact_by is not None


def test_every_accepted_request_has_a_case_with_working_day_targets(output):
    accepted = SupportRequest.objects.filter(status=Status.ACCEPTED)
    assert accepted.count() == Case.objects.filter(request__status=Status.ACCEPTED).count()
    targets = settings.TARGET_WORKING_DAYS
    for case in Case.objects.select_related("request"):
        opened = timezone.localdate(case.opened_at)
        submitted = timezone.localdate(case.request.submitted_at)
        assert case.request.first_contact_on <= opened <= TODAY
        # As casework.services.accept counts them: from the day the doctor asked.
        assert case.initial_conversation_due == add_working_days(submitted, targets["initial_conversation"])
        assert case.plan_agreed_due == add_working_days(submitted, targets["plan_agreed"])
        # A case closed with a handover leaves its request handed over, as closure.services.close_case does.
        assert (case.stage == Stage.CLOSED) == (case.request.status in (Status.CLOSED, Status.HANDED_OVER))
    assert Case.objects.filter(facilitator__isnull=False).exists()


def test_cases_past_the_first_conversation_have_a_needs_assessment_and_supported_ones_sessions(output):
    moved_on = Case.objects.exclude(stage=Stage.INITIAL_CONVERSATION)
    assert NeedsAssessment.objects.count() == moved_on.count()
    for assessment in NeedsAssessment.objects.select_related("case__request"):
        assert set(assessment.presenting_issues) == set(assessment.case.request.reason_codes)
        assert assessment.conversation_held_on <= TODAY
        assert assessment.doctor_goals
    waiting = InitialConversation.objects.filter(case__stage=Stage.INITIAL_CONVERSATION)
    assert all(timezone.localdate(c.scheduled_for) > TODAY for c in waiting)
    sessions = SupportSession.objects.select_related("case")
    assert sessions.exists()
    assert all(s.facilitator_id == s.case.facilitator_id and s.held_on < TODAY for s in sessions)


def test_handed_over_requests_record_where_why_and_the_doctors_consent(output):
    handed_over = SupportRequest.objects.filter(status=Status.HANDED_OVER)
    assert handed_over.exists()
    for request in handed_over:
        assert request.handed_over_to and request.handover_reason and request.handover_consent
        assert request.handed_over_at is not None


def test_referrals_name_the_referrer_and_tell_the_doctor(output):
    referrals = SupportRequest.objects.exclude(route__in=SELF_ROUTES)
    for request in referrals:
        assert request.referrer is not None and request.referrer_organisation is not None
        assert request.referral_description and request.doctor_told_at
    assert set(SupportRequest.objects.filter(mandated=True).values_list("route", flat=True)) == {
        Route.RESPONSIBLE_OFFICER
    }
    assert DoctorComment.objects.exists()
    assert all(r.doctor_account for r in SupportRequest.objects.filter(route__in=SELF_ROUTES))


def test_career_stage_reason_and_qualification_follow_table_2(output):
    stages = Counter(DoctorProfile.objects.values_list("career_stage", flat=True))
    assert stages.most_common(1)[0][0] == CareerStage.SPECIALTY_TRAINEE
    assert 0.65 <= share(stages, CareerStage.SPECIALTY_TRAINEE) <= 0.75  # 72% + 3% GP residents, less extras
    assert share(stages, CareerStage.CONSULTANT) == pytest.approx(0.11 * 0.93, abs=0.02)

    regions = Counter(DoctorProfile.objects.values_list("qualification_region", flat=True))
    assert share(regions, QualificationRegion.UK) == pytest.approx(0.86, abs=0.02)

    reasons = Counter(SupportRequestReason.objects.values_list("reason", flat=True))
    assert reasons.most_common(1)[0][0] == Reason.MENTAL_HEALTH
    assert [code for code, _ in reasons.most_common(3)][1:] in (
        [Reason.RETURN_TO_WORK, Reason.CAREER],
        [Reason.CAREER, Reason.RETURN_TO_WORK],
    )


def test_equality_answers_follow_table_2_with_some_preferring_not_to_say(output):
    answers = EqualityMonitoring.objects.exclude(doctor__user__email__endswith=insights_stage.HISTORY_EMAIL)
    assert 0.85 * 200 <= answers.count() < 200  # some doctors answered nothing
    genders = Counter(answers.values_list("gender", flat=True))
    assert genders["female"] > genders["male"] > genders[PREFER_NOT_TO_SAY] > 0
    ethnic_groups = Counter(answers.values_list("ethnic_group", flat=True))
    assert share(ethnic_groups, "white") == pytest.approx(0.62 * 0.94, abs=0.03)
    ages = Counter(answers.values_list("age_band", flat=True))
    assert {code for code, _, _ in table2.AGE_BANDS} <= set(ages)
    assert not answers.filter(doctor__career_stage=CareerStage.FOUNDATION, age_band="66_and_over").exists()


def test_running_it_again_adds_nothing_and_prints_the_sign_ins_again(output):
    before = {model: model.objects.count() for model in MODELS}
    again = StringIO()
    with time_machine.travel(SEEDED_AT + dt.timedelta(days=3), tick=False):
        call_command("seed_demo", stdout=again)
    assert {model: model.objects.count() for model in MODELS} == before
    assert "nothing new was added" in again.getvalue()
    assert people.DEMO_PASSWORD in again.getvalue()


def test_the_output_lists_a_sign_in_for_every_role(output):
    assert people.DEMO_PASSWORD in output
    for person in [*people.STAFF, *people.NAMED_DOCTORS]:
        assert person.email in output
    signed_in_roles = {
        m.role
        for m in Membership.objects.filter(user__email__in=[p.email for p in [*people.STAFF, *people.NAMED_DOCTORS]])
    }
    assert signed_in_roles == set(Role)


def test_each_demo_sign_in_works_with_the_demo_password(output):
    for person in [*people.STAFF, *people.NAMED_DOCTORS]:
        user = authenticate(RequestFactory().post("/"), username=person.email, password=people.DEMO_PASSWORD)
        assert user is not None, person.email
    validate_password(people.DEMO_PASSWORD, user)


def test_demo_staff_sign_in_with_the_published_authenticator_key(output):
    assert two_step.grouped_key() in output and "manage.py demo_code" in output
    for person in people.STAFF:
        client = Client()
        response = client.post(reverse("accounts:sign_in"), {"email": person.email, "password": people.DEMO_PASSWORD})
        assert response["Location"] == reverse("accounts:second_factor_verify"), person.email
        response = client.post(reverse("accounts:second_factor_verify"), {"code": two_step.current_demo_code()})
        assert response.status_code == 302, person.email
        assert client.get(reverse("accounts:your_account")).status_code == 200


def test_demo_code_prints_what_the_app_shows(output):
    out = StringIO()
    call_command("demo_code", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == two_step.current_demo_code()
    assert re.fullmatch(r"\d{6}", out.getvalue().strip())


def test_generated_doctors_cannot_sign_in(output):
    generated = User.objects.filter(email__contains=".000@")
    assert not generated.get().has_usable_password()


def test_the_named_doctors_are_each_at_a_different_point_on_the_path(output):
    statuses = {
        r.doctor.user.email: r.status
        for r in SupportRequest.objects.filter(doctor__user__email__in=[d.email for d in people.NAMED_DOCTORS])
    }
    assert Counter(statuses.values()) == {
        Status.RECEIVED: 2,
        Status.ACCEPTED: 9,
        Status.HANDED_OVER: 2,
        Status.CLOSED: 4,  # closed after support (recently, and seven months ago), a declined referral, "no response"
    }
    # Each journey doctor's note says where they are; none of them shares a point with another.
    notes = [d.note for d in people.NAMED_DOCTORS]
    assert all(notes) and len(set(notes)) == len(notes)


def test_the_plan_is_the_same_every_time():
    assert planning.plan_doctors() == planning.plan_doctors()
    doctors = planning.plan_doctors()
    assert planning.plan_requests(doctors) == planning.plan_requests(doctors)


def test_dealing_gives_exact_proportions():
    rows = [("a", 72), ("b", 11), ("c", 11), ("d", 3), ("e", 3)]
    dealt = Counter(code for code, _ in planning.deal(planning.rng_for("test"), rows, 100))
    assert dealt == {"a": 72, "b": 11, "c": 11, "d": 3, "e": 3}
    assert len(planning.deal(planning.rng_for("test"), rows, 7)) == 7


def test_the_demo_command_does_not_exist_in_production():
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env = {
        **base,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "supportpath.example.nhs.uk",
        "DATABASE_URL": "sqlite:///:memory:",
        "FIELD_ENCRYPTION_KEYS": "yGqFpXo9kq3b7tU2s0m1dQ8xE5rW4cZ6vN3hJ0aLkPs=",
        "LOOKUP_HASH_KEY": "a-long-random-lookup-key-for-the-check-0123456789abcdef",
        "SITE_URL": "https://supportpath.example.nhs.uk",
        "HELP_EMAIL": "help@supportpath.example.nhs.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr


def test_the_readme_sign_ins_are_the_demos():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    emails = set(re.findall(r"`([\w.+-]+@[\w.-]+)`", quick_start))
    demo_emails = {person.email for person in [*people.STAFF, *people.NAMED_DOCTORS]}
    assert emails and emails <= demo_emails
    assert people.DEMO_PASSWORD in quick_start


def test_the_later_pathway_is_filled_too(output):
    """Every stage at once: facilitators with profiles, allocations waiting and accepted, plans shared and
    agreed, reviews, milestones reached and overdue, closures with final scores and feedback."""
    assert FacilitatorProfile.objects.count() == 4
    statuses = set(Allocation.objects.values_list("status", flat=True))
    assert {AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED, AllocationStatus.ENDED} <= statuses
    for case in Case.objects.filter(facilitator__isnull=False, stage=Stage.SUPPORT):
        assert case.allocations.get(status=AllocationStatus.ACCEPTED).facilitator_id == case.facilitator_id
    assert {VersionStatus.SHARED, VersionStatus.AGREED} <= set(PlanVersion.objects.values_list("status", flat=True))
    assert Review.objects.exists() and MilestoneDone.objects.exists()
    closed = Case.objects.filter(stage=Stage.CLOSED, support_plan__isnull=False)
    assert closed.exists() and all(Closure.objects.filter(case=c).exists() for c in closed)
    assert Closure.objects.filter(final_t_score__isnull=False).exists() and ExitFeedback.objects.exists()


def test_one_referred_doctor_was_invited_and_has_not_registered_yet(output):
    invitation = ReferralInvitation.objects.select_related("request__doctor__user").get()
    assert invitation.accepted_at is None
    assert invitation.request.is_referral and invitation.request.status == Status.RECEIVED
    assert not invitation.request.doctor.user.has_usable_password()
    assert invitation.expires_at == invitation.sent_at + dt.timedelta(days=settings.REFERRAL_INVITATION_DAYS)
    assert "/referrals/invitation/" in output


def test_sharing_agreements_show_every_kind_of_sharing(output):
    """Some plans share parts with the person who referred or the responsible officer, a mandated referral has
    its fixed minimum, and the demo's responsible officer sees at least one doctor (Dr Grace Adeyemi-Marsh)."""
    from supportpath.sharing.access import requests_for_responsible_officer
    from supportpath.sharing.models import Source

    plan_audiences = {
        key.split(":")[0] for version in AgreementVersion.objects.filter(source=Source.PLAN) for key in version.added
    }
    assert {"referrer", "responsible_officer"} <= plan_audiences
    mandated = AgreementVersion.objects.filter(source=Source.MANDATED, number=1)
    assert mandated.exists()
    assert all(v.agreement.request.mandated for v in mandated)
    officer = User.objects.get(email="ro@royal.example.test")
    theirs = requests_for_responsible_officer(officer)
    assert theirs.filter(mandated=True).exists()
    assert theirs.filter(doctor__user__email="grace.adeyemi-marsh@doctors.example.test").exists()


@pytest.mark.django_db
def test_named_doctors_have_messages_with_their_team_and_contact_details(seeded):
    grace = Message.objects.filter(request__doctor__user__full_name="Dr Grace Adeyemi-Marsh")
    assert set(grace.values_list("author_role", flat=True)) == {"doctor", "case_manager", "facilitator"}
    assert Message.objects.filter(request__doctor__user__full_name="Dr Ifeoma Castleton").count() == 2
    assert Message.objects.filter(request__status="received").exists()  # written before there was a case
    profile = grace.first().request.doctor
    assert "evenings" in profile.preferred_contact_times
    assert grace.filter(author_role="case_manager").first().author.work_phone


def test_conversations_and_sessions_are_booked_ahead_past_and_coming(output):
    now = SEEDED_AT
    sessions = Appointment.objects.filter(kind=Kind.SESSION)
    assert sessions.filter(status=AppointmentStatus.HELD, starts_at__lt=now).exists()
    assert sessions.filter(status=AppointmentStatus.ARRANGED, starts_at__gt=now).exists()
    for email in ("bethan.morcombe@doctors.example.test", "grace.adeyemi-marsh@doctors.example.test"):
        doctor = User.objects.get(email=email).doctor_profile
        coming = Appointment.objects.filter(
            case__request__doctor=doctor, status=AppointmentStatus.ARRANGED, starts_at__gt=now
        )
        assert coming.exists(), email
    assert Appointment.objects.filter(
        kind=Kind.FIRST_CONVERSATION, case__request__doctor__user__email="bethan.morcombe@doctors.example.test"
    ).exists()


def test_the_programme_theory_has_a_cmoc_borne_out_one_questioned_and_one_lacking_data(output):
    evaluator = User.objects.get(email="evaluator@northmoor.example.test")
    service = Membership.objects.get(user=evaluator, role=Role.EVALUATOR).organisation
    cmocs = list(Cmoc.objects.filter(service=service))
    readings = {made.cmoc.reference: made.reading for made in report.theory_report(cmocs, facts.rows_for(service))}
    assert readings["4.7"] == stats.BEARS_OUT
    assert readings["4.9"] == stats.QUESTIONS
    assert readings["1.2"] == stats.NOT_ENOUGH
    kinds = list(Cmoc.objects.get(service=service, reference="4.7").versions.values_list("kind", flat=True))
    assert kinds == [Change.JUDGED, Change.REFINED, Change.SHIPPED]
    assert ResearchExport.objects.filter(service=service, by=evaluator).count() == 1
    client = Client()
    login_as(client, evaluator)
    assert "CMOC 4.9: questions it" in client.get(reverse("theory:report")).content.decode()


def test_a_research_export_of_every_demo_request_names_no_demo_doctor(output):
    service = Organisation.objects.get(name=people.DEMO_SERVICE_NAME)
    body, result, _ = build_package(
        facts.rows_for(service), purpose="p", approval_reference="a", made_on=dt.date(2026, 3, 11)
    )
    text = "\n".join(read_package(body).values())
    tokens = set(re.split(r"[^\w-]+", text))  # a GMC number could turn up inside a random pseudonym by chance
    for profile in DoctorProfile.objects.select_related("user"):
        assert profile.user.full_name not in text and profile.user.email not in text
        assert profile.gmc_number not in tokens
    for reference in SupportRequest.objects.values_list("reference", flat=True):
        assert reference not in text
    assert result.kept
