"""The de-identified fact record: written as the pathway moves, backfilled, and left unjoinable by erasure and
retention."""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from supportpath.accounts.models import EqualityMonitoring
from supportpath.measures import catalogue
from supportpath.measures.models import Response
from supportpath.pathway.models import SupportSession
from supportpath.records.erasure import carry_out
from supportpath.records.models import ErasureLedgerEntry, ErasureRequest
from supportpath.records.retention import apply_retention
from supportpath.records.tests.conftest import full_case
from supportpath.referrals.models import SupportRequest
from supportpath.testing import factories as f

from ..models import Fact, FactFeedback, FactIntervention, FactLink, FactMeasure, FactReason, Stage


@pytest.fixture(autouse=True)
def ledger_folder(settings, tmp_path):
    settings.ERASURE_LEDGER_DIR = tmp_path / "erasure-ledger"


def fact_of(request) -> Fact:
    return FactLink.objects.select_related("fact").get(request=request).fact


def closed_case(world, django_capture_on_commit_callbacks, closed_on=None):
    profile = world.doctor.doctor_profile
    EqualityMonitoring.objects.update_or_create(
        doctor=profile, defaults={"age_band": "30_39", "gender": "woman", "ethnic_group": "prefer_not_to_say"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = full_case(
            doctor=profile,
            service=world.service,
            case_manager=world.case_manager,
            facilitator=world.facilitator,
            closed_on=closed_on or timezone.localdate(),
        )
    return case


def test_a_fact_is_written_as_the_pathway_moves(world, django_capture_on_commit_callbacks):
    profile = world.doctor.doctor_profile
    with django_capture_on_commit_callbacks(execute=True):
        request = f.SupportRequestFactory(doctor=profile, service=world.service, reasons=["career", "exams"])
    fact = fact_of(request)
    assert fact.stage == Stage.RECEIVED
    assert fact.service_id == world.service.pk
    assert fact.referred_month == timezone.localdate(request.submitted_at).replace(day=1)
    assert fact.career_stage == profile.career_stage
    assert fact.self_referred is True
    assert set(FactReason.objects.filter(fact=fact).values_list("reason", flat=True)) == {"career", "exams"}
    assert fact.days_to_first_contact is None

    with django_capture_on_commit_callbacks(execute=True):
        request.first_contact_on = timezone.localdate(request.submitted_at) + dt.timedelta(days=2)
        request.status = "contacted"
        request.save()
    fact.refresh_from_db()
    assert (fact.stage, fact.days_to_first_contact) == (Stage.CONTACTED, 2)
    assert Fact.objects.count() == 1  # written afresh, never twice


def test_a_closed_case_has_every_part(world, django_capture_on_commit_callbacks):
    case = closed_case(world, django_capture_on_commit_callbacks)
    phq = catalogue.ensure_shipped()["phq-9"]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [("first", 14, now - dt.timedelta(days=60)), ("closure", 7, now)]
        for point, total, at in answers:
            Response.objects.create(
                doctor=case.request.doctor,
                request=case.request,
                case=case,
                questionnaire=phq,
                point=point,
                point_key=point,
                status="completed",
                total=total,
                started_at=at,
                updated_at=at,
                completed_at=at,
            )
        SupportSession.objects.create(
            case=case,
            facilitator=world.facilitator,
            held_on=timezone.localdate(),
            mode="video",
            attendance="did_not_attend",
            submission_token=uuid.uuid4(),
        )
    fact = fact_of(case.request)
    assert fact.is_case and fact.stage == Stage.ENDED and fact.ending == "goals_met"
    assert (fact.sessions_held, fact.sessions_missed, fact.sessions_cancelled) == (1, 1, 0)
    assert fact.days_to_first_session == 0 and fact.days_to_first_conversation == 0
    assert fact.days_to_plan_agreed == 0 and fact.days_to_ended == 0
    assert fact.ended_month == timezone.localdate().replace(day=1)
    assert fact.goals == 1 and fact.gas_start == pytest.approx(40.0) and fact.gas_end == pytest.approx(50.0)
    assert fact.reviews_held == 1
    assert (fact.age_band, fact.gender, fact.ethnic_group) == ("30_39", "woman", "")  # prefer not to say: not given
    measure = FactMeasure.objects.get(fact=fact)
    assert (measure.measure, measure.first_score, measure.closure_score) == ("phq-9", 14, 7)
    assert list(FactFeedback.objects.filter(fact=fact).values_list("statement", "agreement")) == [
        ("safe_to_be_open", 5)
    ]


def test_interventions_are_codes_from_the_agreed_plan(world, django_capture_on_commit_callbacks):
    case = closed_case(world, django_capture_on_commit_callbacks)
    version = case.support_plan.versions.get()
    version.content = {
        **version.content,
        "interventions": [
            {"intervention_id": 1, "type": "coaching", "name": "Coaching with Dr X", "note": "Private words"},
            {"intervention_id": 2, "type": "coaching", "name": "More coaching"},
            {"intervention_id": 3, "type": "mentoring", "name": "Mentor"},
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        version.save()
    fact = fact_of(case.request)
    assert dict(FactIntervention.objects.filter(fact=fact).values_list("code", "count")) == {
        "coaching": 2,
        "mentoring": 1,
    }


def test_the_context_is_the_one_at_referral(world, django_capture_on_commit_callbacks):
    profile = world.doctor.doctor_profile
    with django_capture_on_commit_callbacks(execute=True):
        request = f.SupportRequestFactory(doctor=profile, service=world.service)
    before = fact_of(request).career_stage
    profile.career_stage = "consultant" if before != "consultant" else "gp"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        request.urgent = True
        request.save()
    fact = fact_of(request)
    assert fact.urgent and fact.career_stage == before


def test_no_fact_for_work_rolled_back_nor_while_paused(world, django_capture_on_commit_callbacks):
    from ..writer import pause

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service)
    assert callbacks  # asked for, but only after commit
    assert not Fact.objects.exists()
    with pause(), django_capture_on_commit_callbacks(execute=False) as callbacks:
        f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service)
    assert not callbacks


def test_the_backfill_writes_every_request(world):
    requests = SupportRequest.objects.count()
    assert requests and not Fact.objects.exists()
    call_command("backfill_insights")
    assert Fact.objects.count() == FactLink.objects.count() == requests
    call_command("backfill_insights")  # again: written afresh, not twice
    assert Fact.objects.count() == requests


def identifiers(profile) -> list[str]:
    user = profile.user
    return [user.full_name, user.email, profile.gmc_number]


def all_fact_values() -> str:
    parts = []
    for model in (Fact, FactReason, FactIntervention, FactMeasure, FactFeedback):
        for row in model.objects.values():
            parts.extend(str(v) for v in row.values())
    return " | ".join(parts)


def test_no_name_email_gmc_number_or_free_text_in_the_facts(world, django_capture_on_commit_callbacks):
    closed_case(world, django_capture_on_commit_callbacks)
    call_command("backfill_insights")
    text = all_fact_values()
    for profile_user in (world.doctor, world.other_doctor):
        for value in identifiers(profile_user.doctor_profile):
            assert value not in text
    for words in ["We talked.", "Private.", "A lot.", "Lead the ward round", "night shifts", "My own account"]:
        assert words not in text


def test_erasure_leaves_the_fact_unjoinable(world, django_capture_on_commit_callbacks, django_user_model):
    case = closed_case(world, django_capture_on_commit_callbacks)
    fact = fact_of(case.request)
    link_id = FactLink.objects.get(fact=fact).pk
    profile = world.doctor.doctor_profile
    erasure = ErasureRequest.objects.create(
        doctor=profile, service=world.service, asked_at=timezone.now(), submission_token=uuid.uuid4()
    )
    admin = f.MembershipFactory(organisation=world.service, role="service_admin").user
    with django_capture_on_commit_callbacks(execute=True):
        entry = carry_out(erasure, by=admin)
    assert Fact.objects.filter(pk=fact.pk).exists()  # the fact survives ...
    assert not FactLink.objects.filter(fact_id=fact.pk).exists()  # ... with nothing tying it to anyone
    assert not SupportRequest.objects.filter(pk=case.request_id).exists()
    ledger = ErasureLedgerEntry.objects.get(pk=entry.pk)
    assert str(fact.pk) not in str(ledger.records)
    assert link_id in ledger.records.get("insights.factlink", [])
    fields = {f.name for f in Fact._meta.get_fields()}
    assert not fields & {"request", "case", "doctor", "submitted_at", "created_at", "updated_at"}


def test_retention_leaves_the_fact_unjoinable(world, django_capture_on_commit_callbacks):
    long_ago = timezone.localdate().replace(year=timezone.localdate().year - 11)
    case = closed_case(world, django_capture_on_commit_callbacks, closed_on=long_ago)
    fact = fact_of(case.request)
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(trigger="command")
    assert not SupportRequest.objects.filter(pk=case.request_id).exists()
    fact.refresh_from_db()
    assert fact.ending == "goals_met" and not FactLink.objects.filter(fact=fact).exists()
