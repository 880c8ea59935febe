"""The calendar invitation (.ics, RFC 5545) for an appointment, made with the ``icalendar`` library.

It says when, for how long and how to join, and nothing about why the doctor has support: the summary names
only the kind of meeting and the service. Every change keeps the UID and raises the SEQUENCE; a cancelled
appointment (or one held before its time) is sent with METHOD:CANCEL, so the doctor's calendar removes the event
it has."""

import datetime as dt
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone

from supportpath.notifications.attachments import Attachment

from .models import Appointment, How

PRODID = "-//supportpath//appointments//EN"


def summary(appointment: Appointment) -> str:
    return f"{appointment.get_kind_display()} with {appointment.case.request.service.name}"


def location(appointment: Appointment) -> str:
    if appointment.how == How.VIDEO:
        return appointment.join_url or "Video call"
    if appointment.how == How.IN_PERSON:
        return appointment.place
    return "Phone call: the service will call you"


def ics(appointment: Appointment) -> bytes:
    cancelled = appointment.off_the_calendar
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"{appointment.uid}@supportpath")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", (appointment.starts_at + dt.timedelta(minutes=appointment.minutes)).astimezone(dt.UTC))
    event.add("summary", summary(appointment))
    event.add("location", location(appointment))
    if appointment.how == How.VIDEO and appointment.join_url:
        event.add("url", appointment.join_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organiser = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if organiser:
        event.add("organizer", f"mailto:{organiser}")
    event.add("attendee", f"mailto:{appointment.case.request.doctor.user.email}")
    calendar.add_component(event)
    return calendar.to_ical()


def attachment(appointment_id: int) -> Attachment | None:
    appointment = (
        Appointment.objects.select_related("case__request__service", "case__request__doctor__user")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return None
    method = "CANCEL" if appointment.off_the_calendar else "REQUEST"
    return Attachment("invitation.ics", ics(appointment), f"text/calendar; method={method}; charset=utf-8")
