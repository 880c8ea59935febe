"""A session booked ahead, end to end in a browser: the invitation (.ics) parses with the icalendar library, a
reminder goes the working day before (time frozen), re-arranging sends an update and cancelling a
cancellation, a date out of order is refused with a clear message, a correction shows what changed, and it all
works without JavaScript."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from supportpath.appointments import services
from supportpath.appointments.models import Appointment, Status
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Wednesday 25 November 2026, 10:00 UK time (GMT)
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def facilitated(world):
    world.case.facilitator = world.facilitator
    world.case.save()
    Allocation.objects.filter(case=world.case).update(
        status=AllocationStatus.ACCEPTED, responded_at=NOW - dt.timedelta(days=5)
    )
    return world


def _event(message):
    [(_, content, _)] = message.attachments
    calendar = icalendar.Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def _book(page, *, time: str):
    page.get_by_label("A support session").check()
    page.get_by_label("Date", exact=True).fill("30/11/2026")
    page.get_by_label("Time").fill(time)
    page.get_by_label("1 hour", exact=True).check()
    page.get_by_label("Video call").check()
    page.get_by_label("Joining link").fill("https://meet.example.org/ada")
    page.get_by_role("button", name="Arrange it").click()


def test_a_session_booked_ahead_is_invited_reminded_moved_and_cancelled(page, live_server, facilitated):
    world, base_url = facilitated, live_server.url
    case_url = base_url + reverse("pathway:case_detail", args=[world.case.pk])
    with time_machine.travel(NOW, tick=True) as traveller:
        sign_in(page, base_url, world.facilitator)
        page.goto(case_url)
        assert_accessible(page)
        page.get_by_role("link", name="Arrange a session or review").click()
        assert_accessible(page)
        _book(page, time="half two")
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a time like 2pm, 2.30pm or 14:00")
        assert_accessible(page)
        page.get_by_label("Time").fill("2pm")
        page.get_by_role("button", name="Arrange it").click()
        expect(page.locator("body")).to_contain_text("the doctor has been sent a calendar invitation")
        assert_accessible(page)

        appointment = Appointment.objects.get()
        calendar, event = _event(mail.outbox[-1])
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == f"{appointment.uid}@supportpath"
        assert event.decoded("DTSTART") == dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)
        assert "Monday 30 November 2026 at 2:00pm" in mail.outbox[-1].body

        # The doctor sees it coming on My support.
        page.context.clear_cookies()
        sign_in(page, base_url, world.doctor)
        page.goto(base_url + reverse("referrals:my_support"))
        expect(page.locator("body")).to_contain_text("Coming up")
        expect(page.locator("body")).to_contain_text("Monday 30 November 2026 at 2:00pm")
        assert_accessible(page)
        page.context.clear_cookies()

        # The reminder: not on Thursday; on Friday, the working day before Monday; once.
        sent = len(mail.outbox)
        traveller.move_to(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC))
        services.send_reminders()
        assert len(mail.outbox) == sent
        traveller.move_to(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))
        services.send_reminders()
        services.send_reminders()
        assert len(mail.outbox) == sent + 1
        assert mail.outbox[-1].subject == "Reminder: your support session"

        # Re-arranged: an update with the same UID and a higher SEQUENCE.
        sign_in(page, base_url, world.facilitator)
        page.goto(case_url)
        page.get_by_role("link", name="Re-arrange").click()
        assert_accessible(page)
        page.get_by_label("Time").fill("3.30pm")
        page.get_by_role("button", name="Save the new arrangement").click()
        expect(page.locator("body")).to_contain_text("the doctor has been sent the updated invitation")
        calendar, event = _event(mail.outbox[-1])
        assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 1
        assert str(event["UID"]) == f"{appointment.uid}@supportpath"
        assert event.decoded("DTSTART") == dt.datetime(2026, 11, 30, 15, 30, tzinfo=dt.UTC)

        # Cancelled by the doctor: a cancellation.
        page.get_by_role("link", name="Cancel").click()
        assert_accessible(page)
        page.get_by_label("The doctor", exact=True).check()
        page.get_by_role("button", name="Cancel it").click()
        expect(page.locator("body")).to_contain_text("It is cancelled")
        calendar, event = _event(mail.outbox[-1])
        assert calendar["METHOD"] == "CANCEL" and event["SEQUENCE"] == 2
        appointment.refresh_from_db()
        assert appointment.status == Status.CANCELLED

        # A session dated before the facilitator accepted is refused, saying which date.
        page.goto(base_url + reverse("pathway:record_session", args=[world.case.pk]))
        page.get_by_label("Date of the session").fill("10/11/2026")
        page.get_by_label("Video call").check()
        page.get_by_label("Attended", exact=True).check()
        page.get_by_role("button", name="Save session").click()
        expect(page.locator(".nhsuk-error-summary")).to_contain_text(
            "cannot be before Friday 20 November 2026, the day the facilitator accepted the case"
        )
        assert_accessible(page)
        page.get_by_label("Date of the session").fill("24/11/2026")
        page.get_by_label("Summary for the doctor").fill("We looked at the rota.")
        page.get_by_role("button", name="Save session").click()
        expect(page.locator("body")).to_contain_text("The session is recorded")

        # Its author corrects it: the earlier version is kept and the case shows what changed.
        page.get_by_role("link", name="Correct this session").click()
        assert_accessible(page)
        page.get_by_label("Date of the session").fill("23/11/2026")
        page.get_by_label("Summary for the doctor").fill("We looked at the rota and at sleep.")
        page.get_by_role("button", name="Save the correction").click()
        expect(page.locator("body")).to_contain_text("The session is corrected")
        page.locator(".nhsuk-details__summary-text", has_text="what changed").click()
        changes = page.locator(".nhsuk-details__text")
        expect(changes).to_contain_text("Tuesday 24 November 2026")
        expect(changes).to_contain_text("Monday 23 November 2026")
        expect(changes).to_contain_text("We looked at the rota and at sleep.")
        assert_accessible(page)


def test_booking_works_without_javascript(page_without_js, live_server, facilitated):
    world, base_url, page = facilitated, live_server.url, page_without_js
    with time_machine.travel(NOW, tick=True):
        sign_in(page, base_url, world.facilitator)
        page.goto(base_url + reverse("appointments:book", args=[world.case.pk]))
        _book(page, time="14:00")
        expect(page.locator("body")).to_contain_text("the doctor has been sent a calendar invitation")
        page.get_by_role("link", name="Cancel").click()
        page.get_by_label("The support service").check()
        page.get_by_role("button", name="Cancel it").click()
        expect(page.locator("body")).to_contain_text("It is cancelled")
    assert Appointment.objects.get().cancelled_by == "service"
