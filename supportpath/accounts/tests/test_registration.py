"""Creating an account: the page never says who already has one, and the account is made only from the link."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Membership, PendingRegistration, Role, User
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

REGISTER = reverse("accounts:register")
SENT = reverse("accounts:register_sent")
NEUTRAL = "Check your email to finish setting up your account"


def answers(world, **changes) -> dict:
    data = {
        "full_name": "Dr Iris Newcomer",
        "email": "iris@example.test",
        "gmc_number": "7654321",
        "career_stage": "consultant",
        "locum": "yes",
        "specialty": "Anaesthetics",
        "qualification_region": "international",
        "employer": str(world.trust.pk),
        "submission_token": str(uuid.uuid4()),
    }
    return {**data, **changes}


def register(client, capture, data: dict, **extra):
    with capture(execute=True):
        return client.post(REGISTER, data, **extra)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def finish_link(message) -> str:
    return path_of(re.search(r"\S+/account/create/finish/\S+", message.body).group(0))


@pytest.mark.django_db
def test_the_form_is_neutral_and_only_the_emailed_link_makes_the_account(
    client, world, django_capture_on_commit_callbacks
):
    response = register(client, django_capture_on_commit_callbacks, answers(world), follow=True)
    assert NEUTRAL in response.content.decode()
    assert "iris@example.test" in response.content.decode()
    assert not User.objects.filter(email="iris@example.test").exists()
    assert not DoctorProfile.objects.with_gmc_number("7654321").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["iris@example.test"]
    assert message.subject == "Finish setting up your supportpath account"

    # The link moves its token into the session at once, then asks for a password.
    response = client.get(finish_link(message))
    assert response.status_code == 302 and response["Location"].endswith("/create/finish/set-password/")
    page = client.get(response["Location"]).content.decode()
    assert "Choose your password" in page
    response = client.post(response["Location"], {"password": "a long and memorable passphrase"})
    assert response.status_code == 302

    user = User.objects.get(email="iris@example.test")
    profile = user.doctor_profile
    assert (profile.career_stage, profile.contract_type, profile.specialty, profile.qualification_region) == (
        "consultant",
        "locum",
        "Anaesthetics",
        "international",
    )
    assert profile.employer == world.trust
    assert Membership.objects.filter(user=user, organisation=world.trust, role=Role.DOCTOR).exists()
    assert user.check_password("a long and memorable passphrase")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not PendingRegistration.objects.exists()


@pytest.mark.django_db
def test_the_doctor_goes_on_to_where_they_were_going(client, world, django_capture_on_commit_callbacks):
    next_url = reverse("referrals:self_referral_step", args=["reasons"])
    register(client, django_capture_on_commit_callbacks, {**answers(world), "next": next_url})
    finish = client.get(finish_link(mail.outbox[0]))["Location"]
    response = client.post(finish, {"password": "a long and memorable passphrase"})
    assert response["Location"] == next_url


@pytest.mark.django_db
def test_a_link_elsewhere_is_not_kept_as_where_to_go_next(client, world, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks, {**answers(world), "next": "https://evil.example/"})
    finish = client.get(finish_link(mail.outbox[0]))["Location"]
    response = client.post(finish, {"password": "a long and memorable passphrase"})
    assert response["Location"] == reverse("referrals:my_support")


@pytest.mark.django_db
def test_an_address_with_an_account_gets_the_same_page_and_its_owner_is_told(
    client, world, django_capture_on_commit_callbacks
):
    taken = register(
        client, django_capture_on_commit_callbacks, answers(world, email=world.doctor.email.upper()), follow=True
    )
    fresh = register(client, django_capture_on_commit_callbacks, answers(world), follow=True)
    for response in (taken, fresh):
        page = response.content.decode()
        assert NEUTRAL in page
        assert "already" not in page
    message = mail.outbox[0]
    assert message.to == [world.doctor.email]
    assert message.subject == "Someone tried to create a supportpath account with your email address"
    assert "Dear Dr Ada Example" in message.body  # the account's own name, not the one typed
    assert reverse("accounts:sign_in") in message.body and reverse("accounts:password_reset") in message.body
    assert "/account/create/finish/" not in message.body
    assert User.objects.filter(email__iexact=world.doctor.email).count() == 1
    # Nothing kept about the attempt but what stops a double submission sending twice.
    settled = PendingRegistration.objects.get(email=world.doctor.email)
    assert (settled.full_name, settled.gmc_number, settled.employer) == ("", "", None)


@pytest.mark.django_db
def test_a_gmc_number_with_an_account_is_never_revealed_and_never_gets_a_second_profile(
    client, world, django_capture_on_commit_callbacks
):
    held = world.other_doctor.doctor_profile.gmc_number
    response = register(client, django_capture_on_commit_callbacks, answers(world, gmc_number=held), follow=True)
    page = response.content.decode()
    assert NEUTRAL in page
    assert "GMC" not in page.split("<main", 1)[1]
    message = mail.outbox[0]
    assert message.to == ["iris@example.test"]
    assert message.subject == "We could not finish setting up your supportpath account"
    assert "help@" in message.body and reverse("accounts:password_reset") in message.body
    assert "/account/create/finish/" not in message.body
    assert not User.objects.filter(email="iris@example.test").exists()
    assert DoctorProfile.objects.with_gmc_number(held).count() == 1


@pytest.mark.django_db
def test_a_gmc_number_taken_after_the_link_was_sent_stops_the_account_kindly(
    client, world, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks, answers(world))
    f.DoctorFactory(gmc_number="7654321")  # e.g. a referral invited the doctor in the meantime
    finish = client.get(finish_link(mail.outbox[0]))["Location"]
    page = client.post(finish, {"password": "a long and memorable passphrase"}).content.decode()
    assert "We could not finish setting up your account" in page
    assert not User.objects.filter(email="iris@example.test").exists()
    assert DoctorProfile.objects.with_gmc_number("7654321").count() == 1


@pytest.mark.django_db
def test_two_links_for_one_address_make_one_account(client, world, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks, answers(world))
    register(client, django_capture_on_commit_callbacks, answers(world, career_stage="gp"))
    first, second = (finish_link(m) for m in mail.outbox)
    other_browser = client.__class__()
    finish = client.get(first)["Location"]
    client.post(finish, {"password": "a long and memorable passphrase"})
    finish = other_browser.get(second)
    page = finish.content.decode()
    # The second link stopped working when the account was made from the first.
    assert "This link no longer works" in page
    assert User.objects.filter(email="iris@example.test").count() == 1


@pytest.mark.django_db
def test_a_double_submission_makes_one_pending_registration_and_one_email(
    client, world, django_capture_on_commit_callbacks
):
    data = answers(world)
    register(client, django_capture_on_commit_callbacks, data)
    register(client, django_capture_on_commit_callbacks, data)
    assert PendingRegistration.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_going_back_to_correct_the_address_sends_to_the_new_one(client, world, django_capture_on_commit_callbacks):
    data = answers(world, email="iris@exmaple.test")
    register(client, django_capture_on_commit_callbacks, data)
    register(client, django_capture_on_commit_callbacks, {**data, "email": "iris@example.test"})
    assert [m.to for m in mail.outbox] == [["iris@exmaple.test"], ["iris@example.test"]]


@pytest.mark.django_db
def test_no_more_than_a_few_emails_an_hour_go_to_one_address(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 3
    pages = [
        register(client, django_capture_on_commit_callbacks, answers(world), follow=True).content.decode()
        for _ in range(5)
    ]
    assert len(mail.outbox) == 3
    assert all(NEUTRAL in page for page in pages)  # the page never changes
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        register(client, django_capture_on_commit_callbacks, answers(world))
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_the_limit_for_an_address_counts_the_same_whether_or_not_it_has_an_account(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 2
    for email in (world.doctor.email, "nobody@example.test"):
        for _ in range(3):
            register(client, django_capture_on_commit_callbacks, answers(world, email=email))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.doctor.email] * 2 + ["nobody@example.test"] * 2)


@pytest.mark.django_db
def test_many_addresses_from_one_network_address_are_limited_too(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAILS_PER_NETWORK_PER_HOUR = 4
    for n in range(6):
        register(client, django_capture_on_commit_callbacks, answers(world, email=f"person{n}@example.test"))
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_an_expired_link_no_longer_works_and_the_details_are_deleted(client, world, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks, answers(world))
    link = finish_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        page = client.get(link).content.decode()
        assert "This link no longer works" in page
        register(client, django_capture_on_commit_callbacks, answers(world, email="someone.else@example.test"))
        assert not PendingRegistration.objects.filter(email="iris@example.test").exists()


@pytest.mark.django_db
def test_a_made_up_or_altered_link_does_not_work(client, world, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks, answers(world))
    link = finish_link(mail.outbox[0])
    for bad in (link[:-3] + "xyz/", reverse("accounts:register_finish", args=["set-password"])):
        assert "This link no longer works" in client.get(bad).content.decode()
    assert not User.objects.filter(email="iris@example.test").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("iris@example.test", "too similar"),
        ("", "Create a password"),
    ],
)
def test_weak_passwords_are_refused_without_composition_rules(
    client, world, password, message, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks, answers(world))
    finish = client.get(finish_link(mail.outbox[0]))["Location"]
    response = client.post(finish, {"password": password})
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="iris@example.test").exists()


@pytest.mark.django_db
def test_a_long_lowercase_passphrase_is_accepted(client, world, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks, answers(world))
    finish = client.get(finish_link(mail.outbox[0]))["Location"]
    assert client.post(finish, {"password": "plain lowercase words only"}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "x" * 151, "Your full name must be 150 characters or fewer"),
        ("email", "a" * 250 + "@example.test", "An email address must be 254 characters or fewer"),
        ("specialty", "x" * 121, "Your specialty must be 120 characters or fewer"),
        ("career_stage", "999", "Select your career stage from the list"),
        ("locum", "maybe", "Select whether you work as a locum"),
        ("qualification_region", "mars", "Select where you gained your primary medical qualification from the list"),
        ("employer", "999999", "Select where you work from the list"),
        ("gmc_number", "12345", "Enter a GMC reference number of 7 digits"),
        ("email", "not-an-address", "Enter an email address like name@example.com"),
    ],
)
def test_bad_input_gets_plain_words_and_keeps_what_was_typed(client, world, field, value, message):
    data = answers(world, **{field: value})
    page = client.post(REGISTER, data).content.decode()
    assert message in page
    assert "Ensure this value" not in page and "Select a valid choice" not in page
    assert "There is a problem" in page
    assert 'value="Dr Iris Newcomer"' in page or field == "full_name"
    assert not PendingRegistration.objects.exists()


@pytest.mark.django_db
def test_the_limits_are_stated_on_the_page(client):
    page = client.get(REGISTER).content.decode()
    for limit in ("Up to 150 characters", "Up to 254 characters", "Up to 120 characters", "7 digits"):
        assert limit in page


@pytest.mark.django_db
def test_text_is_shown_escaped(client, world):
    page = client.post(REGISTER, answers(world, full_name="<script>alert(1)</script>", email="bad")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_the_gmc_number_waiting_for_the_link_is_stored_encrypted(client, world, django_capture_on_commit_callbacks):
    from django.db import connection

    register(client, django_capture_on_commit_callbacks, answers(world))
    with connection.cursor() as cursor:
        cursor.execute("SELECT gmc_number FROM accounts_pendingregistration")
        (stored,) = cursor.fetchone()
    assert "7654321" not in stored and stored.startswith("enc1:")


@pytest.mark.django_db
def test_following_the_link_while_signed_in_as_someone_else_signs_in_to_the_new_account(
    client, world, django_capture_on_commit_callbacks
):
    # Whoever holds the link owns the address; the link is theirs to use in any browser.
    login_as(client, world.doctor)
    register(client, django_capture_on_commit_callbacks, answers(world))
    finish = client.get(finish_link(mail.outbox[0]))["Location"]
    client.post(finish, {"password": "a long and memorable passphrase"})
    assert client.session["_auth_user_id"] == str(User.objects.get(email="iris@example.test").pk)
