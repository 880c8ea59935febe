"""The short introductory conversation a doctor may ask for: the facilitator records that it took place or that
the doctor decided not to go ahead, and the doctor sees where it stands."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.facilitation import services
from supportpath.facilitation.models import Allocation, AllocationStatus, EndReason, FacilitatorProfile
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def asked(world):
    services.ask_for_introduction(world.allocation)
    world.allocation.refresh_from_db()
    return world


def url(world):
    return reverse("facilitation:record_introduction", args=[world.allocation.pk])


@time_machine.travel(NOW, tick=False)
def test_the_facilitator_records_the_introduction_and_the_doctor_sees_it(client, asked):
    login_as(client, asked.facilitator)
    respond = client.get(reverse("facilitation:respond", args=[asked.allocation.pk])).content.decode()
    assert f'href="{url(asked)}"' in respond
    page = client.post(url(asked), {"outcome": "held"}).content.decode()
    assert "Enter the date of the introduction" in page
    page = client.post(url(asked), {"outcome": "held", "held_on": "30/11/2026"}).content.decode()
    assert "The date of the introduction must be today or in the past" in page
    assert client.post(url(asked), {"outcome": "held", "held_on": "20/11/2026"}).status_code == 302
    assert client.post(url(asked), {"outcome": "not_going_ahead"}).status_code == 200  # recorded once, not changed
    asked.allocation.refresh_from_db()
    assert asked.allocation.intro_outcome == "held"
    assert asked.allocation.intro_held_on == dt.date(2026, 11, 20)
    assert asked.allocation.status == AllocationStatus.PROPOSED
    assert "You recorded that the introduction took place on Friday 20 November 2026" in (
        client.get(url(asked)).content.decode()
    )

    login_as(client, asked.doctor)
    page = client.get(reverse("facilitation:my_facilitator", args=[asked.case.pk])).content.decode()
    assert "You met Fay Coach for a short introduction on Friday 20 November 2026" in page
    assert "They will now tell us whether they can support you" in page

    login_as(client, asked.case_manager)
    page = client.get(reverse("facilitation:allocate_case", args=[asked.case.pk])).content.decode()
    assert "They met the doctor for an introduction on Friday 20 November 2026" in page


@time_machine.travel(NOW, tick=False)
def test_the_doctor_not_going_ahead_frees_the_case_without_using_their_one_change(
    client, asked, django_capture_on_commit_callbacks
):
    login_as(client, asked.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(asked), {"outcome": "not_going_ahead", "held_on": "20/11/2026"})
        client.post(url(asked), {"outcome": "not_going_ahead", "held_on": "20/11/2026"})
    assert response.status_code == 302
    asked.allocation.refresh_from_db()
    assert asked.allocation.status == AllocationStatus.ENDED
    assert asked.allocation.end_reason == EndReason.NOT_GOING_AHEAD
    assert [m.to for m in mail.outbox] == [[asked.case_manager.email]]
    assert "does not use up their one change" in mail.outbox[0].body

    login_as(client, asked.doctor)
    page = client.get(reverse("facilitation:my_facilitator", args=[asked.case.pk])).content.decode()
    assert "you decided not to go ahead with them" in page
    assert "It does not count as changing facilitator" in page
    assert not services.has_changed_before(asked.case)

    # The case is waiting again, and matching does not suggest the same facilitator.
    login_as(client, asked.case_manager)
    page = client.get(reverse("facilitation:allocate_case", args=[asked.case.pk])).content.decode()
    assert "the doctor chose not to go ahead after the introduction" in page
    assert f'value="{asked.facilitator.pk}"' not in page


@time_machine.travel(NOW, tick=False)
def test_not_going_ahead_after_accepting_clears_the_facilitator(client, asked):
    services.accept(asked.allocation)
    login_as(client, asked.facilitator)
    mine = client.get(reverse("facilitation:my_allocations")).content.decode()
    assert f'href="{url(asked)}"' in mine
    client.post(url(asked), {"outcome": "not_going_ahead"})
    asked.case.refresh_from_db()
    assert asked.case.facilitator is None
    assert client.get(reverse("pathway:case_detail", args=[asked.case.pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_there_is_nothing_to_record_until_the_doctor_asks(client, world):
    login_as(client, world.facilitator)
    page = client.get(url(world)).content.decode()
    assert "There is no introduction to record for this case" in page
    client.post(url(world), {"outcome": "held", "held_on": "20/11/2026"})
    world.allocation.refresh_from_db()
    assert world.allocation.intro_outcome == ""


@time_machine.travel(NOW, tick=False)
def test_only_the_facilitator_offered_the_case_records_the_introduction(client, asked):
    other = f.MembershipFactory(organisation=asked.service, role=Role.FACILITATOR).user
    FacilitatorProfile.objects.create(user=other, service=asked.service, role="mentor")
    for person in (other, asked.case_manager, asked.doctor, asked.other_case_manager, asked.referrer):
        login_as(client, person)
        assert client.get(url(asked)).status_code == 404
        assert client.post(url(asked), {"outcome": "not_going_ahead"}).status_code == 404
    assert Allocation.objects.get(pk=asked.allocation.pk).intro_outcome == ""


@time_machine.travel(NOW, tick=False)
def test_bad_answers_get_our_own_words(client, asked):
    login_as(client, asked.facilitator)
    page = client.post(url(asked), {}).content.decode()
    assert "Select whether the introduction took place or the doctor decided not to go ahead" in page
    page = client.post(url(asked), {"outcome": "maybe", "held_on": "31/02/2026"}).content.decode()
    assert "Select one of the answers listed" in page and "Enter a real date, like 20/11/2026" in page
    assert "Select a valid choice" not in page and 'value="31/02/2026"' in page
