"""Forgotten your password?: Django's reset machinery, on our pages, with one answer for every address."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.testing import factories as f
from supportpath.testing.auth import authenticator_for, current_code, login_as
from supportpath.testing.factories import PASSWORD

FORGOTTEN = reverse("accounts:password_reset")
SIGN_IN = reverse("accounts:sign_in")
NEW_PASSWORD = "a brand new memorable passphrase"


def ask(client, capture, email: str, **extra):
    with capture(execute=True):
        return client.post(FORGOTTEN, {"email": email}, **extra)


def reset_link(message) -> str:
    url = re.search(r"\S+/account/reset-password/\S+", message.body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def without_nonce(page: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", page)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    form_url = client.get(link)["Location"]
    assert form_url.endswith("/set-password/")  # the token left the address bar at once
    return client.post(form_url, {"password": password})


@pytest.mark.django_db
def test_the_sign_in_page_links_to_forgotten_password(client):
    page = client.get(SIGN_IN).content.decode()
    assert f'href="{FORGOTTEN}">Forgotten your password?</a>' in page


@pytest.mark.django_db
def test_every_address_gets_the_same_answer_and_only_an_account_gets_an_email(
    client, world, django_capture_on_commit_callbacks
):
    known = ask(client, django_capture_on_commit_callbacks, world.doctor.email, follow=True).content.decode()
    unknown = ask(client, django_capture_on_commit_callbacks, "nobody@example.test", follow=True).content.decode()
    for page, email in ((known, world.doctor.email), (unknown, "nobody@example.test")):
        assert f"If an account uses <strong>{email}</strong>, we have sent a link" in page
    assert without_nonce(known.replace(world.doctor.email, "X")) == without_nonce(
        unknown.replace("nobody@example.test", "X")
    )
    assert [m.to for m in mail.outbox] == [[world.doctor.email]]
    assert mail.outbox[0].subject == "Reset your supportpath password"


@pytest.mark.django_db
def test_a_doctor_resets_their_password_and_every_other_session_ends(client, world, django_capture_on_commit_callbacks):
    laptop, phone = login_as(Client(), world.doctor), login_as(Client(), world.doctor)
    ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    response = choose_password(client, reset_link(mail.outbox[0]))
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    for device in (laptop, phone):
        response = device.get(reverse("accounts:your_account"))
        assert response.status_code == 302 and SIGN_IN in response["Location"]
    assert client.post(SIGN_IN, {"email": world.doctor.email, "password": PASSWORD}).status_code == 200
    response = client.post(SIGN_IN, {"email": world.doctor.email, "password": NEW_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_link_works_once(client, world, django_capture_on_commit_callbacks):
    ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    link = reset_link(mail.outbox[0])
    choose_password(client, link)
    page = Client().get(link).content.decode()
    assert "This link no longer works" in page


@pytest.mark.django_db
def test_the_link_runs_out_after_two_hours(client, world, django_capture_on_commit_callbacks):
    ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    assert "works once, for 2 hours" in mail.outbox[0].body
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2, minutes=5)):
        assert "This link no longer works" in client.get(reset_link(mail.outbox[0])).content.decode()


@pytest.mark.django_db
def test_a_made_up_link_does_not_work(client, world):
    page = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "1a2-abcdef"])).content.decode()
    assert "This link no longer works" in page


@pytest.mark.django_db
def test_a_doctor_invited_by_a_referral_with_no_password_yet_can_set_one(client, django_capture_on_commit_callbacks):
    invited = f.DoctorFactory(user__email="invited@example.test").user
    invited.set_unusable_password()
    invited.save()
    ask(client, django_capture_on_commit_callbacks, "Invited@Example.test")
    assert mail.outbox[0].to == ["invited@example.test"]
    assert mail.outbox[0].subject == "Set a password for your supportpath account"
    choose_password(client, reset_link(mail.outbox[0]))
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_an_account_that_has_been_switched_off_is_sent_nothing(client, django_capture_on_commit_callbacks):
    f.UserFactory(email="left@example.test", is_active=False)
    ask(client, django_capture_on_commit_callbacks, "left@example.test")
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("", "Create a password"),
    ],
)
def test_the_new_password_meets_the_same_rules(client, world, password, message, django_capture_on_commit_callbacks):
    ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    page = choose_password(client, reset_link(mail.outbox[0]), password).content.decode()
    assert message in page and "There is a problem" in page
    world.doctor.refresh_from_db()
    assert world.doctor.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_email_is_sent_by_a_background_task_after_the_request(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(FORGOTTEN, {"email": world.doctor.email})
    assert mail.outbox == []  # nothing is sent inside the request
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_no_more_than_a_few_emails_an_hour_to_one_address_whoever_it_is(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 3
    pages = set()
    start = timezone.now()
    for email in (world.doctor.email, "nobody@example.test"):
        for n in range(5):
            # A few seconds apart: two asks in the same second make the same link, sent once.
            with time_machine.travel(start + dt.timedelta(seconds=10 * n), tick=False):
                response = ask(client, django_capture_on_commit_callbacks, email, follow=True)
            pages.add(without_nonce(response.content.decode().replace(email, "X")))
    assert len(pages) == 1  # over the limit, the page is just the same
    assert len(mail.outbox) == 3
    with time_machine.travel(start + dt.timedelta(minutes=61)):
        ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_staff_still_need_their_second_factor_after_a_reset(client, world, django_capture_on_commit_callbacks):
    device = authenticator_for(world.case_manager)
    ask(client, django_capture_on_commit_callbacks, world.case_manager.email)
    choose_password(client, reset_link(mail.outbox[0]))
    response = client.post(SIGN_IN, {"email": world.case_manager.email, "password": NEW_PASSWORD})
    assert response["Location"].startswith(reverse("accounts:second_factor_verify"))
    assert client.get(reverse("casework:inbox")).status_code == 302
    client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device)})
    assert client.get(reverse("casework:inbox")).status_code == 200


@pytest.mark.django_db
def test_a_reset_lifts_the_pause_on_signing_in_for_that_address(
    client, world, settings, django_capture_on_commit_callbacks
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.0.0.9").post(SIGN_IN, {"email": world.doctor.email, "password": "wrong guess"})
    assert AccessAttempt.objects.filter(username=world.doctor.email).exists()
    ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    choose_password(client, reset_link(mail.outbox[0]))
    assert not AccessAttempt.objects.filter(username=world.doctor.email).exists()
    assert client.post(SIGN_IN, {"email": world.doctor.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-address", "Enter an email address like name@example.com"),
        ("a" * 250 + "@example.test", "An email address must be 254 characters or fewer"),
    ],
)
def test_bad_input_gets_plain_words(client, email, message):
    page = client.post(FORGOTTEN, {"email": email}).content.decode()
    assert message in page and "There is a problem" in page
    assert "Ensure this value" not in page


@pytest.mark.django_db
def test_a_signed_in_person_who_resets_is_signed_out_here_too(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.doctor)
    ask(client, django_capture_on_commit_callbacks, world.doctor.email)
    choose_password(client, reset_link(mail.outbox[0]))
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=world.doctor.pk).check_password(NEW_PASSWORD)
