"""The doctor changes what the person who referred them and their responsible officer can see; each of them
then sees exactly that. Every page passes axe, with JavaScript and without."""

import pytest
from playwright.sync_api import expect

from supportpath.testing.browser import assert_accessible, sign_in

from .conftest import build_sharing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _journey(page, base_url, world, *, check):
    sharing = build_sharing(world)
    reference = sharing.referral.reference
    body = page.locator("body")

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + "/my-support/")
    page.get_by_role("link", name="Who can see what about this referral").click()
    expect(page.get_by_role("heading", name="Who can see what", exact=True)).to_be_visible()
    check(page)
    page.get_by_role("link", name="Change what Dr Cara Supervisor can see").click()
    expect(page.get_by_role("heading", name="What may Dr Cara Supervisor see?")).to_be_visible()
    check(page)
    page.get_by_label("Goals", exact=True).check()
    page.get_by_role("button", name="Save your choices").click()
    expect(body).to_contain_text("Your choices are saved (version 1). Dr Cara Supervisor can now see: goals.")
    check(page)

    page.get_by_role("link", name="Change what your responsible officer can see").click()
    check(page)
    page.get_by_label("Milestones", exact=True).check()
    page.get_by_role("button", name="Save your choices").click()
    expect(body).to_contain_text("Your responsible officer can now see: milestones.")
    page.get_by_role("link", name="See exactly what each version shared").click()
    expect(page.get_by_role("heading", name="Version 2 (now)")).to_be_visible()
    check(page)
    page.context.clear_cookies()

    sign_in(page, base_url, world.referrer)
    page.goto(f"{base_url}/referrals/{reference}/")
    expect(body).to_contain_text("Lead the handover with calm")
    expect(body).not_to_contain_text("Run one handover alone")
    expect(body).not_to_contain_text("sleep and low mood")
    check(page)
    page.context.clear_cookies()

    sign_in(page, base_url, sharing.officer)
    expect(page.get_by_role("heading", name="Doctors who share with you")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Dr Ada Example").click()
    expect(body).to_contain_text("Run one handover alone")
    expect(body).not_to_contain_text("Lead the handover with calm")
    expect(body).not_to_contain_text("Talking therapy")
    check(page)


def test_the_doctor_changes_what_others_see_and_they_see_exactly_that(page, live_server, world):
    _journey(page, live_server.url, world, check=assert_accessible)


def test_sharing_works_without_javascript(page_without_js, live_server, world):
    # axe needs JavaScript; the pages are the same ones checked above.
    _journey(page_without_js, live_server.url, world, check=lambda page: None)
