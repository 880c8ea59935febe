import datetime as dt
import uuid

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.appointments import services
from supportpath.appointments.forms import parse_time
from supportpath.appointments.models import Appointment, Kind, Status
from supportpath.closure import services as closing
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.pathway import services as pathway
from supportpath.pathway.models import SessionVersion, SupportSession
from supportpath.testing.auth import login_as

# Wednesday 25 November 2026, 10:00 UK time
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def facilitated(world):
    world.case.facilitator = world.facilitator
    world.case.save()
    Allocation.objects.filter(case=world.case).update(
        status=AllocationStatus.ACCEPTED, responded_at=NOW - dt.timedelta(days=5)
    )
    return world


def _booking(**extra):
    data = {
        "kind": "session",
        "date": "30/11/2026",
        "time": "2.30pm",
        "minutes": "60",
        "how": "video",
        "join_url": "https://meet.example.org/abc",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def _calendar(message) -> icalendar.Calendar:
    [(filename, content, mimetype)] = message.attachments
    assert filename == "invitation.ics" and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2pm", dt.time(14, 0)),
        ("2.30pm", dt.time(14, 30)),
        ("2:30 PM", dt.time(14, 30)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        ("14:00", dt.time(14, 0)),
        ("9.15", dt.time(9, 15)),
    ],
)
def test_times_are_read_as_people_write_them(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "13pm", "2.75pm", "teatime", "14"])
def test_what_is_not_a_time_is_not_read_as_one(text):
    assert parse_time(text) is None


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_facilitator_books_a_session_and_the_doctor_gets_an_invitation(
    client, facilitated, django_capture_on_commit_callbacks
):
    world = facilitated
    login_as(client, world.facilitator)
    url = reverse("appointments:book", args=[world.case.pk])
    data = _booking()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # sent twice: one booking
    appointment = Appointment.objects.get()
    assert appointment.kind == Kind.SESSION and appointment.minutes == 60
    [message] = mail.outbox
    assert message.to == [world.doctor.email]
    assert "Monday 30 November 2026 at 2:30pm" in message.body
    for reason in world.case.request.reason_labels:
        assert reason.lower() not in message.body.lower()
    calendar = _calendar(message)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{appointment.uid}@supportpath"
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 30, 14, 30, tzinfo=dt.UTC)
    assert event["SEQUENCE"] == 0
    assert event["URL"] == "https://meet.example.org/abc"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_bad_input_gets_a_clear_message_and_is_kept(client, facilitated):
    world = facilitated
    login_as(client, world.facilitator)
    url = reverse("appointments:book", args=[world.case.pk])
    page = client.post(url, _booking(time="teatime", join_url="http://insecure.example.org")).content.decode()
    assert "Enter a time like 2pm, 2.30pm or 14:00" in page
    assert "Enter a joining link that starts with https://" in page
    assert 'value="teatime"' in page
    page = client.post(url, _booking(how="in_person", join_url="", date="20/11/2026")).content.decode()
    assert "Enter where you will meet" in page
    assert "The appointment must be in the future" in page
    assert not Appointment.objects.exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_rearranging_sends_an_update_and_cancelling_a_cancellation(
    client, facilitated, django_capture_on_commit_callbacks
):
    world = facilitated
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.book(
            world.case,
            kind=Kind.REVIEW,
            by=world.facilitator,
            starts_at=NOW + dt.timedelta(days=5),
            minutes=60,
            how="phone",
        )
    login_as(client, world.facilitator)
    change = {"date": "01/12/2026", "time": "14:00", "minutes": "45", "how": "in_person", "place": "Room 4"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("appointments:change", args=[appointment.pk]), change).status_code == 302
    update = _calendar(mail.outbox[-1])
    [event] = update.walk("VEVENT")
    assert update["METHOD"] == "REQUEST" and event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"{appointment.uid}@supportpath"
    assert event["LOCATION"] == "Room 4"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appointments:cancel", args=[appointment.pk]), {"cancelled_by": "doctor"})
    assert response.status_code == 302
    cancellation = _calendar(mail.outbox[-1])
    [event] = cancellation.walk("VEVENT")
    assert cancellation["METHOD"] == "CANCEL" and event["SEQUENCE"] == 2 and event["STATUS"] == "CANCELLED"
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and appointment.cancelled_by == "doctor"
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_reminder_goes_the_working_day_before_once(facilitated, django_capture_on_commit_callbacks):
    world = facilitated
    monday = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), tick=False):
        appointment = services.book(
            world.case, kind=Kind.SESSION, by=world.facilitator, starts_at=monday, minutes=60, how="phone"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):  # Thursday
            assert services.send_reminders() == "0 reminders"
        with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False):  # Friday
            assert services.send_reminders() == "1 reminders"
            assert services.send_reminders() == "0 reminders"
        with time_machine.travel(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC), tick=False):  # Saturday
            assert services.send_reminders() == "not a working day"
    [reminder] = mail.outbox
    assert reminder.subject == "Reminder: your support session"
    assert "Monday 30 November 2026 at 9:00am" in reminder.body
    appointment.refresh_from_db()
    assert appointment.reminded_for == monday


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_held_or_not_attended_is_recorded_only_once_it_has_begun(client, facilitated):
    world = facilitated
    appointment = services.book(
        world.case,
        kind=Kind.SESSION,
        by=world.facilitator,
        starts_at=NOW + dt.timedelta(hours=2),
        minutes=60,
        how="phone",
    )
    login_as(client, world.facilitator)
    url = reverse("appointments:outcome", args=[appointment.pk])
    page = client.post(url, {"outcome": "held"}).content.decode()
    assert "record whether it was held once it has begun" in page
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        login_as(client, world.facilitator)
        assert client.post(url, {"outcome": "not_attended"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.NOT_ATTENDED and appointment.outcome_recorded_by == world.facilitator


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_only_the_cases_facilitator_books_sessions(client, facilitated):
    world = facilitated
    url = reverse("appointments:book", args=[world.case.pk])
    for person in (world.case_manager, world.doctor, world.other_facilitator, world.referrer):
        login_as(client, person)
        assert client.post(url, _booking()).status_code == 404
    assert not Appointment.objects.exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_doctor_sees_what_is_coming_on_my_support(client, facilitated):
    world = facilitated
    services.book(
        world.case,
        kind=Kind.SESSION,
        by=world.facilitator,
        starts_at=NOW + dt.timedelta(days=2),
        minutes=45,
        how="in_person",
        place="The education centre, room 2",
    )
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert "Coming up" in page
    assert "Friday 27 November 2026 at 10:00am" in page and "The education centre, room 2" in page
    login_as(client, world.other_doctor)
    assert "Coming up" not in client.get(reverse("referrals:my_support")).content.decode()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_session_dated_before_the_facilitator_accepted_is_refused(client, facilitated):
    world = facilitated
    login_as(client, world.facilitator)
    page = client.post(
        reverse("pathway:record_session", args=[world.case.pk]),
        {
            "held_on": "10/11/2026",
            "mode": "video",
            "attendance": "attended",
            "submission_token": str(uuid.uuid4()),
        },
    ).content.decode()
    assert (
        "The date of the session cannot be before Friday 20 November 2026, the day the facilitator accepted the case"
        in page
    )
    assert not world.case.sessions.exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_recording_the_needs_ends_the_conversations_arrangement(world):

    pathway.arrange_conversation(
        world.case, by=world.case_manager, scheduled_for=NOW - dt.timedelta(hours=1), mode="phone"
    )
    appointment = Appointment.objects.get(kind=Kind.FIRST_CONVERSATION)
    assert appointment.status == Status.ARRANGED
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
    appointment.refresh_from_db()
    assert appointment.status == Status.HELD


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("notify", [True, False])
def test_the_demo_arranges_and_holds_a_conversation_telling_nobody(world, notify, django_capture_on_commit_callbacks):
    data = dict.fromkeys(pathway.ASSESSMENT_FIELDS, "") | {
        "conversation_held_on": NOW.date(),
        "presenting_issues": ["career"],
        "mandated": False,
    }
    with django_capture_on_commit_callbacks(execute=True):
        # Arranged for later today and held early: the doctor's calendar is told it has taken place.
        pathway.arrange_conversation(
            world.case,
            by=world.case_manager,
            scheduled_for=NOW + dt.timedelta(hours=4),
            mode="phone",
            notify=notify,
        )
        pathway.save_needs_assessment(
            world.case, by=world.case_manager, data=data, based_on_version=None, notify=notify
        )
    assert Appointment.objects.get(kind=Kind.FIRST_CONVERSATION).status == Status.HELD
    assert len(mail.outbox) == (2 if notify else 0)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_closing_the_case_cancels_what_was_still_to_come(facilitated, django_capture_on_commit_callbacks):

    world = facilitated
    appointment = services.book(
        world.case,
        kind=Kind.SESSION,
        by=world.facilitator,
        starts_at=NOW + dt.timedelta(days=3),
        minutes=60,
        how="phone",
    )
    with django_capture_on_commit_callbacks(execute=True):
        closing.close_case(world.case, by=world.case_manager, data={"reason": "goals_met", "closed_on": NOW.date()})
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and appointment.cancelled_by == "service"
    cancellations = [m for m in mail.outbox if m.attachments]
    assert _calendar(cancellations[-1])["METHOD"] == "CANCEL"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_its_author_corrects_a_session_the_earlier_version_is_kept_and_what_changed_shown(client, facilitated):

    world = facilitated
    session = pathway.record_session(
        world.case,
        facilitator=world.facilitator,
        data={
            "held_on": dt.date(2026, 11, 24),
            "mode": "video",
            "attendance": "attended",
            "shared_summary": "We talked about rotas.",
            "agreed_actions": "",
            "private_notes": "Mine only.",
            "submission_token": uuid.uuid4(),
        },
    )
    url = reverse("pathway:correct_session", args=[session.pk])
    data = {
        "held_on": "23/11/2026",
        "mode": "phone",
        "attendance": "attended",
        "shared_summary": "We talked about rotas and sleep.",
        "agreed_actions": "",
        "private_notes": "Mine only.",
    }
    for person in (world.case_manager, world.doctor, world.other_facilitator):
        login_as(client, person)
        assert client.post(url, data).status_code == 404
    login_as(client, world.facilitator)
    page = client.post(url, {**data, "held_on": "01/11/2026"}).content.decode()
    assert "cannot be before Friday 20 November 2026, the day the facilitator accepted the case" in page
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same correction again: nothing more kept
    [earlier] = SessionVersion.objects.all()
    assert earlier.held_on == dt.date(2026, 11, 24) and earlier.shared_summary == "We talked about rotas."
    session = SupportSession.objects.get(pk=session.pk)
    assert session.held_on == dt.date(2026, 11, 23) and session.mode == "phone"
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "what changed" in page
    assert "Tuesday 24 November 2026" in page and "Monday 23 November 2026" in page
    assert "We talked about rotas and sleep." in page
