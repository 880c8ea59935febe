"""The needs assessment: not dated before the request was accepted; corrected afterwards with the earlier
version kept, what changed shown on the case, the correction logged, and the earlier version in the data
download."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.pathway.export import conversations_and_needs
from supportpath.pathway.models import NeedsAssessment, NeedsAssessmentVersion
from supportpath.testing.auth import login_as

from .test_pathway import assessment_data

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
OPENED = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)  # Monday 16 November 2026


@pytest.fixture
def opened(world):
    Case.objects.filter(pk=world.case.pk).update(opened_at=OPENED)
    world.case.refresh_from_db()
    return world


@time_machine.travel(NOW, tick=False)
def test_a_needs_assessment_dated_before_the_request_was_accepted_is_refused(client, opened):
    world = opened
    login_as(client, world.case_manager)
    url = reverse("pathway:needs_assessment", args=[world.case.pk])
    page = client.post(url, assessment_data(conversation_held_on="13/11/2026")).content.decode()
    assert (
        "The date of the conversation cannot be before Monday 16 November 2026, the day the request for support "
        "was accepted" in page
    )
    assert "Rota gaps mean no protected teaching." in page, "nothing typed is lost"
    assert not NeedsAssessment.objects.exists()
    assert client.post(url, assessment_data(conversation_held_on="16/11/2026")).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_a_correction_keeps_the_earlier_version_and_the_case_shows_what_changed(client, opened):
    world = opened
    login_as(client, world.case_manager)
    url = reverse("pathway:needs_assessment", args=[world.case.pk])
    assert client.post(url, assessment_data()).status_code == 302
    assert not NeedsAssessmentVersion.objects.exists(), "recording it is not a correction"

    form = client.get(url).content.decode()
    assert 'value="20/11/2026"' in form, "the date reads as it is typed"
    assert "Correcting it keeps the earlier version" in form
    corrected = assessment_data(
        version="1", conversation_held_on="19/11/2026", team_factors="A new team; feedback now weekly."
    )
    assert client.post(url, corrected).status_code == 302
    assert client.post(url, {**corrected, "version": "2"}).status_code == 302  # nothing changed: nothing kept
    [earlier] = NeedsAssessmentVersion.objects.all()
    assert earlier.number == 1 and earlier.team_factors == "A new team, little feedback."
    assert earlier.conversation_held_on == dt.date(2026, 11, 20) and earlier.corrected_by == world.case_manager
    assessment = NeedsAssessment.objects.get(case=world.case)
    assert assessment.team_factors == "A new team; feedback now weekly." and assessment.version == 3

    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "Corrected Monday 23 November 2026" in page and "by Dan Manager: what changed" in page
    assert "A new team, little feedback." in page and "Friday 20 November 2026" in page
    assert "Thursday 19 November 2026" in page
    assert "Correct the needs assessment" in page
    assert AccessRecord.objects.filter(
        actor=world.case_manager, purpose="Recording the needs assessment", action="changed"
    ).exists(), "the correction is in the doctor's access log"

    # The doctor's data download: the earlier version, without the team's working notes.
    [row] = [r for r in conversations_and_needs(world.doctor.doctor_profile) if r["record"] == "Needs assessment"]
    [version] = row["earlier_versions"]
    assert version["team_factors"] == "A new team, little feedback."
    assert "staff_notes" not in version and "Consider a mentor" not in str(row)


@time_machine.travel(NOW, tick=False)
def test_the_facilitator_sees_the_corrections_but_may_not_correct(client, opened):
    world = opened
    login_as(client, world.case_manager)
    url = reverse("pathway:needs_assessment", args=[world.case.pk])
    client.post(url, assessment_data())
    client.post(url, assessment_data(version="1", strengths="Calm in a crisis."))
    world.case.facilitator = world.facilitator
    world.case.save()
    login_as(client, world.facilitator)
    assert client.post(url, assessment_data(version="2", strengths="Changed by the facilitator")).status_code == 404
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "Calm in a crisis." in page and "what changed" in page
    assert "Correct the needs assessment" not in page
    assert NeedsAssessmentVersion.objects.count() == 1
