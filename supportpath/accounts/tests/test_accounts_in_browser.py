"""The account journeys in a real browser, with and without JavaScript: creating an account from the emailed
link, "Forgotten your password?", and a doctor changing their own details. Every page is checked with axe in
the run with JavaScript (axe is a script, so it cannot run in the other)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from supportpath.accounts.models import User
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, create_account, sign_in
from supportpath.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JS = pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])


def _page_and_check(request, javascript: bool):
    page = request.getfixturevalue("page" if javascript else "page_without_js")

    def check(page):
        if javascript:
            assert_accessible(page)

    return page, check


def _link(base_url: str, pattern: str) -> str:
    url = re.search(pattern, mail.outbox[-1].body).group(0)
    return base_url + "/" + url.split("://", 1)[1].split("/", 1)[1]


@JS
def test_a_doctor_creates_an_account_from_the_emailed_link(request, live_server, world, javascript):
    page, check = _page_and_check(request, javascript)
    body = page.locator("body")
    email = f"iris.{'js' if javascript else 'nojs'}@example.test"
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_role("link", name="create an account").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    check(page)

    page.get_by_label("Your full name").fill("Dr Iris Newcomer")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("GMC reference number").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(body).to_contain_text("Enter a GMC reference number of 7 digits")
    expect(page.get_by_label("Your full name")).to_have_value("Dr Iris Newcomer")
    check(page)

    page.get_by_label("GMC reference number").fill("7654321" if javascript else "7654322")
    page.get_by_role("group", name="Your career stage").get_by_label("Consultant").check()
    page.get_by_role("group", name="Do you work as a locum?").get_by_label("Yes", exact=True).check()
    page.get_by_label("Specialty (optional)").fill("Anaesthetics")
    page.get_by_label("United Kingdom").check()
    page.get_by_label("Where do you work?").select_option(label=world.trust.name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your email to finish setting up your account")).to_be_visible()
    expect(body).to_contain_text(email)
    check(page)
    assert not User.objects.filter(email=email).exists()

    page.goto(_link(live_server.url, r"\S+/account/create/finish/\S+"))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    check(page)
    page.get_by_label("Create a password").fill("too short")
    page.get_by_role("button", name="Create account").click()
    expect(body).to_contain_text("at least 12 characters")
    check(page)
    page.get_by_label("Create a password").fill("a long and memorable passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(body).to_contain_text("Your account is set up and you are signed in.")
    check(page)
    profile = User.objects.get(email=email).doctor_profile
    assert (profile.career_stage, profile.contract_type, profile.employer) == ("consultant", "locum", world.trust)


def test_an_account_made_from_the_sign_in_page_carries_on_to_where_it_was_going(page_without_js, live_server, world):
    page = page_without_js
    page.goto(f"{live_server.url}/account/sign-in/?next=/ask-for-support/reasons/")
    page.get_by_role("link", name="create an account").click()
    create_account(
        page,
        live_server.url,
        full_name="Dr Olu Next",
        email="olu@example.test",
        gmc_number="7000999",
        employer=world.trust.name,
    )
    expect(page.get_by_role("heading", name="What would you like help with?")).to_be_visible()


@JS
def test_a_doctor_who_forgot_their_password_chooses_a_new_one(request, live_server, world, javascript):
    page, check = _page_and_check(request, javascript)
    body = page.locator("body")
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Forgotten your password?")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Send me a link").click()
    expect(body).to_contain_text("Enter your email address")
    check(page)
    page.get_by_label("Email address").fill(world.doctor.email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(body).to_contain_text(f"If an account uses {world.doctor.email}, we have sent a link")
    check(page)

    page.goto(_link(live_server.url, r"\S+/account/reset-password/\S+"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert "set-password" in page.url  # the token has left the address bar
    check(page)
    page.get_by_label("Create a new password").fill("password1234")
    page.get_by_role("button", name="Save new password").click()
    expect(body).to_contain_text("too common")
    check(page)
    page.get_by_label("Create a new password").fill("a brand new memorable passphrase")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    check(page)

    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email address").fill(world.doctor.email)
    page.get_by_label("Password", exact=True).fill("a brand new memorable passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/my-support/**")


def test_an_invited_doctor_with_no_password_sets_one_from_forgotten_password(page, live_server):
    invited = f.DoctorFactory(user__email="invited@example.test").user
    invited.set_unusable_password()
    invited.save()
    page.goto(f"{live_server.url}/account/forgotten-password/")
    page.get_by_label("Email address").fill("invited@example.test")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert mail.outbox[-1].subject == "Set a password for your supportpath account"
    page.goto(_link(live_server.url, r"\S+/account/reset-password/\S+"))
    page.get_by_label("Create a new password").fill("a brand new memorable passphrase")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    invited.refresh_from_db()
    assert invited.check_password("a brand new memorable passphrase")


@JS
def test_a_doctor_changes_their_details_from_your_account(request, live_server, world, javascript):
    page, check = _page_and_check(request, javascript)
    body = page.locator("body")
    sign_in(page, live_server.url, world.doctor)
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    check(page)

    page.get_by_role("link", name="Change career stage").click()
    expect(page.get_by_role("heading", name="Your career stage")).to_be_visible()
    check(page)
    page.get_by_label("Consultant", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(body).to_contain_text("Your details are saved.")
    expect(page.locator("#your-details")).to_contain_text("Consultant")
    check(page)

    page.get_by_role("link", name="Change phone number").click()
    page.get_by_label("Phone number (optional)").fill("call me")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Phone number (optional)")).to_have_value("call me")
    check(page)
    page.get_by_label("Phone number (optional)").fill("07700 900 982")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#your-details")).to_contain_text("07700 900 982")

    page.get_by_role("link", name="Change where you work").click()
    check(page)
    page.get_by_label("Where do you work?").select_option(label="Not listed, or I work as a locum")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#your-details")).to_contain_text("Not listed, or I work as a locum")
    world.doctor.doctor_profile.refresh_from_db()
    assert world.doctor.doctor_profile.employer is None
    assert world.doctor.check_password(PASSWORD)
