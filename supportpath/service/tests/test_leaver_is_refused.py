"""The moment a membership ends, its holder reaches nothing: tried on every URL of the access-policy table."""

import pytest
from django.test import Client

from supportpath.accounts.models import Membership, Role
from supportpath.service import services
from supportpath.testing.access_table import outcome_of, read_policy, url_for
from supportpath.testing.auth import login_as
from supportpath.testing.personas import build_access_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.FACILITATOR])
def test_the_leaver_is_refused_every_url_at_once(role):
    world = build_access_world()
    leaver = world.case_manager if role == Role.CASE_MANAGER else world.facilitator
    client = login_as(Client(), leaver)
    membership = Membership.objects.get(user=leaver, organisation=world.service, role=role)
    taker = Membership.objects.create(
        user=world.evaluator, organisation=world.service, role=role
    ).user  # someone to take over the open work
    services.end_membership(membership, by=world.service_admin, takes_over=taker)
    wrong = []
    for row in read_policy():
        if row.method != "GET":
            continue
        outcome = outcome_of(client.get(url_for(world, row)))
        if outcome != row.outcomes["anonymous"]:
            wrong.append(f"{row.id}: {outcome}, not {row.outcomes['anonymous']} as for someone signed out")
    assert not wrong, wrong
