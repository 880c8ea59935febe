"""Every list page takes an exact, pinned number of queries, the same for 3 rows as for 30, so a query added per
row (or any new query) fails here by name.

One table: the page, who reads it, and how to add its n-th row. Each page is read twice at each size: the first
view after rows were added (it may write the day's access records of the doctors it shows, in one batch) and a
later view. Both counts are pinned; PostgreSQL's differ only where the access log's chain is written (its
advisory lock). List pages pinned in their own app's tests, at two sizes, are named at the foot.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.log import record_access
from supportpath.closure.tests.test_feedback_and_peer_offers import _offer
from supportpath.emergency_access import services as emergency
from supportpath.emergency_access.models import Purpose
from supportpath.facilitation.tests.test_allocation_pages import facilitator
from supportpath.messaging import services as messaging
from supportpath.messaging.access import get_own_thread
from supportpath.peer import services as peer
from supportpath.peer.tests.conftest import approved_supporter, closed_case_doctor, peer_request
from supportpath.referrals.models import Route
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.personas import World
from supportpath.testing.queries import pinned

pytestmark = pytest.mark.django_db


def a_referral(world: World, n: int) -> None:
    f.SupportRequestFactory(
        doctor=f.DoctorFactory(employer=world.trust),
        service=world.service,
        route=Route.SUPERVISOR,
        referrer=world.referrer,
        referrer_organisation=world.trust,
        reasons=["career", "confidence"],
    )


def a_new_request(world: World, n: int) -> None:
    f.SupportRequestFactory(
        doctor=f.DoctorFactory(employer=world.trust), service=world.service, reasons=["career", "bullying"]
    )


def a_read_of_the_doctors_record(world: World, n: int) -> None:
    record_access(
        actor=world.case_manager,
        role=Role.CASE_MANAGER,
        organisation=world.service.name,
        doctor=world.doctor.doctor_profile,
        action="viewed",
        what=f"Support request {world.self_request.reference}",
        obj=world.self_request,
        purpose="Triage of a new request",
    )


def one_of_the_doctors_requests(world: World, n: int) -> None:
    f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service, reasons=["career"])


def a_facilitator(world: World, n: int) -> None:
    facilitator(world, f"Extra Facilitator {n:02d}", specialisms=["career"])


def a_thread(world: World, n: int) -> None:
    """A doctor's new request at the service, with a message from them (a thread in the case manager's inbox)."""
    doctor = f.DoctorFactory(employer=world.trust, user__full_name=f"Dr Writes {n:02d}")
    support_request = f.SupportRequestFactory(doctor=doctor, service=world.service)
    thread = get_own_thread(doctor.user, support_request.reference)
    messaging.send_message(thread, author=doctor.user, text="Hello", token=uuid.uuid4(), notify=False)


def a_supporter_and_an_asker(world: World, n: int) -> None:
    approved_supporter(world, f"Dr Supporter {n:02d}")
    peer_request(world, closed_case_doctor(world, f"Dr Asker {n:02d}"))


def a_peer_supporter_proposed_to_the_doctor(world: World, n: int) -> None:
    supporter = approved_supporter(world, f"Dr Other {n:02d}")
    peer.propose(peer_request(world), supporter.pk, by=world.case_manager)


def an_offer_to_be_a_peer_supporter(world: World, n: int) -> None:
    _offer(world, world.service, n + 1)


def a_grant(world: World, n: int) -> None:
    """An emergency access the admin opened and closed, on another doctor's request each time."""
    support_request = f.SupportRequestFactory(doctor=f.DoctorFactory(employer=world.trust), service=world.service)
    grant, _ = emergency.open_grant(
        admin=world.service_admin,
        support_request=support_request,
        purpose=Purpose.URGENT_REQUEST,
        reason="The doctor's case manager is away and the doctor has written that it is urgent.",
        submission_token=uuid.uuid4(),
    )
    emergency.end_grant(grant)


