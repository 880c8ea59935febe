"""The whole journey in a browser: a service admin opens emergency access with a reason and reads the record;
the case manager sees the alert and marks it seen; the doctor sees who, when and why. With and without
JavaScript, every page checked with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from supportpath.testing.browser import assert_accessible as check
from supportpath.testing.browser import sign_in

from .conftest import PRIVATE_NOTE, REASON, SHARED_SUMMARY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _journey(page, base_url, world, admins, *, javascript: bool):
    # axe runs in the page, so it needs JavaScript: the same pages are checked in the JavaScript run.
    def assert_accessible(page):
        if javascript:
            check(page)

    reference = world.self_request.reference

    # The service admin
    sign_in(page, base_url, admins.admin)
    page.goto(base_url + reverse("accounts:your_account"))
    assert_accessible(page)
    page.get_by_role("link", name="Emergency access to a doctor's record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your emergency accesses")
    assert_accessible(page)
    page.get_by_role("button", name="Open emergency access to a record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open emergency access to a record")
    assert_accessible(page)

    page.get_by_label("Reference of the request or case").fill(reference)
    page.get_by_role("button", name="Open the record for 60 minutes").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select why you need to open this record now")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why you need to open this record")
    assert_accessible(page)
    expect(page.get_by_label("Reference of the request or case")).to_have_value(reference)

    page.get_by_label("The doctor needs something urgently and nobody on their case can be reached").check()
    page.get_by_label("Say why, in a sentence or two").fill(REASON)
    page.get_by_label("I understand that this is logged").check()
    page.get_by_role("button", name="Open the record for 60 minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dr Ada Example")
    expect(page.locator("body")).to_contain_text("Emergency access: read only")
    expect(page.locator("body")).to_contain_text(SHARED_SUMMARY)
    assert PRIVATE_NOTE not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="End emergency access now").click()
    expect(page.locator("body")).to_contain_text(f"Emergency access to {reference} has ended")
    expect(page.locator("body")).to_contain_text("Pages opened")
    assert_accessible(page)
    page.context.clear_cookies()

    # The case manager
    sign_in(page, base_url, world.case_manager)
    page.goto(base_url + reverse("casework:inbox"))
    expect(page.locator("body")).to_contain_text("Emergency access to your service's records")
    expect(page.locator("body")).not_to_contain_text(REASON)  # the reason is a logged read, one click on
    assert_accessible(page)
    page.get_by_role("link", name=f"Check the reason for emergency access to {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Emergency access to {reference}")
    expect(page.locator("body")).to_contain_text(REASON)
    assert_accessible(page)
    page.get_by_role("button", name="Mark as seen").click()
    expect(page.locator("body")).to_contain_text("Marked as seen")
    expect(page.locator("body")).not_to_contain_text(REASON)
    assert_accessible(page)
    page.context.clear_cookies()

    # The doctor
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("referrals:my_support"))
    expect(page.locator("body")).to_contain_text("Someone used emergency access to your record")
    expect(page.locator("body")).to_contain_text(
        "Hana Admin, service admin at North Fictional Professional Support Unit"
    )
    assert_accessible(page)
    page.get_by_role("link", name="See exactly what they looked at").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen your record")
    expect(page.locator(".app-access-row--emergency").first).to_contain_text("Emergency access")
    expect(page.locator(".app-access-row--emergency").first).to_contain_text(REASON)
    assert_accessible(page)
    page.goto(base_url + reverse("referrals:my_support"))
    page.get_by_role("button", name="I have read this").click()
    expect(page.locator("body")).to_contain_text("You can always find this")
    expect(page.locator("body")).not_to_contain_text("Someone used emergency access to your record")
    assert_accessible(page)


def test_emergency_access_from_the_admin_to_the_doctor(page, live_server, full_record, admins):
    _journey(page, live_server.url, full_record, admins, javascript=True)


def test_emergency_access_works_without_javascript(page_without_js, live_server, full_record, admins):
    _journey(page_without_js, live_server.url, full_record, admins, javascript=False)
