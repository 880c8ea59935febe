"""The insights in the browser: the evaluator lands on "How the service is doing", chooses a period, reads equity,
capacity and the board report; the service admin loads a workforce file (a bad one first). Every page axe-checked;
the same without JavaScript. Each chart has its table."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.accounts.models import Role
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

from ..selection import add_months, default_period
from .helpers import fact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = "career_stage,contract_type,qualification_region,ethnic_group,gender,age_band,headcount\n"


def no_check(page):
    return None


@pytest.fixture
def unit():
    service = f.ServiceFactory(name="Fictional Fenland PSU")
    trust = f.OrganisationFactory(name="Fictional Fen Hospitals NHS Trust", support_service=service)
    evaluator = f.MembershipFactory(organisation=service, role=Role.EVALUATOR, user__full_name="Eve Evaluator").user
    admin = f.MembershipFactory(organisation=service, role=Role.SERVICE_ADMIN, user__full_name="Ada Admin").user
    start, end = default_period(timezone.localdate())
    month = start
    while month <= end:
        for i in range(12):
            fact(
                service,
                month=month,
                employer=trust,
                qualification_region="international" if i % 4 == 0 else "uk",
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
                measures={"phq-9": (12 + i % 4, 6), "gad-7": (9, 5)},
                feedback={"safe_to_be_open": 4 + i % 2},
            )
        month = add_months(month, 1)
    return service, trust, evaluator, admin


def _evaluator(page, base_url, unit, check):
    _, _, evaluator, _ = unit
    sign_in(page, base_url, evaluator)
    expect(page.get_by_role("heading", level=1)).to_have_text("How the service is doing")
    check(page)
    assert page.locator("figure.app-insights-chart").count() >= 8
    for figure in page.locator("section.app-insights-section").all():
        if figure.locator("figure").count():
            assert figure.locator("table").count() == 1  # each chart has its table
    latest = default_period(timezone.localdate())[1]
    page.get_by_label("From the start of").select_option(latest.strftime("%Y-%m"))
    page.get_by_label("To the end of").select_option(add_months(latest, -2).strftime("%Y-%m"))
    page.get_by_role("button", name="Show these figures").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The end of the period must be")
    check(page)
    page.get_by_label("To the end of").select_option(latest.strftime("%Y-%m"))
    page.get_by_role("button", name="Show these figures").click()
    expect(page.get_by_text(latest.strftime("%B %Y") + ", the whole service.")).to_be_visible()
    page.get_by_role("link", name="Equity of access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equity of access")
    expect(page.get_by_text("No workforce file has been loaded")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Capacity").click()
    page.get_by_label("How many more facilitators?").fill("2")
    page.get_by_role("button", name="Work out the waits").click()
    expect(page.get_by_role("rowheader", name="With 2 more")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Board report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board report")
    expect(page.get_by_role("link", name="Download the board report (PDF, tagged for screen readers)")).to_be_visible()
    check(page)


def _admin(page, base_url, unit, check):
    _, trust, _, admin = unit
    sign_in(page, base_url, admin)
    page.goto(base_url + "/insights/equity/")
    page.get_by_role("link", name="Load or replace a workforce file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce files")
    check(page)
    page.get_by_label("Organisation").select_option(label=trust.name)
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "w.csv", "mimeType": "text/csv", "buffer": (HEADER + "gp,gp,uk,white,male,,lots\n").encode()}]
    )
    page.get_by_role("button", name="Load the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 2, headcount: 'lots' is not a whole number")
    check(page)
    data = HEADER + "specialty_trainee,resident,uk,white,female,25_to_35,600\n"
    data += "specialty_trainee,resident,international,asian,male,25_to_35,400\n"
    page.get_by_label("Organisation").select_option(label=trust.name)
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "w.csv", "mimeType": "text/csv", "buffer": data.encode()}]
    )
    page.get_by_role("button", name="Load the file").click()
    expect(
        page.get_by_text("Loaded the workforce of Fictional Fen Hospitals NHS Trust: 1,000 doctors.")
    ).to_be_visible()
    check(page)
    page.goto(base_url + "/insights/equity/")
    expect(page.get_by_role("heading", name="Flags")).to_be_visible()
    expect(page.get_by_role("heading", name="By primary medical qualification")).to_be_visible()
    check(page)


def test_the_evaluator_reads_the_reports(page, live_server, unit):
    _evaluator(page, live_server.url, unit, assert_accessible)


def test_the_evaluator_reads_the_reports_without_javascript(page_without_js, live_server, unit):
    _evaluator(page_without_js, live_server.url, unit, no_check)


def test_the_admin_loads_a_workforce_file(page, live_server, unit):
    _admin(page, live_server.url, unit, assert_accessible)


def test_the_admin_loads_a_workforce_file_without_javascript(page_without_js, live_server, unit):
    _admin(page_without_js, live_server.url, unit, no_check)
