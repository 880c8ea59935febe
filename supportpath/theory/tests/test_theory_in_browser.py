"""The programme theory in the browser, as the service's evaluator: load the paper's CMOCs, refine one, see what
the data say, record a judgement, make a research export. Every page axe-checked (with JavaScript, which axe
needs); the same journey without JavaScript."""

import pytest
from playwright.sync_api import expect

from supportpath.accounts.models import Role
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in
from supportpath.theory import facts
from supportpath.theory.models import Cmoc, ResearchExport, Status

from .helpers import many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluator(monkeypatch):
    service = f.ServiceFactory(name="Fictional Fen Professional Support Unit")
    person = f.MembershipFactory(organisation=service, role=Role.EVALUATOR, user__full_name="Dr Val Evaluator").user
    rows = (
        many(16, context={"route_in": "self"}, checkin={"4": 5}, completed=True)
        + many(4, context={"route_in": "self"}, checkin={"4": 2}, completed=False)
        + many(8, context={"route_in": "referred"}, checkin={"4": 5}, completed=True)
        + many(12, context={"route_in": "referred"}, checkin={"4": 2}, completed=False)
    )
    monkeypatch.setattr(facts, "_source", lambda s: rows)
    return person


def _journey(page, base_url, person, check):
    sign_in(page, base_url, person)
    page.goto(base_url + "/theory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The programme theory")
    check(page)
    page.get_by_role("button", name="Load the paper's CMOCs").click()
    expect(page.locator("body")).to_contain_text("34 CMOCs from the paper added to the theory.")
    check(page)

    page.get_by_role("link", name="4.7 (CMOC)", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CMOC 4.7")
    check(page)
    page.get_by_role("link", name="Refine this CMOC").click()
    check(page)
    page.get_by_label("Context", exact=True).fill("The doctor asked for support themselves, in any way")
    page.get_by_role("group", name="Status").get_by_label("Refined").check()
    page.get_by_label("Why you are making this change").fill("In our service's own words")
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator("body")).to_contain_text("CMOC 4.7 is now at version 2.")
    expect(page.locator("body")).to_contain_text("In our service's own words")
    check(page)

    page.get_by_role("link", name="What the data say", exact=True).click()
    expect(page.get_by_role("heading", name="CMOC 4.7: bears it out")).to_be_visible()
    expect(page.locator("body")).to_contain_text("not proof")
    check(page)
    page.get_by_role("link", name="Record a judgement on CMOC 4.7").click()
    check(page)
    page.get_by_role("button", name="Record the judgement").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select your judgement")
    check(page)
    page.get_by_label("Supported").check()
    page.get_by_label("Your note").fill("Borne out in our records")
    page.get_by_role("button", name="Record the judgement").click()
    expect(page.locator("body")).to_contain_text("recorded as a new version")
    check(page)

    page.get_by_role("link", name="Back to the theory").click()
    page.get_by_role("link", name="Overview for the board", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The theory at a glance")
    check(page)
    page.get_by_role("link", name="Research exports", exact=True).click()
    check(page)
    page.get_by_role("link", name="Make a research export").click()
    check(page)
    page.get_by_label("Purpose of the research").fill("Routes in and completion")
    page.get_by_label("Approval reference").fill("IRAS 424242")
    page.get_by_label("I confirm the data will be used only for this approved purpose and kept securely").check()
    page.get_by_role("button", name="Make the export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Research export")
    expect(page.locator("body")).to_contain_text("IRAS 424242")
    check(page)
    href = page.get_by_role("link", name="Download the data package (zip)").get_attribute("href")
    assert page.request.get(base_url + href).body()[:2] == b"PK"

    cmoc = Cmoc.objects.get(reference="4.7")
    assert (cmoc.status, cmoc.version) == (Status.SUPPORTED, 3)
    assert ResearchExport.objects.get().approval_reference == "IRAS 424242"


def test_registry_edit_report_judgement_and_export(page, live_server, evaluator):
    _journey(page, live_server.url, evaluator, assert_accessible)


def test_registry_edit_report_judgement_and_export_without_javascript(page_without_js, live_server, evaluator):
    # axe needs JavaScript to run: every page is checked in the test above; this one proves the journey works without.
    _journey(page_without_js, live_server.url, evaluator, lambda page: None)
