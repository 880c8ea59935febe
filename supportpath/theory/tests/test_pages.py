"""The theory's pages: the service's evaluator and admin reach them for their own service; everyone else is
refused; the journey registry -> refine -> report -> judgement -> export works."""

import uuid

import pytest
from django.urls import reverse

from supportpath.testing.auth import login_as
from supportpath.theory import facts, registry
from supportpath.theory.models import Cmoc, ResearchExport, Status

from .helpers import many

PAGES = ["registry", "add", "report", "overview", "overview_pdf", "exports", "export_new"]
OBJECT_PAGES = ["cmoc", "refine", "retire", "judge"]
# What a page costs: signing in and its own single query, the same however many rows it lists.
QUERIES = 5
REFUSED = [
    "doctor",
    "other_doctor",
    "referrer",
    "case_manager",
    "other_case_manager",
    "facilitator",
    "other_facilitator",
    "responsible_officer",
]


@pytest.fixture
def theory(world, monkeypatch):
    registry.ship_paper(world.service, by=None)
    registry.ship_paper(world.other_service, by=None)
    rows = (
        many(16, context={"route_in": "self"}, checkin={"4": 5, "5": 5}, completed=True, gas_t=48.0)
        + many(4, context={"route_in": "self"}, checkin={"4": 2, "5": 2}, completed=False, gas_t=55.0)
        + many(8, context={"route_in": "referred"}, checkin={"4": 4, "5": 4}, completed=True, gas_t=47.0)
        + many(12, context={"route_in": "referred"}, checkin={"4": 2, "5": 1}, completed=False, gas_t=54.0)
    )
    monkeypatch.setattr(facts, "_source", lambda service: rows if service == world.service else [])
    return world


@pytest.mark.parametrize("persona", ["evaluator", "service_admin"])
def test_the_evaluator_and_the_admin_open_every_page_of_their_own_service(client, theory, persona):
    login_as(client, getattr(theory, persona))
    cmoc = Cmoc.objects.get(service=theory.service, reference="4.7")
    for name in PAGES:
        assert client.get(reverse(f"theory:{name}")).status_code == 200, name
    for name in OBJECT_PAGES:
        assert client.get(reverse(f"theory:{name}", args=[cmoc.pk])).status_code == 200, name
    theirs = Cmoc.objects.get(service=theory.other_service, reference="4.7")
    for name in OBJECT_PAGES:
        assert client.get(reverse(f"theory:{name}", args=[theirs.pk])).status_code == 404, name


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_is_refused_every_page_and_changes_nothing(client, theory, persona):
    login_as(client, getattr(theory, persona))
    cmoc = Cmoc.objects.get(service=theory.service, reference="4.7")
    for name in PAGES:
        assert client.get(reverse(f"theory:{name}")).status_code == 403, name
    for name in OBJECT_PAGES:
        assert client.get(reverse(f"theory:{name}", args=[cmoc.pk])).status_code == 403, name
    client.post(reverse("theory:retire", args=[cmoc.pk]), {"why": "x"})
    client.post(reverse("theory:ship"))
    client.post(
        reverse("theory:export_new"),
        {"purpose": "p", "approval_reference": "r", "confirm": "on", "submission_token": str(uuid.uuid4())},
    )
    cmoc.refresh_from_db()
    assert cmoc.status == Status.INITIAL and cmoc.versions.count() == 1
    assert not ResearchExport.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in(client, theory):
    assert client.get(reverse("theory:registry"))["Location"].startswith("/account/sign-in/")


