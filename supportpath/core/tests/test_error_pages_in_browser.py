"""The error pages in a real browser: in the layout, with "Need help now?", and passing axe."""

import pytest
from playwright.sync_api import expect

from supportpath.testing.browser import assert_accessible
from supportpath.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/no-such-page/", "Page not found"),
        ("/test-errors/forbidden/", "You cannot use this page"),
        ("/test-errors/suspicious/", "Sorry, something went wrong with that request"),
        ("/test-errors/broken/", "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_are_accessible_and_offer_urgent_help(page, live_server, settings, path, heading):
    settings.ROOT_URLCONF = "supportpath.core.tests.error_urls"
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Need help now?").first).to_be_visible()
    assert_accessible(page)


def test_the_expired_form_page_is_accessible(page, live_server, world):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.context.clear_cookies()  # as if the CSRF cookie had gone
    page.get_by_label("Email address").fill(world.doctor.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your form could not be sent")).to_be_visible()
    assert_accessible(page)
