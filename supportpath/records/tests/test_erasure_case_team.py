"""Erasing a doctor's record while they have an open case tells the case manager and the allocated facilitator,
by email, that a record they worked on has been erased at the doctor's request, with its reference, and
nothing else: no name, nothing from the record."""

import uuid

import pytest
from django.core import mail

from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.records import erasure
from supportpath.testing import factories as f

pytestmark = pytest.mark.django_db
SUBJECT = "A record you worked on has been erased"


def erase(world, service_admin, capture):
    [request] = erasure.ask(world.doctor.doctor_profile, note="", token=uuid.uuid4())
    mail.outbox.clear()
    with capture(execute=True):
        erasure.carry_out(request, by=service_admin)
    return [m for m in mail.outbox if m.subject == SUBJECT]


def test_the_case_manager_and_the_facilitator_of_an_open_case_are_told_without_any_detail(
    world, service_admin, django_capture_on_commit_callbacks
):
    # The world's case is open, managed by case_manager and offered to facilitator (not answered yet).
    reference = world.case.request.reference
    told = erase(world, service_admin, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in told) == sorted([world.case_manager.email, world.facilitator.email])
    for message in told:
        assert reference in message.body
        assert "asked for their record to be erased" in message.body
        details = ["Dr Ada Example", world.doctor.email, world.doctor.doctor_profile.gmc_number, "career", "Career"]
        for detail in details:
            assert detail not in message.body and detail not in message.subject


def test_an_accepted_facilitator_is_told_once(world, service_admin, django_capture_on_commit_callbacks):
    Allocation.objects.filter(pk=world.allocation.pk).update(status=AllocationStatus.ACCEPTED)
    world.case.facilitator = world.facilitator
    world.case.save(update_fields=["facilitator"])
    told = erase(world, service_admin, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in told) == sorted([world.case_manager.email, world.facilitator.email])


def test_a_facilitator_who_declined_the_case_is_not_told(world, service_admin, django_capture_on_commit_callbacks):
    Allocation.objects.filter(pk=world.allocation.pk).update(status=AllocationStatus.DECLINED)
    told = erase(world, service_admin, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in told] == [world.case_manager.email]


def test_nobody_is_told_about_a_closed_case_or_a_request_that_never_became_one(
    world, service_admin, django_capture_on_commit_callbacks
):
    from supportpath.casework.models import Stage

    world.case.stage = Stage.CLOSED
    world.case.save(update_fields=["stage"])
    other_manager = f.MembershipFactory(organisation=world.service, role="case_manager").user
    assert erase(world, service_admin, django_capture_on_commit_callbacks) == []
    assert other_manager.email not in [m.to[0] for m in mail.outbox]


def test_an_erasure_at_another_service_tells_nobody_here(
    world, service_admin, other_service_admin, django_capture_on_commit_callbacks
):
    f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.other_service)
    requests = erasure.ask(world.doctor.doctor_profile, note="", token=uuid.uuid4())
    south = next(r for r in requests if r.service == world.other_service)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erasure.carry_out(south, by=other_service_admin)
    assert [m for m in mail.outbox if m.subject == SUBJECT] == []
