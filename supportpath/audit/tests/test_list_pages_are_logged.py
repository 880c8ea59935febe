"""A list page that shows doctors' names or requests is a read of each of those records: it logs every
doctor on the page, once per person, doctor, list and day, in one batch whose queries do not grow with the
list; the doctor reads it in plain words."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supportpath.audit import lists
from supportpath.audit.chain import verify_chain
from supportpath.audit.models import AccessRecord
from supportpath.closure.models import ExitFeedback
from supportpath.facilitation import matching_runs
from supportpath.facilitation.models import Allocation, MatchingRun
from supportpath.messaging.models import Message
from supportpath.pathway.models import NeedsAssessment
from supportpath.progress.models import Closure
from supportpath.referrals.models import Route
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _doctor(world, n: int):
    return f.DoctorFactory(employer=world.trust, user__full_name=f"Dr Listed {n:02d}")


def _case(world, doctor, **kwargs):
    request = f.SupportRequestFactory(doctor=doctor, service=world.service, status="accepted")
    return f.CaseFactory(request=request, case_manager=world.case_manager, **kwargs)


def _waiting_for_facilitator(world, doctor):
    """A case past its first conversation (the needs assessment recorded): only then is it on the waiting list.

    The service has viewed its list before (its record of matching runs exists), as in any working service; each
    new case makes the page queue the background work of matching again, so each view costs the same."""
    MatchingRun.objects.get_or_create(service=world.service)
    NeedsAssessment.objects.create(
        case=_case(world, doctor), conversation_held_on=timezone.localdate(), recorded_by=world.case_manager
    )


def _in_inbox(world, doctor):
    f.SupportRequestFactory(doctor=doctor, service=world.service)


def _offered(world, doctor):
    Allocation.objects.create(case=_case(world, doctor), facilitator=world.facilitator, proposed_by=world.case_manager)


def _referred(world, doctor):
    f.SupportRequestFactory(
        doctor=doctor,
        service=world.service,
        route=Route.SUPERVISOR,
        referrer=world.referrer,
        referrer_organisation=world.trust,
    )


def _sharing_with_officer(world, doctor):
    request = f.SupportRequestFactory(doctor=doctor, service=world.service)
    agreement.set_audience(request, Audience.RESPONSIBLE_OFFICER, [Item.STAGE], by=doctor.user, based_on=0)


def _peer_offer(world, doctor):
    case = _case(world, doctor)
    Closure.objects.create(case=case, reason="goals_met", closed_on=timezone.localdate(), closed_by=world.case_manager)
    ExitFeedback.objects.create(case=case, answers={}, peer_supporter="yes")


def _emergency_grant(world, doctor):
    from supportpath.emergency_access import services

    request = f.SupportRequestFactory(doctor=doctor, service=world.service)
    grant, _ = services.open_grant(
        admin=world.service_admin,
        support_request=request,
        purpose="safety",
        reason="A concern for the doctor's safety was raised by phone.",
        submission_token=uuid.uuid4(),
    )
    services.end_grant(grant)


def _wrote_a_message(world, doctor):
    request = f.SupportRequestFactory(doctor=doctor, service=world.service)
    Message.objects.create(
        request=request, author=doctor.user, author_role="doctor", text="Hello", submission_token=uuid.uuid4()
    )


@dataclass(frozen=True)
class ListCase:
    page: lists.ListPage
    viewer: str
    add: Callable  # (world, doctor): puts the doctor on the viewer's list
    # (world): a change that makes the page's background work run again, before a reload that adds no one.
    change: Callable | None = None


LIST_CASES = [
    ListCase(lists.INBOX, "case_manager", _in_inbox),
    ListCase(lists.CASES, "case_manager", lambda world, doctor: _case(world, doctor)),
    ListCase(
        lists.WAITING_LIST,
        "case_manager",
        _waiting_for_facilitator,
        change=lambda world: matching_runs.changed([world.service.pk]),
    ),
    ListCase(lists.OFFERED, "facilitator", _offered),
    ListCase(lists.REFERRALS, "referrer", _referred),
    ListCase(lists.OFFICER, "responsible_officer", _sharing_with_officer),
    ListCase(lists.PEER_SUPPORTERS, "case_manager", _peer_offer),
    ListCase(lists.EMERGENCY_GRANTS, "service_admin", _emergency_grant),
    ListCase(lists.MESSAGES, "case_manager", _wrote_a_message),
]


def test_every_list_page_of_the_registry_is_tried_here():
    assert {c.page.name for c in LIST_CASES} == set(lists.LISTS)


def _seen(viewer, page) -> dict[int, int]:
    rows = AccessRecord.objects.filter(actor=viewer, object_type="list", object_id=page.name)
    counts: dict[int, int] = {}
    for doctor_id in rows.values_list("doctor_id", flat=True):
        counts[doctor_id] = counts.get(doctor_id, 0) + 1
    return counts


# One batch: the savepoint, the chain's lock (PostgreSQL only), the check under the lock, the chain's tip, one
# insert and the release; before it, the check that finds who was seen already today (all a reload costs).
BATCH = 5


@pytest.mark.parametrize("case", LIST_CASES, ids=[c.page.name for c in LIST_CASES])
@time_machine.travel(NOW, tick=False)
def test_a_list_page_logs_each_doctor_once_a_day_in_one_batch_whatever_its_length(
    client, world, case, django_assert_num_queries
):
    viewer = world.persona(case.viewer)
    url = reverse(case.page.name)
    login_as(client, viewer)
    first = [_doctor(world, n) for n in range(2)]
    for doctor in first:
        case.add(world, doctor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    seen = _seen(viewer, case.page)
    assert all(seen.get(d.pk) == 1 for d in first), "each doctor shown is logged once"

    more = [_doctor(world, n) for n in range(2, 9)]
    for doctor in more:
        case.add(world, doctor)
    batch = BATCH + (connection.vendor == "postgresql")
    with django_assert_num_queries(len(few.captured_queries)):  # 9 doctors cost what 2 did
        assert client.get(url).status_code == 200
    seen = _seen(viewer, case.page)
    assert all(seen.get(d.pk) == 1 for d in first + more), "the new doctors once, the others not again"

    if case.change:
        case.change(world)
    with django_assert_num_queries(len(few.captured_queries) - batch):  # all seen today: only the check
        assert client.get(url).status_code == 200
    assert _seen(viewer, case.page) == seen

    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        login_as(client, viewer)
        client.get(url)
    assert all(n == 2 for d, n in _seen(viewer, case.page).items() if d in {x.pk for x in first + more}), (
        "seen again the next day, logged again"
    )
    assert verify_chain().intact


def test_the_doctor_reads_a_list_sighting_in_plain_words(client, world):
    login_as(client, world.case_manager)
    client.get(reverse("casework:inbox"))
    client.get(reverse("casework:inbox"))
    record = AccessRecord.objects.get(doctor=world.doctor.doctor_profile)
    assert (record.actor_role, record.actor_organisation) == ("case_manager", world.service.name)
    login_as(client, world.doctor)
    page = client.get(reverse("audit:access_log")).content.decode()
    assert "Saw your name and request in the case managers&#39; list of new requests" in page
    assert "Choosing which requests to pick up" in page
    assert "Viewed: Saw" not in page
    csv = b"".join(client.get(reverse("audit:access_log"), {"download": "csv"}).streaming_content).decode()
    assert "Saw in a list" in csv


def test_nobody_is_logged_for_an_empty_list_nor_a_doctor_for_seeing_their_own_request(client, world):
    # A case manager who is also a doctor with a request at their own service.
    f.DoctorFactory(user=world.case_manager, employer=world.trust)
    world.case_manager.refresh_from_db()
    f.SupportRequestFactory(doctor=world.case_manager.doctor_profile, service=world.service)
    login_as(client, world.other_case_manager)
    client.get(reverse("casework:inbox"))  # the South service has nothing waiting
    assert not AccessRecord.objects.filter(actor=world.other_case_manager).exists()
    login_as(client, world.case_manager)
    client.get(reverse("casework:inbox"))
    doctors = set(AccessRecord.objects.filter(actor=world.case_manager).values_list("doctor_id", flat=True))
    assert doctors == {world.doctor.doctor_profile.pk}, "the doctor's referral, not the case manager's own request"
