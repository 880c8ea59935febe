"""Asking first, account last: someone without an account says what they need, then creates their account, and
sends their answers once the account is made from the emailed link (docs/adr/0002-ask-first-account-last.md)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from supportpath.accounts.models import User
from supportpath.referrals import self_referral
from supportpath.referrals.models import SelfReferralDraft, SupportRequest
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .test_self_referral import ANSWERS, answer_everything

DETAILS = reverse("referrals:self_referral_details")
CHECK = reverse("referrals:self_referral_check")
EMAIL_SENT = reverse("referrals:self_referral_email_sent")
PASSWORD = "a long and memorable passphrase"


def details(world, **changes) -> dict:
    return {
        "full_name": "Dr Iris Newcomer",
        "email": "iris@example.test",
        "gmc_number": "7654321",
        "career_stage": "specialty_trainee",
        "locum": "no",
        "qualification_region": "uk",
        "employer": str(world.trust.pk),
        "submission_token": "0b0f4b7e-8f0e-4d3e-9f61-6b0f4c2b9a11",
        **changes,
    }


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def create_account(client, capture, world, **changes):
    """Answer everything, give the account's details, and return the page that follows."""
    assert answer_everything(client)["Location"] == DETAILS
    with capture(execute=True):
        response = client.post(DETAILS, details(world, **changes))
    assert response["Location"] == EMAIL_SENT
    return client.get(EMAIL_SENT).content.decode()


def follow_link(client, message):
    link = path_of(re.search(r"\S+/account/create/finish/\S+", message.body).group(0))
    response = client.get(link)
    return client.post(response["Location"], {"password": PASSWORD})


@pytest.mark.django_db
def test_someone_without_an_account_answers_first_and_their_answers_are_kept_encrypted(client, world):
    response = answer_everything(client)
    assert response["Location"] == DETAILS
    draft = SelfReferralDraft.objects.get()
    assert draft.doctor is None and len(draft.browser_key_hash) == 64
    assert draft.answers["account"] == ANSWERS["account"]
    # Only the hash of the browser's key is stored, and the answers are not readable in the database.
    assert client.session[self_referral.BROWSER_DRAFT_KEY] != draft.browser_key_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM referrals_selfreferraldraft")
        stored = cursor.fetchone()[0]
    assert "exhausted" not in stored
    page = client.get(DETAILS).content.decode()
    assert "Create an account to send your request" in page
    assert "Your request is not sent until you do" in page


@pytest.mark.django_db
def test_the_account_is_made_from_the_link_and_the_doctor_then_checks_and_sends(
    client, world, django_capture_on_commit_callbacks
):
    page = create_account(client, django_capture_on_commit_callbacks, world)
    assert "Your request has not been sent yet" in page and "iris@example.test" in page
    assert not User.objects.filter(email="iris@example.test").exists()
    assert not SupportRequest.objects.filter(doctor__user__email="iris@example.test").exists()

    # The link may be opened elsewhere (a phone): the answers follow the account, not the browser.
    phone = client.__class__()
    response = follow_link(phone, mail.outbox[-1])
    assert response.status_code == 302
    response = phone.get(response["Location"])
    assert response["Location"] == CHECK
    page = phone.get(CHECK).content.decode()
    assert "Your request has not been sent yet: check your answers" in page
    assert ANSWERS["account"]["account"] in page
    assert not SupportRequest.objects.filter(doctor__user__email="iris@example.test").exists()

    token = SelfReferralDraft.objects.get().answers["token"]
    response = phone.post(CHECK, {"token": token})
    support_request = SupportRequest.objects.get(doctor__user__email="iris@example.test")
    assert not SelfReferralDraft.objects.exists()
    assert response["Location"] == reverse("referrals:self_referral_done", args=[support_request.reference])


@pytest.mark.django_db
def test_an_address_that_has_an_account_gets_the_same_page_and_its_owner_signs_in_to_carry_on(
    client, world, django_capture_on_commit_callbacks
):
    owner = f.DoctorFactory(user__email="iris@example.test")
    page = create_account(client, django_capture_on_commit_callbacks, world)
    assert "Your request has not been sent yet" in page
    assert mail.outbox[-1].subject == "Someone tried to create a supportpath account with your email address"
    assert "/account/create/finish/" not in mail.outbox[-1].body

    login_as(client, owner.user)
    assert "Carry on with your request" in client.get(reverse("referrals:self_referral_start")).content.decode()
    page = client.get(CHECK).content.decode()
    assert ANSWERS["account"]["account"] in page
    assert SelfReferralDraft.objects.get().doctor == owner


@pytest.mark.django_db
def test_a_gmc_number_with_an_account_is_not_revealed(client, world, django_capture_on_commit_callbacks):
    f.DoctorFactory(gmc_number="7654321")
    page = create_account(client, django_capture_on_commit_callbacks, world)
    assert "Your request has not been sent yet" in page
    assert mail.outbox[-1].subject == "We could not finish setting up your supportpath account"


@pytest.mark.django_db
def test_only_the_account_with_the_typed_address_can_take_the_answers(
    client, world, django_capture_on_commit_callbacks
):
    create_account(client, django_capture_on_commit_callbacks, world)
    body = mail.outbox[-1].body
    # Someone else, signed in, who somehow had the way back from the link, gets nothing.
    other = client.__class__()
    login_as(other, world.other_doctor)
    claim = f"/ask-for-support/account-ready/{SelfReferralDraft.objects.get().pk}/"
    assert other.get(claim)["Location"] == CHECK
    draft = SelfReferralDraft.objects.get(browser_key_hash__isnull=False)
    assert draft.doctor is None
    assert "/account/create/finish/" in body


@pytest.mark.django_db
def test_the_questions_ask_for_an_account_only_once_every_question_is_answered(client, world):
    assert client.get(DETAILS)["Location"] == reverse("referrals:self_referral_step", args=["reasons"])
    assert client.get(CHECK)["Location"] == DETAILS


@pytest.mark.django_db
def test_staff_cannot_ask_for_support_as_a_doctor(client, world):
    login_as(client, world.case_manager)
    assert client.get(DETAILS).status_code == 403
    assert client.post(reverse("referrals:self_referral_step", args=["reasons"]), ANSWERS["reasons"]).status_code == 403
    assert not SelfReferralDraft.objects.exists()
