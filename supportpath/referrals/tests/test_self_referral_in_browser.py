import pytest
from playwright.sync_api import expect

from supportpath.referrals.models import SupportRequest
from supportpath.testing.browser import assert_accessible, create_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ask_for_support(page, base_url, world, *, gmc: str, email: str, check):
    body = page.locator("body")
    page.goto(base_url + "/")
    check(page)
    page.get_by_role("button", name="Ask for support").click()
    check(page)
    page.get_by_role("button", name="Create an account").click()
    check(page)
    create_account(page, base_url, full_name="Dr Iris Newcomer", email=email, gmc_number=gmc, employer=world.trust.name)
    expect(page.get_by_role("heading", name="What would you like help with?")).to_be_visible()
    page.get_by_role("button", name="Continue").click()  # nothing chosen: an error
    expect(body).to_contain_text("Select at least one thing you would like help with")
    check(page)
    page.get_by_label("Exams").check()
    page.get_by_label("Assertiveness and confidence").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="In your own words, what is happening?")).to_be_visible()
    check(page)
    page.get_by_label("In your own words, what is happening?").fill("I have failed my exam twice and feel stuck.")
    page.get_by_role("button", name="Continue").click()

    check(page)
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    check(page)
    page.get_by_role("button", name="Continue").click()  # employer: the default answer is no

    check(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    check(page)
    expect(body).to_contain_text("I have failed my exam twice and feel stuck.")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    check(page)
    support_request = SupportRequest.objects.get(doctor__user__email=email)
    expect(body).to_contain_text(support_request.reference)

    page.get_by_role("link", name="My support").last.click()
    check(page)
    expect(body).to_contain_text(support_request.reference)
    expect(body).to_contain_text("What happens next")


def test_a_doctor_asks_for_support_from_the_start_page(page, live_server, world):
    _ask_for_support(page, live_server.url, world, gmc="7654321", email="iris@example.test", check=assert_accessible)


def test_the_same_journey_works_without_javascript(page_without_js, live_server, world):
    _ask_for_support(
        page_without_js, live_server.url, world, gmc="7654322", email="iris2@example.test", check=lambda page: None
    )
