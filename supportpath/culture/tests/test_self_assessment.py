"""The self-assessment against the guide: ratings with evidence and their history, gaps into an action plan,
reminders when an action falls due (once per due date), and the board's summary and PDF."""

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from supportpath.accounts.models import Role
from supportpath.culture import services, tasks
from supportpath.culture.models import Action, Rating
from supportpath.guide.content import STATEMENTS
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
ACTION_PLAN_QUERIES = 8


@pytest.fixture
def practice():
    return f.OrganisationFactory(name="Fictional Lane Surgery")


@pytest.fixture
def lead(practice):
    return f.MembershipFactory(organisation=practice, role=Role.ORGANISATION_LEAD, user__full_name="Pat Manager").user


def test_every_stage_has_statements_and_every_principle_is_rated_somewhere():
    assert {s.principle for s in STATEMENTS} == {1, 2, 3, 4, 5, 6}
    assert {s.stage for s in STATEMENTS} == {
        "routes_in",
        "early_conversation",
        "plan",
        "delivery",
        "closure",
        "afterwards",
        "handover",
    }


def test_ratings_are_kept_as_a_history_and_the_latest_counts(practice, lead, client):
    login_as(client, lead)
    url = reverse("culture:rate", args=[practice.pk, "doctor-account-first"])
    assert client.post(url, {"level": "not_yet", "evidence": "We start from the concern."}).status_code == 302
    assert client.post(url, {"level": "partly", "evidence": "New script in use."}).status_code == 302
    assert client.post(url, {"level": "partly", "evidence": "New script in use."}).status_code == 302  # same again
    assert Rating.objects.count() == 2
    assert services.current_ratings(practice)["doctor-account-first"].level == "partly"
    history = client.get(reverse("culture:ratings_history", args=[practice.pk])).content.decode()
    assert "We start from the concern." in history and "New script in use." in history


def test_a_rating_needs_a_level(practice, lead, client):
    login_as(client, lead)
    response = client.post(reverse("culture:rate", args=[practice.pk, "doctor-account-first"]), {"evidence": "x"})
    assert response.status_code == 200
    assert "Choose not yet, partly or fully" in response.content.decode()
    assert Rating.objects.count() == 0


def test_gaps_become_actions_with_an_owner_a_date_and_progress(practice, lead, client):
    services.rate(practice, "peer-contact", "not_yet", "", by=lead)
    services.rate(practice, "plan-cocreated", "fully", "Every plan is agreed.", by=lead)
    assert [s.key for s, _r, _a in services.gaps(practice)] == ["peer-contact"]
    login_as(client, lead)
    plan = client.get(reverse("culture:action_plan", args=[practice.pk])).content.decode()
    assert "(no action yet)" in plan
    token = str(uuid.uuid4())
    form = {
        "statement": "peer-contact",
        "description": "Start a monthly peer group",
        "owner_name": "Dr Kim Partner",
        "owner_email": "kim.partner@example.test",
        "due_on": "31/3/2027",
        "submission_token": token,
    }
    url = reverse("culture:action_new", args=[practice.pk])
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # sent twice: one action
    action = Action.objects.get()
    assert action.due_on == dt.date(2027, 3, 31)
    response = client.post(
        reverse("culture:action", args=[action.pk]),
        {"progress": "in_progress", "progress_note": "First meeting booked", "due_on": "31/3/2027"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.progress == "in_progress" and action.progress_note == "First meeting booked"


def test_an_action_with_a_bad_date_keeps_what_was_typed(practice, lead, client):
    services.rate(practice, "peer-contact", "not_yet", "", by=lead)
    login_as(client, lead)
    response = client.post(
        reverse("culture:action_new", args=[practice.pk]),
        {
            "statement": "peer-contact",
            "description": "Start a monthly peer group",
            "owner_name": "Dr Kim Partner",
            "owner_email": "kim.partner@example.test",
            "due_on": "31/13/2027",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a real date" in page and "Start a monthly peer group" in page
    assert Action.objects.count() == 0


def _action(practice, lead, due):
    return services.add_action(
        practice,
        statement="peer-contact",
        description="Start a monthly peer group",
        owner_name="Dr Kim Partner",
        owner_email="kim.partner@example.test",
        due_on=due,
        by=lead,
    )


def test_the_owner_is_reminded_once_when_the_action_falls_due(practice, lead, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        action = _action(practice, lead, dt.date(2027, 3, 3))
        with django_capture_on_commit_callbacks(execute=True):
            tasks.daily()
        assert mail.outbox == []  # not due yet
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.daily()
            tasks.daily()
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["kim.partner@example.test"]
        assert "Start a monthly peer group" in mail.outbox[0].body
    # A new date earns a new reminder when it comes; a done action earns none.
    services.update_action(action, progress="in_progress", progress_note="", due_on=dt.date(2027, 3, 10))
    with time_machine.travel(NOW + dt.timedelta(days=9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.daily()
        assert len(mail.outbox) == 2
    done = _action(practice, lead, dt.date(2027, 3, 1))
    services.update_action(done, progress="done", progress_note="", due_on=done.due_on)
    with time_machine.travel(NOW + dt.timedelta(days=9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.daily()
        assert len(mail.outbox) == 2


def test_the_daily_job_is_configured(settings):
    assert settings.DAILY_JOBS["culture_reminders"][0] == "supportpath.culture.tasks.daily"


def test_the_summary_and_its_pdf_for_the_board(practice, lead, client):
    services.rate(practice, "peer-contact", "not_yet", "No peer group yet.", by=lead)
    _action(practice, lead, dt.date(2027, 3, 31))
    login_as(client, lead)
    page = client.get(reverse("culture:summary", args=[practice.pk])).content.decode()
    assert "Start a monthly peer group" in page
    response = client.get(reverse("culture:summary_pdf", args=[practice.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Culture and the guide: summary for the board of Fictional Lane Surgery"
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Start a monthly peer group" in text
    assert "/Lang" in reader.trailer["/Root"]
    assert reader.outline[0].title == "Culture and the guide: summary for the board of Fictional Lane Surgery"


def test_the_action_plan_reads_in_a_fixed_number_of_queries(practice, lead, client, django_assert_num_queries):
    for n in range(5):
        services.rate(practice, STATEMENTS[n].key, "partly", "", by=lead)
        _action(practice, lead, dt.date(2027, 3, 1) + dt.timedelta(days=n))
    login_as(client, lead)
    url = reverse("culture:action_plan", args=[practice.pk])
    client.get(url)
    with django_assert_num_queries(ACTION_PLAN_QUERIES):
        client.get(url)
    for n in range(5, 10):
        services.rate(practice, STATEMENTS[n].key, "not_yet", "", by=lead)
        _action(practice, lead, dt.date(2027, 4, 1) + dt.timedelta(days=n))
    with django_assert_num_queries(ACTION_PLAN_QUERIES):
        client.get(url)


def test_someone_who_leads_nothing_is_told_the_pages_are_for_leads(client, world):
    login_as(client, world.referrer)
    response = client.get(reverse("culture:home"))
    assert response.status_code == 403
    assert "for organisation leads" in response.content.decode()
