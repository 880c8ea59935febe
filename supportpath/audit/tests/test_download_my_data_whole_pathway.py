"""Download my data holds every record of the pathway the doctor may read — and nothing private to others."""

import datetime as dt
import io
import json
import uuid
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from supportpath.closure.models import ExitFeedback
from supportpath.facilitation.models import AllocationStatus, MatchingPreferences
from supportpath.pathway.models import InitialConversation, NeedsAssessment, SupportSession
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.progress.models import Closure, MilestoneDone, Reassessment, Review
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

PRIVATE = "Private: the doctor seemed exhausted"
STAFF_ONLY = "Team only: check the rota gaps with the trust"


@pytest.fixture
def whole_pathway(world):
    case, cm = world.case, world.case_manager
    InitialConversation.objects.create(
        case=case, scheduled_for=timezone.now(), mode="video", arranged_by=cm, doctor_suggested_times="Mornings"
    )
    NeedsAssessment.objects.create(
        case=case,
        presenting_issues=["career"],
        doctor_goals="Decide whether to stay in surgery",
        strengths="Calm in a crisis",
        team_factors="A stretched rota",
        staff_notes=STAFF_ONLY,
        doctor_comment="I would add that I love teaching",
        conversation_held_on=dt.date(2026, 10, 1),
        recorded_by=cm,
    )
    version = f.agreed_plan(
        case,
        by=cm,
        goals=[("Choose a specialty by the summer", 3, 2)],
        milestones=[("Taster week", dt.date(2027, 1, 5))],
    )
    PlanVersion.objects.create(
        plan=version.plan, number=2, status=VersionStatus.DRAFT, content=version.content, created_by=cm
    )
    world.allocation.status = AllocationStatus.ACCEPTED
    world.allocation.save()
    case.facilitator = world.facilitator
    case.save()
    MatchingPreferences.objects.create(case=case, in_person=True, anything_else="Someone who has changed specialty")
    SupportSession.objects.create(
        case=case,
        facilitator=world.facilitator,
        held_on=dt.date(2026, 11, 2),
        mode="video",
        attendance="attended",
        shared_summary="We mapped what matters to you at work",
        agreed_actions="Shadow a GP for a day",
        private_notes=PRIVATE,
        submission_token=uuid.uuid4(),
    )
    Review.objects.create(
        case=case,
        plan_version=version,
        held_on=dt.date(2026, 11, 20),
        scores=[{"goal": "Choose a specialty by the summer", "level": 0, "importance": 3, "difficulty": 2}],
        t_score=50.0,
        notes="Good progress",
        recorded_by=cm,
        doctor_reflection="I feel clearer",
        submission_token=uuid.uuid4(),
    )
    MilestoneDone.objects.create(
        case=case, text="Taster week", due=dt.date(2027, 1, 5), done_on=dt.date(2027, 1, 4), marked_by=cm
    )
    Reassessment.objects.create(
        case=case,
        held_on=dt.date(2026, 11, 25),
        assessed_by="Dr Clinical Lead",
        outcome="continue",
        details="No concerns",
        recorded_by=cm,
        submission_token=uuid.uuid4(),
    )
    Closure.objects.create(
        case=case, reason="goals_met", closed_on=dt.date(2027, 2, 1), final_t_score=55.0, closed_by=cm
    )
    ExitFeedback.objects.create(
        case=case, what_changed="I chose general practice", answers={"safe_to_be_open": 5}, peer_supporter="later"
    )
    return world


def download(client, user) -> zipfile.ZipFile:
    login_as(client, user)
    return zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content))


@pytest.mark.django_db
def test_the_download_holds_every_record_of_the_pathway_the_doctor_may_read(client, whole_pathway):
    archive = download(client, whole_pathway.doctor)
    needs = json.loads(archive.read("conversations-and-needs.json"))
    assert {row["record"] for row in needs} == {"Initial conversation", "Needs assessment"}
    assessment = next(row for row in needs if row["record"] == "Needs assessment")
    assert assessment["team_factors"] == "A stretched rota"
    assert assessment["your_comment"] == "I would add that I love teaching"

    plans = json.loads(archive.read("support-plans.json"))
    assert [p["version"] for p in plans] == [1]  # the unshared draft is work in progress, not shown
    assert plans[0]["goals"][0]["goal"] == "Choose a specialty by the summer"

    sessions = json.loads(archive.read("sessions.json"))
    assert sessions[0]["summary"] == "We mapped what matters to you at work"
    assert sessions[0]["agreed_actions"] == "Shadow a GP for a day"

    progress = {row["record"]: row for row in json.loads(archive.read("progress.json"))}
    assert progress["Review of goals"]["your_reflection"] == "I feel clearer"
    assert progress["Milestone reached"]["milestone"] == "Taster week"
    assert progress["Reassessment"]["outcome"] == "Continue with the current plan"
    assert progress["Closure"]["reason"] == "The goals were met"
    assert progress["Your feedback"]["what_changed_in_your_words"] == "I chose general practice"

    facilitation = {row["record"]: row for row in json.loads(archive.read("facilitators.json"))}
    assert facilitation["Facilitator"]["facilitator"] == "Fay Coach"
    assert facilitation["What you would like in a facilitator"]["anything_else"] == "Someone who has changed specialty"

    html = archive.read("my-data.html").decode()
    for text in [
        "Choose a specialty by the summer",
        "We mapped what matters to you at work",
        "I chose general practice",
    ]:
        assert text in html
    assert "Thursday 1 October 2026" in html  # dates written out for people, not as ISO strings


@pytest.mark.django_db
def test_private_notes_and_the_teams_working_notes_are_never_in_the_download(client, whole_pathway):
    archive = download(client, whole_pathway.doctor)
    everything = "".join(archive.read(name).decode() for name in archive.namelist())
    assert PRIVATE not in everything
    assert STAFF_ONLY not in everything


@pytest.mark.django_db
def test_another_doctors_download_holds_none_of_it(client, whole_pathway):
    archive = download(client, whole_pathway.other_doctor)
    for name in [
        "conversations-and-needs.json",
        "support-plans.json",
        "sessions.json",
        "progress.json",
        "facilitators.json",
    ]:
        assert json.loads(archive.read(name)) == []
