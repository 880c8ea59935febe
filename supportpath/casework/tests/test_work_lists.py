"""The case managers' accepted cases list: my cases or the whole service, filters, the next date due first,
closed cases apart, pages that keep the filters, and a fixed number of queries however long the list."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from supportpath.casework.models import Case, ContactAttempt
from supportpath.closure.services import close_case
from supportpath.progress import services as progress
from supportpath.progress import targets
from supportpath.progress.models import Closure
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()
URL = reverse("casework:cases")
QUERIES = 15  # the same for 3 cases and for 30 (one of them the header's count of new messages)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def a_case(world, due_in_days: int, *, manager=None, **kwargs) -> Case:
    request_kwargs = kwargs.pop("request_kwargs", {})
    request = f.SupportRequestFactory(
        doctor=f.DoctorFactory().user.doctor_profile, service=world.service, status="accepted", **request_kwargs
    )
    return f.CaseFactory(
        request=request,
        case_manager=manager or world.case_manager,
        opened_at=NOW - dt.timedelta(days=10),
        initial_conversation_due=TODAY + dt.timedelta(days=due_in_days),
        plan_agreed_due=TODAY + dt.timedelta(days=due_in_days + 30),
        **kwargs,
    )


def references(html: str) -> list[str]:
    """The case references in the list's rows, in order."""
    return re.findall(r'<a href="/support/cases/\d+/">([^<]+)</a>', html)


def page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def listed(world, client):
    world.case.delete()
    login_as(client, world.case_manager)
    return world


def test_my_cases_by_default_and_the_whole_service_on_request(client, listed):
    mine = a_case(listed, 5)
    theirs = a_case(listed, 3, manager=listed.other_case_manager)
    html = page(client)
    assert references(html) == [mine.request.reference]
    assert "1 open case, the next date due first" in html
    assert references(page(client, whose="all")) == [theirs.request.reference, mine.request.reference]


def test_sorted_by_the_next_date_due_with_the_id_as_tie_breaker(client, listed):
    later = a_case(listed, 9)
    first_of_two = a_case(listed, 2)
    second_of_two = a_case(listed, 2)
    nothing_due = a_case(listed, 4)
    Case.objects.filter(pk=nothing_due.pk).update(next_due=None, late_from=None)  # as if every target were done
    soonest = a_case(listed, -4)
    expected = [soonest, first_of_two, second_of_two, later, nothing_due]
    assert references(page(client)) == [c.request.reference for c in expected]


def test_a_new_date_moves_the_case_in_the_list(client, listed):
    moved = a_case(listed, 1)
    other = a_case(listed, 5)
    assert references(page(client)) == [moved.request.reference, other.request.reference]
    progress.set_new_date(
        moved,
        by=listed.case_manager,
        target=targets.load_one(moved).target("initial_conversation"),
        new_due=TODAY + dt.timedelta(days=20),
        reason="The doctor is on leave.",
        token=uuid.uuid4(),
    )
    assert references(page(client)) == [other.request.reference, moved.request.reference]


def test_filter_by_stage(client, listed):
    planning = a_case(listed, 5, stage="planning")
    a_case(listed, 3)
    assert references(page(client, stage="planning")) == [planning.request.reference]


def test_filter_by_facilitator_or_none_yet(client, listed):
    theirs = a_case(listed, 5, facilitator=listed.facilitator)
    nobody = a_case(listed, 3)
    assert references(page(client, facilitator=str(listed.facilitator.pk))) == [theirs.request.reference]
    assert references(page(client, facilitator="none")) == [nobody.request.reference]


def test_filter_by_urgent(client, listed):
    urgent = a_case(listed, 5, request_kwargs={"urgent": True})
    a_case(listed, 3, request_kwargs={"urgent": True, "urgent_dealt_with_on": TODAY})
    a_case(listed, 2)
    html = page(client, urgent="on")
    assert references(html) == [urgent.request.reference]
    assert re.search(r'name="urgent"[^>]*checked', html), "the box stays ticked"


def test_filter_by_overdue(client, listed):
    late = a_case(listed, -3)
    a_case(listed, 0)  # due today: not overdue yet
    a_case(listed, 4)
    html = page(client, overdue="on")
    assert references(html) == [late.request.reference]
    assert "Overdue: no new date yet" in html


def test_filter_by_paused_and_a_paused_case_is_not_overdue(client, listed):
    paused = a_case(listed, -3)
    progress.pause_case(
        paused,
        by=listed.case_manager,
        reason="sick_leave",
        started_on=TODAY - dt.timedelta(days=5),
        explanation="Time to recover.",
        token=uuid.uuid4(),
        notify=False,
    )
    a_case(listed, 4)
    html = page(client, paused="on")
    assert references(html) == [paused.request.reference]
    assert re.search(r">\s*Paused\s*<", html)
    assert references(page(client, overdue="on")) == []


def test_closed_cases_are_apart(client, listed):
    open_case = a_case(listed, 5)
    closed = a_case(listed, 3, stage="closed")
    assert references(page(client)) == [open_case.request.reference]
    html = page(client, show="closed")
    assert references(html) == [closed.request.reference]
    assert "1 closed case" in html


