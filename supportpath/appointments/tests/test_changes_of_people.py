"""When the people change, the calendar follows: a doctor who changes facilitator, or a facilitator who leaves
the service, has the sessions and reviews still to come cancelled (the calendar's cancellation sent, saying
why); the first conversation, the case manager's, stays. A first conversation recorded as held before its time
ends its arrangement and withdraws its invitation."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail

from supportpath.accounts.models import Membership, Role
from supportpath.appointments import services
from supportpath.appointments.models import Appointment, Kind, Status
from supportpath.facilitation import services as facilitation
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.pathway import services as pathway
from supportpath.service import services as service
from supportpath.testing import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)  # Wednesday 25 November 2026


@pytest.fixture
def facilitated(world):
    world.case.facilitator = world.facilitator
    world.case.save()
    Allocation.objects.filter(case=world.case).update(
        status=AllocationStatus.ACCEPTED, responded_at=NOW - dt.timedelta(days=5)
    )
    return world


def _book(world, kind, starts_at, by=None):
    return services.book(
        world.case, kind=kind, by=by or world.facilitator, starts_at=starts_at, minutes=60, how="phone", notify=False
    )


def _method(message) -> str:
    [(_, content, _)] = message.attachments
    return str(icalendar.Calendar.from_ical(content)["METHOD"])


def _booked(world):
    return {
        "past": _book(world, Kind.SESSION, NOW - dt.timedelta(days=1)),
        "session": _book(world, Kind.SESSION, NOW + dt.timedelta(days=3)),
        "review": _book(world, Kind.REVIEW, NOW + dt.timedelta(days=10)),
        "conversation": _book(world, Kind.FIRST_CONVERSATION, NOW + dt.timedelta(days=2), by=world.case_manager),
    }


def _status(appointment) -> str:
    return Appointment.objects.get(pk=appointment.pk).status


@time_machine.travel(NOW, tick=False)
def test_changing_facilitator_cancels_the_sessions_and_reviews_still_to_come(
    facilitated, django_capture_on_commit_callbacks
):
    world = facilitated
    booked = _booked(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert facilitation.change_facilitator(world.case)
    assert _status(booked["session"]) == Status.CANCELLED and _status(booked["review"]) == Status.CANCELLED
    assert Appointment.objects.get(pk=booked["session"].pk).cancelled_by == "service"
    assert _status(booked["past"]) == Status.ARRANGED, "one already begun is recorded, not cancelled"
    assert _status(booked["conversation"]) == Status.ARRANGED, "the case manager's stays"
    cancellations = [m for m in mail.outbox if m.attachments]
    assert len(cancellations) == 2 and all(m.to == [world.doctor.email] for m in cancellations)
    assert all(_method(m) == "CANCEL" for m in cancellations)
    assert "because you are changing facilitator" in cancellations[0].body
    assert cancellations[0].body.rstrip().endswith("supportpath")


@time_machine.travel(NOW, tick=False)
def test_a_facilitator_who_leaves_hands_over_without_their_bookings(facilitated, django_capture_on_commit_callbacks):
    world = facilitated
    booked = _booked(world)
    taker = f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name="Pat Other").user
    membership = Membership.objects.get(user=world.facilitator, organisation=world.service, role=Role.FACILITATOR)
    with django_capture_on_commit_callbacks(execute=True):
        service.end_membership(membership, by=world.service_admin, takes_over=taker)
    assert _status(booked["session"]) == Status.CANCELLED and _status(booked["review"]) == Status.CANCELLED
    assert _status(booked["conversation"]) == Status.ARRANGED
    cancellations = [m for m in mail.outbox if m.attachments]
    assert len(cancellations) == 2 and all(_method(m) == "CANCEL" for m in cancellations)
    assert "Pat Other will arrange your next session with you" in cancellations[0].body


@time_machine.travel(NOW, tick=False)
def test_a_first_conversation_held_before_its_time_withdraws_its_invitation(world, django_capture_on_commit_callbacks):
    pathway.arrange_conversation(
        world.case, by=world.case_manager, scheduled_for=NOW + dt.timedelta(days=2), mode="phone"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pathway.save_needs_assessment(
            world.case,
            by=world.case_manager,
            data={
                "conversation_held_on": NOW.date(),
                "presenting_issues": ["career"],
                "individual_factors": "",
                "team_factors": "",
                "structural_factors": "",
                "cultural_factors": "",
                "strengths": "",
                "doctor_goals": "Goals.",
                "mandated": False,
                "staff_notes": "",
            },
            based_on_version=None,
        )
    appointment = Appointment.objects.get(kind=Kind.FIRST_CONVERSATION)
    assert appointment.status == Status.HELD and appointment.off_the_calendar
    [message] = [m for m in mail.outbox if m.attachments]
    assert message.subject == "Your first conversation has taken place"
    assert "no longer needed" in message.body and _method(message) == "CANCEL"
    # Nothing to remind, nothing left to move.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(dt.date(2026, 11, 26)) == "0 reminders"
