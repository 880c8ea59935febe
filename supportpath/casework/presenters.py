"""Inbox rows and their NHS tags: urgent, overdue, due soon."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from supportpath.core.dates import long_date
from supportpath.core.working_days import working_days_between
from supportpath.referrals.models import Status, SupportRequest


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str


@dataclass(frozen=True)
class InboxRow:
    reference: str
    doctor: str
    organisation: str
    route: str
    reasons: str
    received: str
    due: str
    next_step: str
    tags: list[Tag]


def due_tag(support_request: SupportRequest, today: dt.date) -> Tag | None:
    if support_request.status == Status.CONTACTED:
        return Tag("Contacted: decide", "nhsuk-tag--blue")
    if support_request.first_contact_due < today:
        return Tag("Overdue", "nhsuk-tag--red")
    if support_request.first_contact_due == today:
        return Tag("Due today", "nhsuk-tag--orange")
    # Counted only for a deadline still to come: a list works it out for every row.
    if working_days_between(today, support_request.first_contact_due) <= 1:
        return Tag("Due soon", "nhsuk-tag--yellow")
    return None


def inbox_row(support_request: SupportRequest, today: dt.date | None = None) -> InboxRow:
    today = today or timezone.localdate()
    tags = []
    if support_request.urgent_open:
        tags.append(Tag("Urgent", "nhsuk-tag--red"))
    tag = due_tag(support_request, today)
    if tag:
        tags.append(tag)
    employer = support_request.doctor.employer
    if support_request.status == Status.CONTACTED:
        next_step = f"Accept or hand over (contacted {long_date(support_request.first_contact_on)})"
    else:
        next_step = f"First contact by {long_date(support_request.first_contact_due)}"
    return InboxRow(
        reference=support_request.reference,
        doctor=support_request.doctor.user.display_name,
        organisation=employer.name if employer else "Not given",
        route=support_request.get_route_display(),
        reasons=", ".join(support_request.reason_labels),
        received=long_date(support_request.submitted_at),
        due=long_date(support_request.first_contact_due),
        next_step=next_step,
        tags=tags,
    )