def test_the_filters_keep_their_values_and_an_unknown_value_is_ignored(client, listed):
    a_case(listed, 5, stage="planning")
    html = page(client, whose="all", stage="planning", overdue="on")
    assert re.search(r'<option value="all" selected', html)
    assert re.search(r'<option value="planning" selected', html)
    assert re.search(r'name="overdue"[^>]*checked', html)
    assert len(references(page(client, stage="nonsense"))) == 1


def test_pages_keep_the_filters(client, listed):
    for days in range(30):
        a_case(listed, days, stage="planning")
    html = page(client, stage="planning", whose="all")
    assert len(references(html)) == 25
    assert "?stage=planning&amp;whose=all&amp;page=2" in html
    second = page(client, stage="planning", whose="all", page="2")
    assert len(references(second)) == 5


def test_the_list_is_refused_to_others(client, world):
    for person in (world.doctor, world.facilitator, world.referrer):
        login_as(client, person)
        assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"), [({}, QUERIES), ({"whose": "all", "overdue": "on", "paused": "on", "urgent": "on"}, QUERIES)]
)
def test_the_number_of_queries_does_not_grow_with_the_list(client, listed, django_assert_num_queries, query, expected):
    for size in (3, 30):
        Case.objects.all().delete()
        for days in range(size):
            case = a_case(listed, days - 10, request_kwargs={"urgent": True})
            if query.get("paused"):
                progress.pause_case(
                    case,
                    by=listed.case_manager,
                    reason="sick_leave",
                    started_on=TODAY - dt.timedelta(days=1),
                    explanation="Time to recover.",
                    token=uuid.uuid4(),
                    notify=False,
                )
                Case.objects.filter(pk=case.pk).update(late_from=TODAY - dt.timedelta(days=1))
        client.get(URL, query)  # the day's list sightings are logged once; the count below is any later view
        with django_assert_num_queries(expected):
            html = page(client, **query)
        assert len(references(html)) == min(size, 25)


def test_the_case_page_links_to_the_request_referral_and_contact_log(client, world):
    login_as(client, world.case_manager)
    html = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    detail = reverse("casework:request_detail", args=[world.self_request.reference])
    assert f'href="{detail}#contact-log"' in html
    request_page = client.get(detail).content.decode()
    assert 'id="contact-log"' in request_page
    if world.self_request.doctor_account:
        assert f'href="{detail}#doctor-account"' in html
        assert 'id="doctor-account"' in request_page


def test_the_facilitator_is_not_shown_the_request_links(client, world):
    world.case.facilitator = world.facilitator
    world.case.save()
    login_as(client, world.facilitator)
    html = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "#contact-log" not in html


def test_an_accepted_requests_page_keeps_its_contact_log(client, listed):
    case = a_case(
        listed, 5, request_kwargs={"first_contact_on": TODAY - dt.timedelta(days=3), "first_contact_method": "phone"}
    )
    ContactAttempt.objects.create(
        request=case.request,
        made_on=TODAY - dt.timedelta(days=5),
        method="phone",
        outcome="no_answer",
        recorded_by=listed.case_manager,
        submission_token=uuid.uuid4(),
    )
    html = client.get(reverse("casework:request_detail", args=[case.request.reference])).content.decode()
    log = html.split('id="contact-log"')[1]
    assert "First contact made on Friday 20 November 2026 (phone)" in log
    assert "No answer" in log
    assert "Open the case" in log


def closed_case(world, *, paused: bool = False) -> Case:
    """A case closed as the service closes one (its closure recorded), paused first if ``paused``."""
    case = a_case(world, -3)
    if paused:  # a pause still open when the case closed: closing does not end it
        progress.pause_case(
            case,
            by=world.case_manager,
            reason="sick_leave",
            started_on=TODAY - dt.timedelta(days=5),
            explanation="Time to recover.",
            token=uuid.uuid4(),
            notify=False,
        )
    close_case(case, by=world.case_manager, data={"reason": "goals_met", "closed_on": TODAY}, notify=False)
    return case


def test_closed_cases_show_closed_and_a_pause_left_open(client, listed):
    paused = closed_case(listed, paused=True)
    ended = closed_case(listed)
    no_closure = a_case(listed, -3, stage="closed")  # closed without its closure recorded: its targets are read
    html = page(client, show="closed")
    assert sorted(references(html)) == sorted(c.request.reference for c in (paused, ended, no_closure))
    rows = html.split('<tr role="row" class="nhsuk-table__row">')[1:]
    by_reference = {references(row)[0]: row for row in rows}
    assert re.search(r">\s*Paused\s*<", by_reference[paused.request.reference])
    assert not re.search(r">\s*Paused\s*<", by_reference[ended.request.reference])
    for case in (paused, ended):
        assert re.search(r"<div>\s*Closed\s*</div>", by_reference[case.request.reference])


def test_the_closed_list_reads_no_targets(client, listed, django_assert_num_queries):
    """A closed case has nothing still to come: the closed list reads whether each is paused, not its plan."""
    for size in (3, 30):
        Closure.objects.all().delete()
        Case.objects.all().delete()
        for _ in range(size):
            closed_case(listed)
        client.get(URL, {"show": "closed"})
        with django_assert_num_queries(QUERIES - 5):  # the targets' six queries, less one for the open pauses
            html = page(client, show="closed")
        assert len(references(html)) == min(size, 25)
