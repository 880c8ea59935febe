"""The list pages that show doctors' names or requests, and what each says in the doctor's "who has seen my
record". Seeing a doctor in a list is reading their record too, so each list page logs the doctors on the
page it shows, in one batch (``log.record_accesses``), at most once per person, doctor, list and day.

A list that shows only references the doctor cannot be found by (the erasure requests on "Records and
retention") is not here; nor are the doctor's own pages.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from supportpath.accounts.models import DoctorProfile, Role, User
from supportpath.accounts.roles import memberships

from .log import Entry, record_accesses
from .models import AccessRecord


@dataclass(frozen=True)
class ListPage:
    name: str  # the list's URL name, kept in each row
    role: str  # the role the person sees it in
    what: str  # what the doctor reads, as a sentence
    purpose: str


INBOX = ListPage(
    "casework:inbox",
    Role.CASE_MANAGER,
    "Saw your name and request in the case managers' list of new requests",
    "Choosing which requests to pick up",
)
CASES = ListPage(
    "casework:cases",
    Role.CASE_MANAGER,
    "Saw your name in the case managers' list of cases",
    "Keeping track of the service's cases",
)
WAITING_LIST = ListPage(
    "facilitation:waiting_list",
    Role.CASE_MANAGER,
    "Saw your name in the list of doctors waiting for a facilitator",
    "Choosing facilitators for the doctors waiting",
)
OFFERED = ListPage(
    "facilitation:my_allocations",
    Role.FACILITATOR,
    "Saw your name (or, before they took your case, its reference) in their list of cases",
    "Keeping track of the cases offered to them and the doctors they support",
)
REFERRALS = ListPage(
    "referrals:my_referrals",
    Role.REFERRER,
    "Saw your name and the status you share in their list of referrals",
    "Following up referrals they made",
)
OFFICER = ListPage(
    "sharing:officer_doctors",
    Role.RESPONSIBLE_OFFICER,
    "Saw your name in the responsible officer's list of doctors who share with them",
    "Reading what doctors chose to share with their responsible officer",
)
PEER_SUPPORTERS = ListPage(
    "closure:peer_supporter_offers",
    Role.CASE_MANAGER,
    "Saw your name and email in the list of doctors who offered to be peer supporters",
    "Finding peer supporters",
)
EMERGENCY_GRANTS = ListPage(
    "emergency_access:my_grants",
    Role.SERVICE_ADMIN,
    "Saw your request's reference in their list of emergency accesses",
    "Keeping track of their emergency accesses",
)
MESSAGES = ListPage(
    "messaging:inbox",
    Role.CASE_MANAGER,
    "Saw your name in their list of messages",
    "Keeping track of messages from the doctors they support",
)
LISTS = {
    page.name: page
    for page in (INBOX, CASES, WAITING_LIST, OFFERED, REFERRALS, OFFICER, PEER_SUPPORTERS, EMERGENCY_GRANTS, MESSAGES)
}


def organisation_names(user: User, role: str) -> dict[int, str]:
    """The names of the organisations where ``user`` has ``role``, from the memberships already read for the
    request (no query)."""
    return {m.organisation_id: m.organisation.name for m in memberships(user) if m.role == role}


def log_list(
    user: User, page: ListPage, shown: Iterable[tuple[DoctorProfile, str]], *, role: str = ""
) -> list[AccessRecord]:
    """Log that ``user`` saw these doctors (each with the organisation it was seen for) in ``page``."""
    return record_accesses(
        actor=user,
        role=role or page.role,
        action=AccessRecord.Action.VIEWED,
        purpose=page.purpose,
        what=page.what,
        list_name=page.name,
        entries=[Entry(doctor=doctor, organisation=organisation) for doctor, organisation in shown],
    )
