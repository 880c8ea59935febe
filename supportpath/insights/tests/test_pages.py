"""The insights pages: who may read them (their own service only), what they show, and their downloads."""

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import Organisation, Role
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from ..selection import add_months, default_period
from .helpers import fact

PAGES = [
    "insights:service",
    "insights:service_csv",
    "insights:equity",
    "insights:capacity",
    "insights:board",
    "insights:board_pdf",
]


@pytest.fixture
def busy(world):
    """Sixty requests a month over the default period, at the world's trust, some closed with scores."""
    start, end = default_period(timezone.localdate())
    month = start
    while month <= end:
        for i in range(12):
            fact(
                world.service,
                month=month,
                employer=world.doctor.doctor_profile.employer,
                route="self" if i % 3 else "supervisor",
                self_referred=bool(i % 3),
                days_to_first_contact=i,
                first_contact_due_days=7,
                stage="ended",
                is_case=True,
                ended_month=month,
                ending="goals_met",
                gas_start=40.0,
                gas_end=45.0 + i,
                sessions_held=4,
                measures={"phq-9": (12 + i % 4, 6), "gad-7": (9, 5)},
                feedback={"safe_to_be_open": 4 + i % 2},
            )
        month = add_months(month, 1)
    return world


@pytest.mark.parametrize("name", PAGES)
def test_the_evaluator_and_the_service_admin_read_their_own_service(client, busy, name):
    admin = f.MembershipFactory(organisation=busy.service, role=Role.SERVICE_ADMIN).user
    for person in (busy.evaluator, admin):
        login_as(client, person)
        assert client.get(reverse(name)).status_code == 200
        assert client.get(reverse(name), {"service": busy.other_service.pk}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_everyone_else_is_refused(client, busy, name):
    for person in (busy.doctor, busy.case_manager, busy.facilitator, busy.referrer):
        login_as(client, person)
        assert client.get(reverse(name)).status_code == 403
    other_admin = f.MembershipFactory(organisation=busy.other_service, role=Role.SERVICE_ADMIN).user
    login_as(client, other_admin)
    assert client.get(reverse(name), {"service": busy.service.pk}).status_code == 404


def test_the_report_shows_each_chart_with_its_table(client, busy):
    login_as(client, busy.evaluator)
    page = client.get(reverse("insights:service")).content.decode()
    charts = page.count('<figure class="app-insights-chart">')
    assert charts >= 8
    assert charts <= page.count('<table class="nhsuk-table"')
    assert "Requests each month, by route in" in page and "Goal attainment at closure" in page
    assert "NHS Talking Therapies" in page


def test_bad_choices_get_a_clear_message(client, busy):
    login_as(client, busy.evaluator)
    today = timezone.localdate()
    later, earlier = add_months(today.replace(day=1), -1), add_months(today.replace(day=1), -5)
    page = client.get(
        reverse("insights:service"), {"start": later.strftime("%Y-%m"), "end": earlier.strftime("%Y-%m")}
    ).content.decode()
    assert "The end of the period must be the same month as its start or later" in page
    page = client.get(reverse("insights:service"), {"start": "1999-01", "end": "nonsense"}).content.decode()
    assert "Select a valid choice" in page


def test_a_choice_that_would_isolate_someone_is_refused_on_the_page_and_in_the_download(client, busy):
    login_as(client, busy.evaluator)
    month = default_period(timezone.localdate())[1]
    practice = Organisation.objects.create(name="A practice", kind="gp_practice", support_service=busy.service)
    fact(busy.service, month=month, employer=practice)
    choices = {"start": month.strftime("%Y-%m"), "end": month.strftime("%Y-%m")}
    assert "These figures are not shown" not in client.get(reverse("insights:service"), choices).content.decode()
    # The practice alone is one person; the trust alone leaves out that one person.
    for organisation in (practice, busy.doctor.doctor_profile.employer):
        page = client.get(reverse("insights:service"), {**choices, "organisation": organisation.pk}).content.decode()
        assert "These figures are not shown" in page
        response = client.get(reverse("insights:service_csv"), {**choices, "organisation": organisation.pk})
        assert response.content.decode().startswith("Not shown: ")


def test_the_csv_has_every_table(client, busy):
    login_as(client, f.MembershipFactory(organisation=busy.service, role=Role.SERVICE_ADMIN).user)
    response = client.get(reverse("insights:service_csv"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Requests each month, by route in" in body and "Exit feedback" in body


def test_the_board_pdf_is_tagged_with_a_title_and_language(client, busy):
    login_as(client, busy.evaluator)
    response = client.get(reverse("insights:board_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Board report: ")
    assert "/DisplayDocTitle" in str(root.get("/ViewerPreferences", {}))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "How requests and cases ended" in text
    structure = str(root["/StructTreeRoot"].get_object())
    assert structure  # headings, tables: checked by kind below
    kinds = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if depth < 40:
                        walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= kinds, kinds


def test_no_name_email_or_gmc_number_in_any_page_or_download(client, busy):
    login_as(client, busy.evaluator)
    contents = []
    for name in PAGES:
        response = client.get(reverse(name))
        if response["Content-Type"] == "application/pdf":
            reader = pypdf.PdfReader(io.BytesIO(response.content))
            contents.append("".join(page.extract_text() for page in reader.pages))
        else:
            contents.append(response.content.decode())
    text = "\n".join(contents)
    for doctor in (busy.doctor, busy.other_doctor):
        profile = doctor.doctor_profile
        for value in (doctor.full_name, doctor.email, profile.gmc_number):
            assert value not in text


@pytest.mark.parametrize(
    "name, sqlite, postgresql",
    [("insights:service", 23, 17), ("insights:equity", 8, 8), ("insights:board", 26, 20)],
)
def test_the_pages_make_a_fixed_number_of_queries(client, busy, name, sqlite, postgresql, django_assert_num_queries):
    """Sign-in checks, the memberships, then the reports' summed queries: the same however many requests."""
    from django.db import connection

    login_as(client, busy.evaluator)
    client.get(reverse(name))  # the session's first page settles the sign-in's own writes
    with django_assert_num_queries(postgresql if connection.vendor == "postgresql" else sqlite):
        assert client.get(reverse(name)).status_code == 200
