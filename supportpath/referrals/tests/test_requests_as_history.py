"""The routes into support as the fictional demo uses them for its history: made at a given moment, with a given
reference, and nobody told; a referral to a doctor who has not registered yet without an invitation. The access
log still says who made the referral, and when."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from supportpath.audit.models import AccessRecord
from supportpath.core.working_days import add_working_days
from supportpath.referrals.models import ReferralInvitation, SupportRequest, hash_token
from supportpath.referrals.referral_services import invite_to_register, make_referral
from supportpath.referrals.services import SelfReferral, submit_self_referral
from supportpath.referrals.tests.test_referral import DETAILS, as_typed, new_doctor
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.testing import factories as f

pytestmark = pytest.mark.django_db

THEN = dt.datetime(2026, 3, 4, 19, 30, tzinfo=dt.UTC)  # a Wednesday evening


def _answers(**overrides) -> SelfReferral:
    return SelfReferral(
        **{
            "reasons": ["mental_health", "confidence"],
            "other_reason": "",
            "account": "I have been struggling since a difficult case.",
            "contact_method": "email",
            "phone": "",
            "contact_times": "",
            "employer_may_be_told": True,
            "urgent": True,
            "urgency_details": "I am finding it hard to get through the day.",
            **overrides,
        }
    )


def test_a_self_referral_made_as_history_is_dated_then_keeps_its_reference_and_tells_nobody(
    world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    doctor = world.other_doctor.doctor_profile
    # 17: sharing with the employer marks the request as the responsible officer's (``visible_to_officer``).
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(17):
        made = submit_self_referral(
            doctor, world.service, _answers(), uuid.uuid4(), submitted_at=THEN, reference="SP-HIST-0001", notify=False
        )
    request = SupportRequest.objects.get(pk=made.pk)
    assert (request.reference, request.submitted_at) == ("SP-HIST-0001", THEN)
    assert request.first_contact_due == add_working_days(THEN.date(), 1), "urgent, counted from the day it was made"
    assert sorted(request.reason_codes) == ["confidence", "mental_health"]
    # The doctor's answer about their employer is kept as the form keeps it, dated when they gave it.
    assert agreement.allows(request, Audience.EMPLOYER, Item.STAGE)
    assert [v.made_at for v in agreement.versions(request)] == [THEN]
    assert mail.outbox == [], "no email to the doctor, no urgent alert"


def test_a_self_referral_tells_the_doctor_and_the_case_managers_unless_asked_not_to(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = submit_self_referral(world.other_doctor.doctor_profile, world.service, _answers(), uuid.uuid4())
    assert made.submitted_at > THEN and made.reference != "SP-HIST-0001"
    to = {address for m in mail.outbox for address in m.to}
    assert world.other_doctor.email in to and world.case_manager.email in to


def test_a_referral_made_as_history_is_logged_then_and_tells_nobody(
    world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    queries = 14 if connection.vendor == "postgresql" else 13  # as measured on each
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(queries):
        made = make_referral(
            referrer=world.referrer,
            doctor=as_typed(world, world.other_doctor),
            details={**DETAILS, "urgent": "yes", "urgency_details": "They said they could not go on."},
            token=uuid.uuid4(),
            submitted_at=THEN,
            reference="SP-HIST-0002",
            notify=False,
            invite=False,
        )
    referral = SupportRequest.objects.get(pk=made.pk)
    assert (referral.reference, referral.submitted_at, referral.doctor_told_at) == ("SP-HIST-0002", THEN, THEN)
    assert referral.referrer == world.referrer and referral.service == world.service
    logged = AccessRecord.objects.get(doctor=world.other_doctor.doctor_profile)
    assert (logged.actor, logged.action, logged.at) == (world.referrer, AccessRecord.Action.CREATED, THEN)
    assert logged.what == "Referral SP-HIST-0002"
    assert mail.outbox == []


def test_a_referral_as_history_does_not_invite_a_doctor_who_has_not_registered_yet(
    world, django_capture_on_commit_callbacks
):
    waiting = f.DoctorFactory(employer=world.other_doctor.doctor_profile.employer, user__password=None)
    assert not waiting.user.has_usable_password()
    details = {"referrer": world.referrer, "details": DETAILS, "submitted_at": THEN, "notify": False}
    doctor = {"gmc_number": waiting.gmc_number, "full_name": "Dr Not Yet", "email": "not.yet@example.test"}
    with django_capture_on_commit_callbacks(execute=True):
        quiet = make_referral(doctor=doctor, token=uuid.uuid4(), invite=False, **details)
        invited = make_referral(doctor=doctor, token=uuid.uuid4(), **details)
    assert not ReferralInvitation.objects.filter(request=quiet).exists()
    assert ReferralInvitation.objects.filter(request=invited).exists(), "invited unless asked not to"
    assert mail.outbox == []


def test_a_referral_made_without_an_invitation_can_invite_its_doctor_as_history(
    world, django_capture_on_commit_callbacks
):
    waiting = f.DoctorFactory(employer=world.other_doctor.doctor_profile.employer, user__password=None)
    doctor = {"gmc_number": waiting.gmc_number, "full_name": "Dr Not Yet", "email": "not.yet@example.test"}
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(
            referrer=world.referrer,
            doctor=doctor,
            details=DETAILS,
            token=uuid.uuid4(),
            submitted_at=THEN,
            notify=False,
            invite=False,
        )
        invitation, secret = invite_to_register(referral, at=THEN, secret="a-published-demo-link")
    invitation = ReferralInvitation.objects.get(pk=invitation.pk)
    assert secret == "a-published-demo-link" and invitation.token_hash == hash_token(secret)
    assert (invitation.created_at, invitation.sent_at) == (THEN, THEN)
    assert invitation.expires_at == THEN + dt.timedelta(days=settings.REFERRAL_INVITATION_DAYS)
    assert invitation.email == waiting.user.email
    assert mail.outbox == []
    registered = make_referral(
        referrer=world.referrer,
        doctor=as_typed(world, world.other_doctor),
        details=DETAILS,
        token=uuid.uuid4(),
        notify=False,
    )
    with pytest.raises(ValueError, match="not registered yet"):
        invite_to_register(registered)


def test_a_doctor_new_to_the_service_is_always_invited(world):
    with pytest.raises(ValueError, match="always invited"):
        make_referral(referrer=world.referrer, doctor=new_doctor(), details=DETAILS, token=uuid.uuid4(), invite=False)
    assert not SupportRequest.objects.filter(referred_email=new_doctor()["email"]).exists()
