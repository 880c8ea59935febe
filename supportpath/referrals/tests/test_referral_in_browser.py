import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from supportpath.referrals.models import ReferralInvitation, SupportRequest
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refer_and_read(page, base_url, world, *, check):
    body = page.locator("body")
    sign_in(page, base_url, world.referrer)
    page.goto(base_url + "/refer/")
    check(page)
    page.get_by_role("button", name="Start a referral").click()
    check(page)
    page.get_by_role("button", name="Continue").click()  # nothing typed: all three are asked for
    expect(body).to_contain_text("Enter the doctor's email address")
    check(page)
    page.get_by_label("The doctor's GMC reference number").fill(world.other_doctor.doctor_profile.gmc_number)
    page.get_by_label("The doctor's full name").fill("Dr Ben Example")
    page.get_by_label("The doctor's email address").fill("ben.example@work.example.test")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="About the referral")).to_be_visible()
    check(page)
    page.get_by_label("Supervisor").check()
    page.get_by_label("Exams").check()
    page.get_by_label("What have you noticed?").fill("He has seemed worried about the exam since October.")
    page.get_by_label("What have you already discussed with the doctor?").fill(
        "We agreed on Monday that support could help."
    )
    page.get_by_role("group", name="Is there anything that makes this urgent?").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Is this referral part of a formal, mandated process?").get_by_label(
        "No", exact=True
    ).check()
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
    page.goto(f"{base_url}/my-support/{referral.reference}/about-your-referral/")
    check(page)
    expect(body).to_contain_text("Dr Cara Supervisor")
    expect(body).to_contain_text("He has seemed worried about the exam since October.")
    page.get_by_label("Add your own account").fill("Exams have been hard since my father was ill.")
    page.get_by_role("button", name="Save your account").click()
    expect(body).to_contain_text("Your account is saved")
    check(page)
    expect(body).to_contain_text("Exams have been hard since my father was ill.")
    page.context.clear_cookies()

    # The support service reads the doctor's own account on the request page.
    sign_in(page, base_url, world.case_manager)
    page.goto(f"{base_url}/cases/requests/{referral.reference}/")
    expect(page.get_by_role("heading", name="In the doctor's own words")).to_be_visible()
    expect(body).to_contain_text("Exams have been hard since my father was ill.")
    check(page)


def test_a_referral_and_the_doctors_view_of_it(page, live_server, world):
    _refer_and_read(page, live_server.url, world, check=assert_accessible)


def test_the_referral_journey_works_without_javascript(page_without_js, live_server, world):
    _refer_and_read(page_without_js, live_server.url, world, check=lambda page: None)


def _invited_doctor_joins(page, base_url, world, *, check, email):
    body = page.locator("body")
    sign_in(page, base_url, world.referrer)
    page.goto(base_url + "/refer/doctor/")
    page.get_by_label("The doctor's GMC reference number").fill("7999999")
    page.get_by_label("The doctor's full name").fill("Dr New Starter")
    page.get_by_label("The doctor's email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Supervisor").check()
    page.get_by_role("checkbox", name="Something else").check()
    page.get_by_label("If something else, what might support help with?").fill("Settling into a new team")
    page.get_by_label("What have you noticed?").fill("She has started a new post and says she feels isolated.")
    page.get_by_label("What have you already discussed with the doctor?").fill("We talked on Friday.")
    page.get_by_role("group", name="Is there anything that makes this urgent?").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Is this referral part of a formal, mandated process?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    expect(body).to_contain_text("Something else: Settling into a new team")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    referral = SupportRequest.objects.get(doctor__user__email=email)

    # The first email went astray: the referrer sends it again from the referral's page.
    page.goto(f"{base_url}/referrals/{referral.reference}/")
    check(page)
    page.get_by_role("button", name="Email the doctor again").click()
    expect(body).to_contain_text(
        "If Dr New Starter has not replied to the support service yet, we have emailed them again."
    )
    check(page)
    page.context.clear_cookies()

    invitation = ReferralInvitation.objects.get(request=referral)
    assert invitation.times_sent == 2
    links = [re.search(r"(/referrals/invitation/[^/\s]+/)", m.body).group(1) for m in mail.outbox if m.to == [email]]
    old, new = links[-2], links[-1]
    page.goto(base_url + old)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    check(page)
    page.goto(base_url + new)
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Create account").click()
    expect(body).to_contain_text("Select your career stage")
    check(page)
    page.get_by_label("Foundation doctor").check()
    page.get_by_label("Resident doctor (in training)").check()
    page.get_by_label("United Kingdom").check()
    page.get_by_label("Create a password").fill("a perfectly long passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="About your referral")).to_be_visible()
    check(page)
    expect(body).to_contain_text("She has started a new post and says she feels isolated.")


def test_an_invited_doctor_gets_a_new_link_and_creates_their_account(page, live_server, world):
    _invited_doctor_joins(page, live_server.url, world, check=assert_accessible, email="new.starter@example.test")


def test_the_invitation_journey_works_without_javascript(page_without_js, live_server, world):
    _invited_doctor_joins(page_without_js, live_server.url, world, check=lambda page: None, email="n2@example.test")
