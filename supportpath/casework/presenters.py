"""Inbox rows and their NHS tags: urgent, overdue, due soon."""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from supportpath.core.dates import long_date
from supportpath.core.working_days import working_days_between
from supportpath.referrals.models import Status, SupportRequest, SupportRequestReason, labels_of_reasons


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str


@dataclass(frozen=True)
class InboxRow:
    reference: str
    link: str  # the request's page
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


# A reference as the service writes them (``referrals.models.new_reference``): letters, digits and hyphens, which
# an address holds as they are.
PLAIN_REFERENCE = re.compile(r"[A-Za-z0-9-]+")
STAND_IN = "SP-STAND-IN"


def request_links() -> Callable[[str], str]:
    """The address of each request's page, for a list's rows: reversed once, with a stand-in reference, and each
    plain reference put in its place (any other is reversed itself). ``reverse`` looks the name up and checks
    its argument against the pattern every time, about a hundred calls of Python for each row."""
    before, _, after = reverse("casework:request_detail", args=[STAND_IN]).partition(STAND_IN)

    def link(reference: str) -> str:
        if PLAIN_REFERENCE.fullmatch(reference):
            return f"{before}{reference}{after}"
        return reverse("casework:request_detail", args=[reference])

    return link


def inbox_rows(requests: list[SupportRequest], today: dt.date) -> list[InboxRow]:
    """The inbox's rows, with every request's reasons read in one query as rows: a prefetch would build a model
    instance for each reason, several times the Python for the same words. It is the prefetch's own statement
    (the same columns, no order of its own), so each request's reasons come in the order its page shows them."""
    codes: dict[int, list[str]] = defaultdict(list)
    if requests:
        reasons = SupportRequestReason.objects.filter(request_id__in=[r.pk for r in requests])
        for _, request_id, reason in reasons.values_list("pk", "request_id", "reason"):
            codes[request_id].append(reason)
    link = request_links()
    return [inbox_row(r, today, reasons=codes[r.pk], link=link) for r in requests]


def inbox_row(
    support_request: SupportRequest,
    today: dt.date | None = None,
    *,
    reasons: list[str] | None = None,
    link: Callable[[str], str] | None = None,
) -> InboxRow:
    """One request's row; ``reasons``, its reasons' codes when they are read already (else its own), and
    ``link``, the page's ``request_links``."""
    today = today or timezone.localdate()
    if reasons is None:
        reasons = support_request.reason_codes
    link = link or request_links()
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
        link=link(support_request.reference),
        doctor=support_request.doctor.user.display_name,
        organisation=employer.name if employer else "Not given",
        route=support_request.get_route_display(),
        reasons=", ".join(labels_of_reasons(reasons, support_request.other_reason)),
        received=long_date(support_request.submitted_at),
        due=long_date(support_request.first_contact_due),
        next_step=next_step,
        tags=tags,
    )
