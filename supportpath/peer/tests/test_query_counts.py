"""The peer-support list pages make the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supportpath.peer import services
from supportpath.testing.auth import login_as

from .conftest import approved_supporter, closed_case_doctor, peer_request

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        approved_supporter(world, f"Dr Supporter {i:02d}")
        peer_request(world, closed_case_doctor(world, f"Dr Asker {i:02d}"))


def test_the_case_managers_peer_support_page_does_not_grow_with_the_list(world, client, django_assert_num_queries):
    login_as(client, world.case_manager)
    url = reverse("peer:supporters")
    _more(world, 2, 0)
    _queries(client, url)  # the first sight of each doctor today is logged; later views are not
    few = _queries(client, url)
    _more(world, 6, 10)
    _queries(client, url)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_doctors_peer_support_page_does_not_grow_with_their_records(world, client, django_assert_num_queries):
    login_as(client, world.doctor)
    url = reverse("peer:home")
    supporter = approved_supporter(world)
    services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    few = _queries(client, url)
    for i in range(4):
        other = approved_supporter(world, f"Dr Other {i}")
        services.propose(peer_request(world), other.pk, by=world.case_manager)
    with django_assert_num_queries(few):
        client.get(url)
