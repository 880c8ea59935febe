"""A referred doctor who was invited by email but never follows the invitation: they reach their account by
"Forgotten your password?" (perhaps after trying to create an account with the invited address) and end up
exactly where the invitation would have put them."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from supportpath.accounts.models import Membership, Role
from supportpath.referrals.models import ReferralInvitation
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .test_referral import invitation_link, new_doctor, refer

NEW_PASSWORD = "a brand new memorable passphrase"


def reset_link(message) -> str:
    url = re.search(r"\S+/account/reset-password/\S+", message.body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def choose_password(client, link: str):
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_done")


def invite(client, world, capture):
    login_as(client, world.referrer)
    with capture(execute=True):
        refer(client, new_doctor())
    client.logout()
    invitation = ReferralInvitation.objects.get()
    assert not Membership.objects.filter(user=invitation.request.doctor.user).exists()
    mail.outbox.clear()
    return invitation


def ask_for_reset(client, capture, email):
    with capture(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": email})


def signed_in_sees_the_referral(client, invitation):
    response = client.post(reverse("accounts:sign_in"), {"email": "new.starter@example.test", "password": NEW_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert f"Reference {invitation.request.reference}" in page and "Referral by Dr Cara Supervisor" in page


def assert_as_if_invitation_followed(invitation, world):
    invitation.refresh_from_db()
    user = invitation.request.doctor.user
    assert invitation.accepted_at is not None
    assert Membership.objects.filter(user=user, organisation=world.trust, role=Role.DOCTOR).exists()


@pytest.mark.django_db
def test_an_invited_doctor_who_resets_their_password_gets_their_membership_and_the_invitation_closes(
    client, world, django_capture_on_commit_callbacks
):
    invitation = invite(client, world, django_capture_on_commit_callbacks)
    ask_for_reset(client, django_capture_on_commit_callbacks, "New.Starter@example.test")
    assert mail.outbox[0].subject == "Set a password for your supportpath account"
    choose_password(client, reset_link(mail.outbox[0]))
    assert_as_if_invitation_followed(invitation, world)
    signed_in_sees_the_referral(client, invitation)


@pytest.mark.django_db
def test_after_a_reset_the_old_invitation_link_no_longer_opens_the_account(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    with django_capture_on_commit_callbacks(execute=True):
        refer(client, new_doctor())
    client.logout()
    link = invitation_link(mail.outbox[0])
    ask_for_reset(client, django_capture_on_commit_callbacks, "new.starter@example.test")
    choose_password(client, reset_link(mail.outbox[1]))
    response = client.get(link)
    assert response.status_code == 410
    assert "You have already created your account" in response.content.decode()


@pytest.mark.django_db
def test_an_invited_doctor_who_tries_to_register_with_the_invited_address_ends_up_the_same(
    client, world, django_capture_on_commit_callbacks
):
    invitation = invite(client, world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:register"),
            {
                "full_name": "Dr New Starter",
                "email": "new.starter@example.test",
                "gmc_number": "7999999",
                "career_stage": "consultant",
                "locum": "yes",
                "qualification_region": "uk",
                "employer": str(world.trust.pk),
                "submission_token": str(uuid.uuid4()),
            },
        )
    [told] = mail.outbox
    assert "there is already an account for it" in told.body
    reset_page = re.search(r"https?://[^/\s]+(/account/forgotten-password/)", told.body).group(1)
    mail.outbox.clear()
    ask_for_reset(client, django_capture_on_commit_callbacks, "new.starter@example.test")
    assert reset_page == reverse("accounts:password_reset")
    choose_password(client, reset_link(mail.outbox[0]))
    assert_as_if_invitation_followed(invitation, world)
    signed_in_sees_the_referral(client, invitation)


@pytest.mark.django_db
def test_a_reset_on_another_account_leaves_an_invitation_to_a_different_person_open(
    client, world, django_capture_on_commit_callbacks
):
    invitation = invite(client, world, django_capture_on_commit_callbacks)
    someone = f.DoctorFactory(user__email="someone@example.test", employer=world.trust).user
    ask_for_reset(client, django_capture_on_commit_callbacks, someone.email)
    choose_password(client, reset_link(mail.outbox[0]))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
