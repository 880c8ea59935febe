"""The demo's work lists show something due and something overdue, for a case manager and a facilitator."""

import pytest
from django.urls import reverse

from supportpath.accounts.models import User
from supportpath.casework.models import Case, Stage
from supportpath.testing.auth import login_as

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _open(**who):
    return Case.objects.filter(**who).exclude(stage=Stage.CLOSED)


def _counts(**who):
    cases = _open(**who)
    return {
        "overdue": cases.filter(late_from__lt=TODAY).count(),
        "due, not overdue": cases.filter(next_due__gte=TODAY).exclude(late_from__lt=TODAY).count(),
    }


def test_the_case_managers_list_shows_something_due_and_something_overdue(seeded, client):
    manager = User.objects.get(email="case.manager@northmoor.example.test")
    counts = _counts(case_manager=manager)
    assert counts["overdue"] >= 1 and counts["due, not overdue"] >= 1, counts
    login_as(client, manager)
    overdue = client.get(reverse("casework:cases"), {"overdue": "on"}).content.decode()
    assert f"{counts['overdue']} open case" in overdue
    assert "Overdue: no new date yet" in overdue


def test_the_facilitators_list_shows_something_due_and_something_overdue(seeded, client):
    coach = User.objects.get(email="coach@northmoor.example.test")
    counts = _counts(facilitator=coach)
    assert counts["overdue"] >= 1 and counts["due, not overdue"] >= 1, counts
    login_as(client, coach)
    mine = client.get(reverse("facilitation:my_allocations")).content.decode()
    supporting = mine.split("<h2>Doctors you support</h2>")[1].split("<h2>")[0]
    assert "Overdue" in supporting
    assert "Nothing</div>" in supporting, "a doctor with nothing overdue, only something due"
