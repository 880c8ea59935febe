"""Rules for routes into support: which service a request goes to, and making a request exactly once."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Organisation, OrganisationKind
from supportpath.core.dates import long_date
from supportpath.core.working_days import add_working_days

from . import seams
from . import urgent as urgent_alerts
from .emails import email_doctor
from .models import EndedAs, Route, Status, SupportRequest, SupportRequestReason

SUPPORT_SERVICE_KINDS = (OrganisationKind.REGIONAL_PSU, OrganisationKind.INDEPENDENT)


def support_services() -> list[Organisation]:
    return list(Organisation.objects.filter(kind__in=SUPPORT_SERVICE_KINDS).order_by("name"))


def services_for(doctor: DoctorProfile) -> list[Organisation]:
    """The services a doctor could ask: their employer's, or, with no employer, every service there is."""
    if doctor.employer is not None:
        return [doctor.employer.serving_service]
    return support_services()


def first_contact_due(submitted_on, *, urgent: bool = False) -> "timezone.datetime.date":
    """The first-contact target: shorter for an urgent request (``TARGET_URGENT_FIRST_CONTACT_DAYS``)."""
    days = settings.TARGET_URGENT_FIRST_CONTACT_DAYS if urgent else settings.TARGET_WORKING_DAYS["first_contact"]
    return add_working_days(submitted_on, days)


@dataclass(frozen=True)
class SelfReferral:
    reasons: list[str]
    other_reason: str
    account: str
    contact_method: str
    phone: str
    contact_times: str
    employer_may_be_told: bool
    urgent: bool
    urgency_details: str
    signposted: bool = False  # came through a signpost's link (the route "signposted"; nothing else is kept)


def submit_self_referral(
    doctor: DoctorProfile,
    service: Organisation,
    answers: SelfReferral,
    token: uuid.UUID,
    *,
    submitted_at: dt.datetime | None = None,
    reference: str = "",
    notify: bool = True,
) -> SupportRequest:
    """Make the request once: a second submission with the same token returns the first request.

    ``submitted_at``, ``reference`` and ``notify=False`` are for the fictional demo's history: when it was
    made, its fixed reference, and nobody told (no email to the doctor, no alert to the case managers)."""
    existing = SupportRequest.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    now = timezone.now() if submitted_at is None else submitted_at
    try:
        with transaction.atomic():
            support_request = SupportRequest.objects.create(
                doctor=doctor,
                service=service,
                route=Route.SIGNPOSTED if answers.signposted else Route.SELF,
                other_reason=answers.other_reason,
                doctor_account=answers.account,
                contact_method=answers.contact_method,
                contact_phone=answers.phone,
                contact_times=answers.contact_times,
                urgent=answers.urgent,
                urgency_details=answers.urgency_details,
                submitted_at=now,
                first_contact_due=first_contact_due(timezone.localdate(now), urgent=answers.urgent),
                submission_token=token,
                **({"reference": reference} if reference else {}),
            )
            SupportRequestReason.objects.bulk_create(
                SupportRequestReason(request=support_request, reason=reason) for reason in answers.reasons
            )
            seams.record_self_referral_answer(support_request, employer_may_be_told=answers.employer_may_be_told)
            if not notify:
                return support_request
            email_doctor(
                support_request,
                key=f"self-referral-received:{support_request.pk}",
                subject="We have your request for support",
                template="referrals/email/self_referral_received.txt",
                context={
                    "reference": support_request.reference,
                    "service": service.name,
                    "due": long_date(support_request.first_contact_due),
                    "urgent": support_request.urgent,
                    "site_url": settings.SITE_URL,
                },
            )
            if support_request.urgent:
                urgent_alerts.tell_case_managers(support_request)
    except IntegrityError:
        return SupportRequest.objects.get(submission_token=token)
    return support_request


WITHDRAWABLE = (Status.RECEIVED, Status.CONTACTED)


class CannotWithdraw(Exception):
    """The request is already a case, or has ended, or is a mandated referral the doctor cannot decline."""


def can_withdraw(support_request: SupportRequest) -> bool:
    """A doctor may withdraw their own request, or decline a referral, until it is accepted as a case (then
    they tell their case manager, who closes the case with them). A mandated referral cannot be declined."""
    # ``case`` is the reverse of the case app's one-to-one: read by name, as this layer sits below it.
    became_a_case = hasattr(support_request, "case")
    return support_request.status in WITHDRAWABLE and not support_request.mandated and not became_a_case


def withdraw(
    support_request: SupportRequest, *, by, reason: str, share_reason: bool, notify: bool = True
) -> SupportRequest:
    """The doctor withdraws their request or declines a referral, with an optional reason. The person who
    referred reads the reason only if the doctor shares it (they always see that the referral has closed)."""
    with transaction.atomic():
        locked = (
            SupportRequest.objects.select_for_update()
            .select_related("service", "doctor__user")
            .get(pk=support_request.pk)
        )
        ended_as = EndedAs.DECLINED if locked.is_referral else EndedAs.WITHDRAWN
        if locked.status == Status.CLOSED and locked.ended_as == ended_as:
            return locked  # a second press
        if not can_withdraw(locked):
            raise CannotWithdraw()
        locked.status = Status.CLOSED
        locked.ended_as = ended_as
        locked.ended_at = timezone.now()
        locked.ended_by = by
        locked.ending_reason = reason
        locked.ending_reason_shared = bool(reason) and share_reason and locked.is_referral
        locked.save(
            update_fields=["status", "ended_as", "ended_at", "ended_by", "ending_reason", "ending_reason_shared"]
        )
        if not notify:  # the fictional demo's history, told to nobody
            return locked
        email_doctor(
            locked,
            key=f"request-withdrawn:{locked.pk}",
            subject="Your request for support is closed"
            if not locked.is_referral
            else "You have declined the referral",
            template="referrals/email/withdrawn.txt",
            context={
                "reference": locked.reference,
                "service": locked.service.name,
                "referral": locked.is_referral,
                "site_url": settings.SITE_URL,
            },
        )
    return locked