def a_group_the_doctor_asked_to_join(world: World, n: int) -> None:
    group = peer.create_group(
        world.service,
        {
            "name": f"Group {n:02d}",
            "purpose": "Share what helps when coming back to work.",
            "who_may_join": "Doctors returning after six months or more away.",
            "facilitator": world.facilitator,
            "size_limit": 8,
            "starts_on": dt.date(2027, 1, 12),
            "dates": "Every second Tuesday, 6pm to 7.30pm",
            "place": "Video call (link sent to members)",
        },
        by=world.case_manager,
    )
    peer.ask_to_join(group, world.doctor.doctor_profile, share_first_name=bool(n % 2))


def a_thread_of_the_doctors(world: World, n: int) -> None:
    """Another request of the doctor's, with a message from them."""
    support_request = f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service)
    thread = get_own_thread(world.doctor, support_request.reference)
    messaging.send_message(thread, author=world.doctor, text="Hello", token=uuid.uuid4(), notify=False)


@dataclass(frozen=True)
class ListPage:
    name: str  # the URL name
    persona: str  # who reads it (supportpath.testing.personas)
    row: Callable[[World, int], None]  # adds the n-th row
    first: tuple[int, int | None]  # (SQLite, PostgreSQL or None for the same) the first view after rows were added
    again: tuple[int, int | None]  # the same, a later view


PAGES = [
    ListPage("referrals:my_referrals", "referrer", a_referral, (13, 14), (8, None)),
    ListPage("casework:inbox", "case_manager", a_new_request, (17, 18), (12, None)),
    ListPage("audit:access_log", "doctor", a_read_of_the_doctors_record, (8, None), (8, None)),
    ListPage("referrals:my_support", "doctor", one_of_the_doctors_requests, (23, None), (23, None)),
    ListPage("facilitation:facilitators", "case_manager", a_facilitator, (9, None), (9, None)),  # with the page count
    ListPage("messaging:inbox", "case_manager", a_thread, (13, 14), (8, None)),
    ListPage("peer:supporters", "case_manager", a_supporter_and_an_asker, (14, 15), (9, None)),
    ListPage("peer:home", "doctor", a_peer_supporter_proposed_to_the_doctor, (14, None), (14, None)),
    ListPage("closure:peer_supporter_offers", "case_manager", an_offer_to_be_a_peer_supporter, (13, 14), (8, None)),
    ListPage("messaging:inbox", "doctor", a_thread_of_the_doctors, (7, None), (7, None)),
    ListPage("peer:groups", "doctor", a_group_the_doctor_asked_to_join, (12, None), (12, None)),
    ListPage("peer:groups", "facilitator", a_group_the_doctor_asked_to_join, (7, None), (7, None)),
    ListPage("emergency_access:my_grants", "service_admin", a_grant, (13, 14), (8, None)),
]


def _count(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), len(response.content)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page.name}-{page.persona}")
def test_a_list_page_takes_the_same_pinned_queries_for_3_rows_and_for_30(client, world, page):
    login_as(client, world.persona(page.persona))
    url = reverse(page.name)
    client.get(url)  # once-only work of the very first view (a service's first matching run, say)
    made = 0
    counts, sizes = [], []
    for size in (3, 30):
        for n in range(made, size):
            page.row(world, n)
        made = size
        first, _ = _count(client, url)
        again, length = _count(client, url)
        counts.append((first, again))
        sizes.append(length)
    expected = (pinned(*page.first), pinned(*page.again))
    assert counts == [expected, expected], (
        f"{page.name} ({page.persona}): (first view, later view) at 3 rows and at 30: {counts}"
    )
    assert sizes[1] > sizes[0], "the rows added are on the page"


# Pinned in their own app's tests at two sizes: casework:cases (casework/tests/test_work_lists.py),
# facilitation:waiting_list (facilitation/tests/test_waiting_list_work_list.py), facilitation:my_allocations
# (progress/tests/test_facilitator_work_list.py), sharing:officer_doctors (sharing/tests/test_officer_pages.py),
# records:records_and_retention (records/tests/test_pages.py), service:intervention_list
# (service/tests/test_home.py), service:staff and service:organisations (service/tests/), culture:signposts
# (culture/tests/test_signposts.py).