def test_the_journey_from_refining_to_judging_to_exporting(client, theory):
    login_as(client, theory.evaluator)
    cmoc = Cmoc.objects.get(service=theory.service, reference="4.7")
    form = {
        "reference": "4.7",
        "outcome_group": "4",
        "context": "The doctor asked for support themselves",
        "mechanism": cmoc.mechanism,
        "outcome": cmoc.outcome,
        "citation": cmoc.citation,
        "evidence_notes": "",
        "status": "refined",
        "context_link": "route_in=self",
        "mechanism_item": "4",
        "outcome_indicator": "completed",
        "why": "Worded as our records say it",
        "version": "1",
    }
    response = client.post(reverse("theory:refine", args=[cmoc.pk]), form)
    assert response.status_code == 302
    page = client.get(reverse("theory:cmoc", args=[cmoc.pk])).content.decode()
    assert "Worded as our records say it" in page and "The doctor asked for support themselves" in page

    # Sent again from the old version: refused, and what was typed is kept.
    again = client.post(reverse("theory:refine", args=[cmoc.pk]), {**form, "context": "Another wording"})
    assert again.status_code == 200
    assert "Someone else changed CMOC 4.7" in again.content.decode()
    assert "Another wording" in again.content.decode()
    assert 'name="version" value="2"' in again.content.decode()

    report = client.get(reverse("theory:report")).content.decode()
    assert "CMOC 4.7: bears it out" in report
    assert "+40 percentage points" in report
    assert "not proof" in report
    assert "CMOC 4.12: questions it" in report

    judged = client.post(
        reverse("theory:judge", args=[cmoc.pk]), {"status": "supported", "note": "Borne out here", "version": "2"}
    )
    assert judged.status_code == 302
    cmoc.refresh_from_db()
    assert (cmoc.status, cmoc.version) == (Status.SUPPORTED, 3)
    assert "Borne out here" in cmoc.evidence_notes and "bears it out" in cmoc.evidence_notes

    overview = client.get(reverse("theory:overview")).content.decode()
    assert "Supported" in overview
    pdf = client.get(reverse("theory:overview_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    token = str(uuid.uuid4())
    data = {
        "purpose": "Routes in and completion",
        "approval_reference": "IRAS 999",
        "confirm": "on",
        "submission_token": token,
    }
    made = client.post(reverse("theory:export_new"), data)
    assert made.status_code == 302
    client.post(reverse("theory:export_new"), data)
    export = ResearchExport.objects.get()
    assert export.people == 40
    download = client.get(reverse("theory:export_download", args=[export.pk]))
    assert download["Content-Type"] == "application/zip" and download.content.startswith(b"PK")


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, theory):
    login_as(client, theory.evaluator)
    response = client.post(
        reverse("theory:add"),
        {"reference": "four", "outcome_group": "4", "context": "My context", "outcome_indicator": "completed"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the reference as two numbers with a dot" in page
    assert "Choose a context or a mechanism indicator" in page
    assert "My context" in page
    response = client.post(reverse("theory:export_new"), {"purpose": "", "submission_token": str(uuid.uuid4())})
    assert "Confirm the data will be used only for the approved purpose" in response.content.decode()


def test_the_registry_page_costs_the_same_queries_however_many_cmocs(client, theory, django_assert_num_queries):
    login_as(client, theory.evaluator)
    client.get(reverse("theory:registry"))
    with django_assert_num_queries(QUERIES):
        client.get(reverse("theory:registry"))
    registry.add(
        theory.service,
        by=theory.evaluator,
        why="w",
        reference="4.8",
        outcome_group=4,
        context="c",
        mechanism="m",
        outcome="o",
    )
    with django_assert_num_queries(QUERIES):
        client.get(reverse("theory:registry"))


def test_the_exports_page_costs_the_same_queries_however_many_exports(client, theory, django_assert_num_queries):
    from supportpath.theory.export import make_export

    login_as(client, theory.evaluator)
    make_export(theory.service, [], by=theory.evaluator, role="evaluator", purpose="p", approval_reference="r")
    with django_assert_num_queries(QUERIES):
        client.get(reverse("theory:exports"))
    make_export(theory.service, [], by=theory.evaluator, role="evaluator", purpose="q", approval_reference="s")
    with django_assert_num_queries(QUERIES):
        client.get(reverse("theory:exports"))
