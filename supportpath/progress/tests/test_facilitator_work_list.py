"""The facilitator's work list ("Your cases"): their doctors by name, soonest first, with the next date due,
the next review, sessions and what is overdue; offers waiting for an answer apart; every name shown logged."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Stage
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .conftest import NOW, TODAY

URL = reverse("facilitation:my_allocations")
# The same for 3 doctors and for 30, one of them the header's count of new messages. (The private notes on
# earlier offers are read with them; the appointments booked for the page's rows in one query, asked only when
# the page has rows. Its first page is read without counting the list.)
QUERIES = 17


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def supported(world, due_in_days: int, name: str):
    """Another doctor the facilitator supports, whose first conversation is due in ``due_in_days``."""
    doctor = f.DoctorFactory(user__full_name=name).user
    request = f.SupportRequestFactory(doctor=doctor.doctor_profile, service=world.service, status="accepted")
    case = f.CaseFactory(
        request=request,
        case_manager=world.case_manager,
        facilitator=world.facilitator,
        opened_at=NOW - dt.timedelta(days=20),
        initial_conversation_due=TODAY + dt.timedelta(days=due_in_days),
        plan_agreed_due=TODAY + dt.timedelta(days=due_in_days + 30),
        stage=Stage.INITIAL_CONVERSATION,
    )
    Allocation.objects.create(
        case=case,
        facilitator=world.facilitator,
        proposed_by=world.case_manager,
        status=AllocationStatus.ACCEPTED,
        responded_at=NOW - dt.timedelta(days=15),
    )
    return case


def test_doctors_by_name_with_what_is_due_and_overdue_soonest_first(client, in_support):
    later = supported(in_support, 30, "Dr Later Example")
    login_as(client, in_support.facilitator)
    html = client.get(URL).content.decode()
    table = html.split("<h2>Doctors you support</h2>")[1]
    assert table.index("Dr Ada Example") < table.index("Dr Later Example"), "the overdue milestone comes first"
    row = table.split("Dr Ada Example")[1].split("</tr>")[0]
    assert "Milestone: First ward round alone, due Saturday 21 November 2026" in row
    assert "Overdue" in row
    assert "Thursday 3 December 2026" in row, "the next review (ten days on)"
    assert "None held yet" in row
    later_row = table.split("Dr Later Example")[1].split("</tr>")[0]
    assert "First conversation by" in later_row
    assert "Nothing</div>" in later_row
    assert later.request.reference in later_row


def test_the_next_session_and_review_come_from_the_appointments_booked_ahead(client, in_support):
    """Booked ahead (``appointments``): the next session and review to come, and one whose time has passed with
    nothing recorded shows as something to record; a cancelled one is not the next."""
    from supportpath.appointments import services as appointments

    world = in_support
    booking = {"by": world.facilitator, "minutes": 60, "how": "video", "notify": False}
    at = dt.datetime(2026, 11, 26, 14, 30, tzinfo=dt.UTC)  # Thursday 26 November 2026, 2.30pm
    appointments.book(world.case, kind="session", starts_at=at, **booking)
    sooner = appointments.book(world.case, kind="session", starts_at=at - dt.timedelta(days=1), **booking)
    appointments.cancel(sooner, by=world.facilitator)
    appointments.book(world.case, kind="review", starts_at=at + dt.timedelta(days=7), **booking)
    appointments.book(world.case, kind="session", starts_at=NOW - dt.timedelta(days=2), **booking)
    login_as(client, world.facilitator)
    row = client.get(URL).content.decode().split("Dr Ada Example")[1].split("</tr>")[0]
    assert "Next: Thursday 26 November 2026 at 2:30pm" in row
    assert "Booked for Thursday 3 December 2026 at 2:30pm" in row and "Due by Thursday 3 December 2026" in row
    assert "To record" in row and "What happened at Saturday 21 November 2026 at 10:00am" in row


def test_offers_waiting_are_listed_apart_by_reference(client, world):
    login_as(client, world.facilitator)
    html = client.get(URL).content.decode()
    offered = html.split("Offered to you")[1].split("<h2>Doctors you support</h2>")[0]
    assert world.self_request.reference in offered
    assert "Dr Ada Example" not in html, "not named before they take the case"


def test_names_shown_are_logged_as_list_sightings(client, in_support):
    supported(in_support, 5, "Dr Logged Example")
    login_as(client, in_support.facilitator)
    client.get(URL)
    sightings = AccessRecord.objects.filter(actor=in_support.facilitator, object_id="facilitation:my_allocations")
    assert sightings.count() == 2
    assert all("Saw your name" in s.what for s in sightings)


def test_refused_to_others(client, world):
    for person in (world.doctor, world.case_manager, world.referrer):
        login_as(client, person)
        assert client.get(URL).status_code == 403


def test_pages_of_doctors(client, world):
    for n in range(30):
        supported(world, n, f"Dr Paged {n:02d}")
    login_as(client, world.facilitator)
    html = client.get(URL).content.decode()
    assert len(re.findall(r"Dr Paged \d\d", html)) == 25
    second = client.get(URL, {"page": "2"}).content.decode()
    assert len(re.findall(r"Dr Paged \d\d", second)) == 5


def test_the_number_of_queries_does_not_grow_with_the_list(client, world, django_assert_num_queries):
    login_as(client, world.facilitator)
    made = 0
    for size in (3, 30):
        for n in range(made, size):
            supported(world, n - 5, f"Dr Counted {n:02d}")
        made = size
        client.get(URL)  # the day's list sightings are logged once; the count below is any later view
        with django_assert_num_queries(QUERIES):
            assert client.get(URL).status_code == 200
