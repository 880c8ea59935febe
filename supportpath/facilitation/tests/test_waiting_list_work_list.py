"""The waiting list as a work list: how long each case has waited since its needs assessment, and each
proposed facilitator's fit and free places now, in a fixed number of queries however long the list."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportpath.testing.auth import login_as

from .test_allocation_pages import facilitator, waiting_case

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)  # a Friday; the needs assessments are from Friday 20th
URL = reverse("facilitation:waiting_list")
QUERIES = 10  # the same for 3 cases and for 30 (one of them the header's count of new messages)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def waiting(world):
    world.allocation.delete()
    world.facilitator_profile.capacity = 0
    world.facilitator_profile.save()
    return world


def test_each_case_shows_how_long_it_has_waited(client, waiting):
    case = waiting_case(waiting)
    login_as(client, waiting.case_manager)
    row = client.get(URL).content.decode().split(case.request.reference)[1].split("</tr>")[0]
    assert "5 working days" in row
    assert "since the needs assessment on Friday 20 November 2026" in row


def test_each_proposed_facilitator_shows_fit_and_free_places(client, waiting):
    case = waiting_case(waiting, reasons=["career"])
    facilitator(waiting, "Gil Careers", specialisms=["career"], capacity=3)
    login_as(client, waiting.case_manager)
    row = client.get(URL).content.decode().split(case.request.reference)[1].split("</tr>")[0]
    assert "Gil Careers" in row
    assert "Experienced in" in row, "the fit"
    assert "3 of 3 places free now" in row


def test_the_number_of_queries_does_not_grow_with_the_list(client, waiting, django_assert_num_queries):
    facilitator(waiting, "Gil Careers", capacity=40)
    login_as(client, waiting.case_manager)
    made = 0
    for size in (3, 30):
        for _ in range(made, size):
            waiting_case(waiting)
        made = size
        client.get(URL)  # works the allocation out and logs the day's sightings
        with django_assert_num_queries(QUERIES):
            html = client.get(URL).content.decode()
        assert html.count("places free now") == size
