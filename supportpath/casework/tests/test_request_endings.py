"""Every way a request ends before it becomes a case: the doctor withdraws or declines (the person who referred
sees only what the doctor shares), a case manager closes it as "no response" after recorded attempts, or as
"not for this service" with signposting; the doctor is told kindly, by email and on My support."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.casework import services
from supportpath.casework.models import ContactAttempt
from supportpath.referrals.models import EndedAs, Status, SupportRequest
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _attempt(client, reference, token, **overrides):
    data = {
        "action": "contact_attempt",
        "made_on": _today(),
        "attempt_method": "phone",
        "outcome": "no_answer",
        "token": token,
        **overrides,
    }
    return client.post(reverse("casework:request_detail", args=[reference]), data)


def test_no_response_needs_recorded_attempts_and_the_doctor_is_told_kindly(
    client, world, django_capture_on_commit_callbacks
):
    referral = world.referral
    login_as(client, world.case_manager)
    close = reverse("casework:close_request", args=[referral.reference])
    message = {"ended_as": "no_response", "message": "We rang twice and left a message."}
    page = client.post(close, message).content.decode()
    assert "Record at least 2 attempts" in page and "(0 recorded so far)" in page

    page = _attempt(client, referral.reference, "", made_on="31/02/2026").content.decode()
    assert "Enter a real date" in page
    _attempt(client, referral.reference, "6d1c8a8e-2f8b-4d9e-9a53-0c4c2a1b9d11")
    _attempt(client, referral.reference, "6d1c8a8e-2f8b-4d9e-9a53-0c4c2a1b9d11")  # a double click
    assert ContactAttempt.objects.filter(request=referral).count() == 1
    _attempt(
        client, referral.reference, "7d1c8a8e-2f8b-4d9e-9a53-0c4c2a1b9d11", attempt_method="email", outcome="no_reply"
    )
    detail = client.get(reverse("casework:request_detail", args=[referral.reference])).content.decode()
    assert "Attempts recorded so far: 2" in detail and "Sent, no reply yet" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(close, message)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.ended_as == EndedAs.NO_RESPONSE
    assert referral.ended_by == world.case_manager
    told = [m for m in mail.outbox if m.to == [world.doctor.email]]
    assert len(told) == 1 and "We rang twice and left a message." in told[0].body
    assert "whenever you are ready" in told[0].body.lower()
    assert "rang twice" not in "".join(m.body for m in mail.outbox if m.to != [world.doctor.email])

    login_as(client, world.doctor)
    my_support = client.get(reverse("referrals:my_support")).content.decode()
    assert "We tried to reach you a few times" in my_support and "You can ask for support again" in my_support
    login_as(client, world.referrer)
    status = client.get(reverse("referrals:referral_status", args=[referral.reference])).content.decode()
    assert "Closed" in status and "rang twice" not in status


def test_not_for_this_service_says_where_to_go(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.case_manager)
    close = reverse("casework:close_request", args=[world.referral.reference])
    page = client.post(close, {"ended_as": "not_eligible", "message": "Please call them."}).content.decode()
    assert "Choose where you suggested the doctor go" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            close,
            {"ended_as": "not_eligible", "signposted_to": "practitioner_health", "message": "Call 0300 0303 300."},
        )
    world.referral.refresh_from_db()
    assert world.referral.ended_as == EndedAs.NOT_ELIGIBLE
    body = next(m for m in mail.outbox if m.to == [world.doctor.email]).body
    assert "Practitioner Health" in body and "not a judgement" in body and "Call 0300 0303 300." in body
    assert client.get(close).status_code == 302, "a closed request has nothing to close"


def test_the_demo_closes_a_request_as_history_telling_nobody(world, django_capture_on_commit_callbacks):
    closed_at = timezone.now() - dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_request(
            world.referral,
            by=world.case_manager,
            ended_as=EndedAs.NOT_ELIGIBLE,
            message="Your GP is the place to start.",
            signposted_to="gp",
            notify=False,
            at=closed_at,
        )
    world.referral.refresh_from_db()
    assert (world.referral.status, world.referral.ended_at) == (Status.CLOSED, closed_at)
    assert mail.outbox == []


def test_the_doctor_declines_a_referral_and_chooses_whether_the_referrer_reads_why(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.doctor)
    my_support = client.get(reverse("referrals:my_support")).content.decode()
    assert "Decline this referral" in my_support
    url = reverse("referrals:withdraw", args=[world.referral.reference])
    page = client.post(url, {"reason": "I have support through my college."}).content.decode()
    assert "Select whether the person who referred you may read your reason" in page
    assert "I have support through my college." in page, "nothing typed is lost"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "I have support through my college.", "share_reason": "no"})
        client.post(url, {"reason": "Pressed twice", "share_reason": "yes"})
    referral = SupportRequest.objects.get(pk=world.referral.pk)
    assert referral.ended_as == EndedAs.DECLINED and referral.ending_reason == "I have support through my college."
    assert not referral.ending_reason_shared
    assert len([m for m in mail.outbox if m.to == [world.doctor.email]]) == 1

    login_as(client, world.referrer)
    status = client.get(reverse("referrals:referral_status", args=[referral.reference])).content.decode()
    assert "Closed" in status and "college" not in status

    SupportRequest.objects.filter(pk=referral.pk).update(ending_reason_shared=True)
    status = client.get(reverse("referrals:referral_status", args=[referral.reference])).content.decode()
    assert "I have support through my college." in status

    login_as(client, world.case_manager)
    detail = client.get(reverse("casework:request_detail", args=[referral.reference])).content.decode()
    assert "Declined by the doctor" in detail and "I have support through my college." in detail


def test_a_doctor_withdraws_their_own_request_without_giving_a_reason(client, world):
    own = SupportRequest.objects.create(
        doctor=world.other_doctor.doctor_profile,
        service=world.service,
        route="self",
        submitted_at=timezone.now(),
        first_contact_due=timezone.localdate() + dt.timedelta(days=7),
    )
    login_as(client, world.other_doctor)
    url = reverse("referrals:withdraw", args=[own.reference])
    page = client.get(url).content.decode()
    assert "Withdraw your request" in page and "person who referred" not in page
    client.post(url, {"reason": ""})
    own.refresh_from_db()
    assert own.ended_as == EndedAs.WITHDRAWN and own.status == Status.CLOSED
    assert "You withdrew this request" in client.get(reverse("referrals:my_support")).content.decode()


def test_a_mandated_referral_cannot_be_declined_and_a_case_is_stopped_with_the_case_manager(client, world):
    SupportRequest.objects.filter(pk=world.referral.pk).update(mandated=True)
    login_as(client, world.doctor)
    response = client.post(reverse("referrals:withdraw", args=[world.referral.reference]), {"reason": ""})
    assert response.status_code == 302
    assert SupportRequest.objects.get(pk=world.referral.pk).status == Status.RECEIVED
    assert client.get(reverse("referrals:withdraw", args=[world.self_request.reference])).status_code == 302
    assert SupportRequest.objects.get(pk=world.self_request.pk).ended_as == ""
