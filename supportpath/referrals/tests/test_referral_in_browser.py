import pytest
from playwright.sync_api import expect

from supportpath.referrals.models import SupportRequest
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refer_and_read(page, base_url, world, *, check):
    body = page.locator("body")
    sign_in(page, base_url, world.referrer)
    page.goto(base_url + "/refer/")
    check(page)
    page.get_by_role("button", name="Start a referral").click()
    check(page)
    page.get_by_label("The doctor's GMC reference number").fill(world.other_doctor.doctor_profile.gmc_number)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="About the referral")).to_be_visible()
    check(page)
    page.get_by_label("Supervisor").check()
    page.get_by_label("Exams").check()
    page.get_by_label("What have you noticed?").fill("He has seemed worried about the exam since October.")
    page.get_by_label("What have you already discussed with the doctor?").fill(
        "We agreed on Monday that support could help."
    )
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the referral before sending")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    check(page)
    referral = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile)
    page.get_by_role("link", name="Your referrals").click()
    check(page)
    expect(body).to_contain_text(referral.reference)
    page.context.clear_cookies()

    sign_in(page, base_url, world.other_doctor)
    expect(page.get_by_role("heading", name="My support")).to_be_visible()
    check(page)
    page.goto(f"{base_url}/referrals/{referral.reference}/about-your-referral/")
    check(page)
    expect(body).to_contain_text("Dr Cara Supervisor")
    expect(body).to_contain_text("He has seemed worried about the exam since October.")
    page.get_by_label("Add your own account").fill("Exams have been hard since my father was ill.")
    page.get_by_role("button", name="Save your account").click()
    expect(body).to_contain_text("Your account is saved")
    check(page)
    expect(body).to_contain_text("Exams have been hard since my father was ill.")


def test_a_referral_and_the_doctors_view_of_it(page, live_server, world):
    _refer_and_read(page, live_server.url, world, check=assert_accessible)


def test_the_referral_journey_works_without_javascript(page_without_js, live_server, world):
    _refer_and_read(page_without_js, live_server.url, world, check=lambda page: None)
