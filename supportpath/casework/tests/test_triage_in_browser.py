import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.casework.models import Case
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _triage(page, base_url, world, *, check):
    urgent = f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile, service=world.service, urgent=True)
    sign_in(page, base_url, world.case_manager)
    expect(page.get_by_role("heading", name="New requests")).to_be_visible()
    check(page)
    first_link = page.locator("tbody a").first
    expect(first_link).to_have_text(urgent.reference)  # urgent first
    first_link.click()
    expect(page.get_by_role("heading", name="Dr Ben Example")).to_be_visible()
    check(page)
    page.get_by_label("Date of first contact").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Phone", exact=True).check()
    page.get_by_role("button", name="Record first contact").click()
    expect(page.locator("body")).to_contain_text("First contact is recorded.")
    check(page)
    page.get_by_role("button", name="Accept as a case").click()
    expect(page.get_by_role("heading", name="Accepted cases")).to_be_visible()
    check(page)
    assert Case.objects.filter(request=urgent, case_manager=world.case_manager).exists()
    page.get_by_role("link", name=urgent.reference).click()
    expect(page.get_by_role("heading", name="Dr Ben Example")).to_be_visible()
    check(page)


def test_a_case_manager_picks_up_an_urgent_request(page, live_server, world):
    _triage(page, live_server.url, world, check=assert_accessible)


def test_the_same_triage_works_without_javascript(page_without_js, live_server, world):
    _triage(page_without_js, live_server.url, world, check=lambda page: None)
