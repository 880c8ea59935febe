"""Triage rules: first contact, accepting a request as a case, handing it over to another service.

Each action locks the request row and re-checks its status, so two case managers acting at once cannot both
succeed in conflicting actions; the second is told what happened instead.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.core.dates import long_date
from supportpath.core.working_days import add_working_days
from supportpath.notifications.tasks import queue_email
from supportpath.referrals.models import HandoverDestination, Status, SupportRequest

from .models import Case, Stage

OPEN_STATUSES = (Status.RECEIVED, Status.CONTACTED)


class NeedsFirstContact(Exception):
    """The pathway is first contact, then accept or hand over: nothing is decided before the doctor is
    contacted."""


class AlreadyDecided(Exception):
    """The request was accepted or handed over by someone else a moment ago."""

    def __init__(self, support_request: SupportRequest):
        self.support_request = support_request
        super().__init__(support_request.get_status_display())


def _locked(support_request: SupportRequest) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update().select_related("doctor__user", "service").get(pk=support_request.pk)
    )


def record_first_contact(support_request: SupportRequest, *, by: User, on: dt.date, method: str) -> SupportRequest:
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status not in OPEN_STATUSES:
            raise AlreadyDecided(locked)
        locked.first_contact_on = on
        locked.first_contact_method = method
        locked.first_contact_by = by
        locked.status = Status.CONTACTED
        locked.save(update_fields=["first_contact_on", "first_contact_method", "first_contact_by", "status"])
    return locked


def due_dates(submitted_on: dt.date) -> tuple[dt.date, dt.date]:
    targets = settings.TARGET_WORKING_DAYS
    return (
        add_working_days(submitted_on, targets["initial_conversation"]),
        add_working_days(submitted_on, targets["plan_agreed"]),
    )


def accept(support_request: SupportRequest, *, by: User) -> Case:
    """Accept the request as a case (once: a repeated click returns the same case)."""
    with transaction.atomic():
        locked = _locked(support_request)
        existing = Case.objects.filter(request=locked).first()
        if existing is not None:
            return existing
        if locked.status not in OPEN_STATUSES:
            raise AlreadyDecided(locked)
        if locked.status != Status.CONTACTED:
            raise NeedsFirstContact()
        conversation_due, plan_due = due_dates(timezone.localdate(locked.submitted_at))
        case = Case.objects.create(
            request=locked,
            case_manager=by,
            opened_at=timezone.now(),
            stage=Stage.INITIAL_CONVERSATION,
            initial_conversation_due=conversation_due,
            plan_agreed_due=plan_due,
        )
        locked.status = Status.ACCEPTED
        locked.save(update_fields=["status"])
        doctor = locked.doctor.user
        queue_email(
            key=f"request-accepted:{locked.pk}",
            to=doctor.email,
            subject="Your support: what happens next",
            template="casework/email/accepted.txt",
            context={
                "name": doctor.full_name,
                "reference": locked.reference,
                "service": locked.service.name,
                "case_manager": by.full_name,
                "is_referral": locked.is_referral,  # a referred doctor did not ask: not "your request"
                "conversation_due": long_date(conversation_due),
                "site_url": settings.SITE_URL,
            },
        )
    return case


HANDOVER_CONTACTS = {
    HandoverDestination.OCCUPATIONAL_HEALTH: "your employer's occupational health service",
    HandoverDestination.PRACTITIONER_HEALTH: "Practitioner Health, a free and confidential NHS service for doctors",
    HandoverDestination.GP: "your own GP",
    HandoverDestination.PPA: "Practitioner Performance Advice (NHS Resolution)",
    HandoverDestination.UNION: "your union or professional body's support line",
    HandoverDestination.OTHER: "another service",
}


def hand_over(
    support_request: SupportRequest, *, by: User, destination: str, reason: str, consent: bool
) -> SupportRequest:
    if not consent:
        raise ValueError("A handover needs the doctor's agreement")
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status == Status.HANDED_OVER:
            return locked
        if locked.status not in OPEN_STATUSES:
            raise AlreadyDecided(locked)
        if locked.status != Status.CONTACTED:
            raise NeedsFirstContact()
        locked.status = Status.HANDED_OVER
        locked.handed_over_by = by
        locked.handed_over_to = destination
        locked.handover_reason = reason
        locked.handover_consent = True
        locked.handed_over_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "handed_over_to",
                "handover_reason",
                "handover_consent",
                "handed_over_at",
                "handed_over_by",
            ]
        )
        doctor = locked.doctor.user
        queue_email(
            key=f"request-handed-over:{locked.pk}",
            to=doctor.email,
            subject="Your request for support: another service can help",
            template="casework/email/handed_over.txt",
            context={
                "name": doctor.full_name,
                "reference": locked.reference,
                "destination": HANDOVER_CONTACTS[HandoverDestination(destination)],
                "service": locked.service.name,
            },
        )
    return locked
