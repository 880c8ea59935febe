"""Triage rules: attempts to make contact, first contact, accepting a request as a case, handing it over to
another service, closing it ("no response", "not for this service"), and recording how an urgent one was dealt
with.

Each action locks the request row and re-checks its status, so two case managers acting at once cannot both
succeed in conflicting actions; the second is told what happened instead.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.core.dates import long_date
from supportpath.core.working_days import add_working_days
from supportpath.referrals.emails import email_doctor
from supportpath.referrals.models import EndedAs, HandoverDestination, Status, SupportRequest

from .models import Case, ContactAttempt, Stage

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


def accept(support_request: SupportRequest, *, by: User, at: dt.datetime | None = None, notify: bool = True) -> Case:
    """Accept the request as a case (once: a repeated click returns the same case).

    The demo accepts its cases here too, as history: ``at`` is when the case opened, and ``notify=False``
    tells nobody."""
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
            opened_at=at or timezone.now(),
            stage=Stage.INITIAL_CONVERSATION,
            initial_conversation_due=conversation_due,
            plan_agreed_due=plan_due,
        )
        locked.status = Status.ACCEPTED
        locked.save(update_fields=["status"])
        if not notify:  # the fictional demo's history, told to nobody
            return case
        email_doctor(
            locked,
            key=f"request-accepted:{locked.pk}",
            subject="Your support: what happens next",
            template="casework/email/accepted.txt",
            context={
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
    support_request: SupportRequest,
    *,
    by: User,
    destination: str,
    reason: str,
    consent: bool,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> SupportRequest:
    """Hand the request over to another service, with the doctor's agreement (the demo dates its history with
    ``at`` and tells nobody with ``notify=False``)."""
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
        locked.handed_over_at = at or timezone.now()
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
        if not notify:  # the fictional demo's history, told to nobody
            return locked
        email_doctor(
            locked,
            key=f"request-handed-over:{locked.pk}",
            subject="Your request for support: another service can help",
            template="casework/email/handed_over.txt",
            context={
                "reference": locked.reference,
                "destination": HANDOVER_CONTACTS[HandoverDestination(destination)],
                "service": locked.service.name,
            },
        )
    return locked


# A request closes as "no response" only after this many recorded attempts to reach the doctor.
ATTEMPTS_BEFORE_NO_RESPONSE = 2


def record_attempt(
    support_request: SupportRequest, *, by: User, on: dt.date, method: str, outcome: str, token: uuid.UUID
) -> ContactAttempt:
    """One attempt to reach the doctor (once per press of the button)."""
    existing = ContactAttempt.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status != Status.RECEIVED:
            raise AlreadyDecided(locked)
        return ContactAttempt.objects.create(
            request=locked, made_on=on, method=method, outcome=outcome, recorded_by=by, submission_token=token
        )


def record_urgent_dealt_with(support_request: SupportRequest, *, by: User, on: dt.date, action: str) -> SupportRequest:
    """How an urgent request was dealt with: from now on it no longer shows as urgent (a second press keeps the
    first record)."""
    with transaction.atomic():
        locked = _locked(support_request)
        if not locked.urgent or locked.urgent_dealt_with_on is not None:
            return locked
        locked.urgent_dealt_with_on = on
        locked.urgent_dealt_with_by = by
        locked.urgent_action = action
        locked.save(update_fields=["urgent_dealt_with_on", "urgent_dealt_with_by", "urgent_action"])
    return locked


class NotEnoughAttempts(Exception):
    pass


def can_close(support_request: SupportRequest) -> bool:
    """Still waiting (not yet a case, handed over or ended), so a case manager may close it."""
    return support_request.status in OPEN_STATUSES and not Case.objects.filter(request=support_request).exists()


def close_request(
    support_request: SupportRequest,
    *,
    by: User,
    ended_as: str,
    message: str,
    signposted_to: str = "",
    notify: bool = True,
    at: dt.datetime | None = None,
) -> SupportRequest:
    """Close a request that will not become a case: "no response" after enough recorded attempts (before any
    contact), or "not for this service" with where the doctor was pointed instead. The doctor is told kindly,
    by email and on My support. A second press finds it closed and changes nothing.

    The demo closes requests here too, as history: ``at`` is when it was closed, and ``notify=False`` tells
    nobody."""
    if ended_as not in (EndedAs.NO_RESPONSE, EndedAs.NOT_ELIGIBLE):
        raise ValueError(f"Not a way a case manager closes a request: {ended_as}")
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status == Status.CLOSED and locked.ended_as == ended_as:
            return locked
        if not can_close(locked):
            raise AlreadyDecided(locked)
        if ended_as == EndedAs.NO_RESPONSE:
            if locked.status != Status.RECEIVED:
                raise AlreadyDecided(locked)  # contact was made after all
            if ContactAttempt.objects.filter(request=locked).count() < ATTEMPTS_BEFORE_NO_RESPONSE:
                raise NotEnoughAttempts()
        locked.status = Status.CLOSED
        locked.ended_as = ended_as
        locked.ended_at = at or timezone.now()
        locked.ended_by = by
        locked.ending_message = message
        locked.signposted_to = signposted_to if ended_as == EndedAs.NOT_ELIGIBLE else ""
        locked.save(update_fields=["status", "ended_as", "ended_at", "ended_by", "ending_message", "signposted_to"])
        if not notify:  # the fictional demo's history, told to nobody
            return locked
        email_doctor(
            locked,
            key=f"request-closed:{locked.pk}",
            subject="Your request for support"
            if ended_as == EndedAs.NO_RESPONSE
            else "Your request: where to find help",
            template=f"casework/email/{ended_as}.txt",
            context={
                "reference": locked.reference,
                "service": locked.service.name,
                "message": message,
                "destination": HANDOVER_CONTACTS[HandoverDestination(signposted_to)] if signposted_to else "",
                "site_url": settings.SITE_URL,
            },
        )
    return locked
