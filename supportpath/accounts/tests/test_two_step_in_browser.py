"""Two-step sign-in in a real browser, without JavaScript: set up, backup codes, signing in with a code and
with a backup code, and the lockout page. Every page is checked with axe in the run with JavaScript."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from supportpath.testing import factories as f
from supportpath.testing.auth import current_code
from supportpath.testing.browser import assert_accessible
from supportpath.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_case_manager_sets_up_two_step_sign_in_and_uses_it(request, live_server, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_js")

    def check(page):
        # axe runs as a script, so it can only check the pages in the run with JavaScript.
        if javascript:
            assert_accessible(page)

    case_manager = f.MembershipFactory(role="case_manager", user__full_name="Dan Manager").user

    password_step(page, live_server.url, case_manager.email)
    page.wait_for_url("**/account/two-step/set-up/**")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = page.locator("#secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]{32,}", secret)
    check(page)

    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("link", name=re.compile("The code is not right"))).to_be_visible()
    check(page)

    device = TOTPDevice.objects.get(user=case_manager)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_url("**/account/two-step/backup-codes/**")
    codes = [code.strip() for code in page.locator("#backup-codes li").all_inner_texts()]
    assert len(codes) == 10
    check(page)
    page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    page.wait_for_url("**/cases/**")

    # Next time: password, then a backup code.
    page.context.clear_cookies()
    password_step(page, live_server.url, case_manager.email)
    page.wait_for_url("**/account/two-step/code/**")
    check(page)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/cases/**")

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("You have 9 unused backup codes")).to_be_visible()
    check(page)


def test_the_lockout_page_is_clear_and_accessible(page, live_server, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(page, live_server.url, "someone@example.test", "a wrong password")
    expect(page.get_by_role("heading", name="Signing in is paused for 15 minutes")).to_be_visible()
    assert_accessible(page)
