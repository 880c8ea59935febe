"""In a real browser, with and without JavaScript: a service admin invites a facilitator, who joins, sets up
two-step sign-in and accepts an offer that came to them when the admin ended another facilitator's membership;
the leaver is refused at once and the doctor sees the new name. axe checks every page in the run with
JavaScript."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from supportpath.accounts.models import User
from supportpath.casework.models import Case
from supportpath.facilitation.models import Allocation
from supportpath.testing.auth import current_code
from supportpath.testing.browser import assert_accessible, sign_in
from supportpath.testing.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://[^/\s]+(/service/join/\S+/)")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_an_admin_invites_a_facilitator_who_joins_and_takes_over_a_leavers_offer(
    request, live_server, another_page, javascript
):
    world = build_world()
    admin_page = request.getfixturevalue("page" if javascript else "page_without_js")

    def check(page):
        if javascript:  # axe runs as a script
            assert_accessible(page)

    # The facilitator who will leave is signed in somewhere.
    leaver_page = another_page(javascript=javascript)
    sign_in(leaver_page, live_server.url, world.facilitator)
    leaver_page.goto(f"{live_server.url}/facilitation/offered/")
    expect(leaver_page.get_by_role("heading", level=1)).to_be_visible()
    leaver_url = leaver_page.url

    # The admin invites a new facilitator.
    sign_in(admin_page, live_server.url, world.service_admin)
    admin_page.goto(f"{live_server.url}/service/")
    admin_page.get_by_role("link", name="Staff", exact=True).first.click()
    expect(admin_page.get_by_role("heading", name="Staff", level=1)).to_be_visible()
    check(admin_page)
    admin_page.get_by_role("button", name="Invite someone").click()
    check(admin_page)
    admin_page.get_by_role("button", name="Send the invitation").click()
    expect(admin_page.get_by_role("link", name="Enter their full name")).to_be_visible()
    check(admin_page)
    admin_page.get_by_label("Full name").fill("Noor Newcoach")
    admin_page.get_by_label("Work email address").fill("noor.newcoach@example.test")
    admin_page.get_by_label("Facilitator").check()
    admin_page.get_by_role("button", name="Send the invitation").click()
    expect(admin_page.get_by_text("We have emailed Noor Newcoach")).to_be_visible()
    expect(admin_page.get_by_role("heading", name="Invited, not joined yet")).to_be_visible()
    check(admin_page)

    # Noor follows the emailed link, chooses a password and sets up two-step sign-in.
    link = live_server.url + LINK.search(mail.outbox[-1].body).group(1)
    noor_page = another_page(javascript=javascript)
    noor_page.goto(link)
    expect(noor_page.get_by_role("heading", name="Choose your password")).to_be_visible()
    check(noor_page)
    noor_page.get_by_label("Create a password").fill("a long walk by the river")
    noor_page.get_by_role("button", name="Continue").click()
    noor_page.wait_for_url("**/account/two-step/set-up/**")
    check(noor_page)
    noor = User.objects.get(email="noor.newcoach@example.test")
    device = TOTPDevice.objects.get(user=noor, confirmed=False)
    noor_page.get_by_label("Code from your authenticator app").fill(current_code(device))
    noor_page.get_by_role("button", name="Turn on two-step sign-in").click()
    noor_page.wait_for_url("**/account/two-step/backup-codes/**")
    check(noor_page)
    noor_page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    noor_page.wait_for_url("**/facilitation/**")
    check(noor_page)

    # The admin ends the other facilitator's membership; Noor takes over their offer.
    admin_page.goto(f"{live_server.url}/service/staff/")
    admin_page.get_by_role("link", name=re.compile(f"Manage {world.facilitator.full_name}")).click()
    check(admin_page)
    admin_page.get_by_role("link", name="End their membership").click()
    check(admin_page)
    admin_page.get_by_role("button", name="End membership").click()
    expect(admin_page.get_by_role("link", name="Select who takes over as facilitator")).to_be_visible()
    check(admin_page)
    admin_page.get_by_label("Noor Newcoach").check()
    admin_page.get_by_role("button", name="End membership").click()
    expect(admin_page.get_by_text("1 open allocation moved to Noor Newcoach").first).to_be_visible()
    check(admin_page)

    # The leaver is refused at once.
    leaver_page.goto(leaver_url)
    leaver_page.wait_for_url("**/account/sign-in/**")

    # Noor accepts the offer.
    noor_page.goto(f"{live_server.url}/facilitation/offered/")
    noor_page.get_by_role("link", name=re.compile(f"Case {world.case.request.reference}")).click()
    check(noor_page)
    noor_page.get_by_label("Yes, I accept this case").check()
    noor_page.get_by_role("button", name="Send your answer").click()
    check(noor_page)
    assert Case.objects.get(pk=world.case.pk).facilitator == noor
    assert Allocation.objects.get(pk=world.allocation.pk).facilitator == noor

    # The doctor sees the new name.
    doctor_page = another_page(javascript=javascript)
    sign_in(doctor_page, live_server.url, world.doctor)
    doctor_page.goto(f"{live_server.url}/my-support/case/{world.case.pk}/")
    expect(doctor_page.get_by_text("Noor Newcoach").first).to_be_visible()
    check(doctor_page)
