import pytest
from django.urls import reverse

from supportpath.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "name",
    [
        "core:start",
        "core:what_to_expect",
        "core:urgent_help",
        "core:about",
        "accounts:sign_in",
        "accounts:register",
        "accounts:password_reset",
        "accounts:password_reset_sent",
        "accounts:register_sent",
    ],
)
def test_public_pages_pass_axe_wcag_22_aa(page, live_server, name):
    page.goto(live_server.url + reverse(name))
    assert page.get_by_role("link", name="Need help now?").first.is_visible()
    assert_accessible(page)
