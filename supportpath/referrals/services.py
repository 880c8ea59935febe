"""Rules for routes into support: which service a request goes to, and making a request exactly once."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Organisation, OrganisationKind
from supportpath.core.dates import long_date
from supportpath.core.working_days import add_working_days
from supportpath.notifications.tasks import queue_email
from supportpath.sharing import agreement as sharing

from .models import Route, SupportRequest, SupportRequestReason

SUPPORT_SERVICE_KINDS = (OrganisationKind.REGIONAL_PSU, OrganisationKind.INDEPENDENT)


def support_services() -> list[Organisation]:
    return list(Organisation.objects.filter(kind__in=SUPPORT_SERVICE_KINDS).order_by("name"))


def services_for(doctor: DoctorProfile) -> list[Organisation]:
    """The services a doctor could ask: their employer's, or, with no employer, every service there is."""
    if doctor.employer is not None:
        return [doctor.employer.serving_service]
    return support_services()


def first_contact_due(submitted_on) -> "timezone.datetime.date":
    return add_working_days(submitted_on, settings.TARGET_WORKING_DAYS["first_contact"])


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
    doctor: DoctorProfile, service: Organisation, answers: SelfReferral, token: uuid.UUID
) -> SupportRequest:
    """Make the request once: a second submission with the same token returns the first request."""
    existing = SupportRequest.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    now = timezone.now()
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
                first_contact_due=first_contact_due(timezone.localdate(now)),
                submission_token=token,
            )
            SupportRequestReason.objects.bulk_create(
                SupportRequestReason(request=support_request, reason=reason) for reason in answers.reasons
            )
            sharing.record_self_referral_answer(support_request, employer_may_be_told=answers.employer_may_be_told)
            queue_email(
                key=f"self-referral-received:{support_request.pk}",
                to=doctor.user.email,
                subject="We have your request for support",
                template="referrals/email/self_referral_received.txt",
                context={
                    "name": doctor.user.full_name,
                    "reference": support_request.reference,
                    "service": service.name,
                    "due": long_date(support_request.first_contact_due),
                    "urgent": support_request.urgent,
                    "site_url": settings.SITE_URL,
                },
            )
    except IntegrityError:
        return SupportRequest.objects.get(submission_token=token)
    return support_request
