"""Rules for appointments arranged ahead: booking, re-arranging, cancelling, recording what happened, and the
reminder the working day before. Each change the doctor needs to know about is emailed with its calendar
invitation (``calendar``), made when the email is sent."""

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.casework.models import Case
from supportpath.core.dates import long_datetime
from supportpath.core.working_days import add_working_days, is_working_day
from supportpath.referrals.emails import email_doctor

from .models import Appointment, CancelledBy, How, Kind, Status


class NotAllowed(Exception):
    """The change cannot happen now; the message says why."""


def how_words(appointment: Appointment) -> str:
    if appointment.how == How.VIDEO:
        return f"by video call, joining at {appointment.join_url}" if appointment.join_url else "by video call"
    if appointment.how == How.IN_PERSON:
        return f"in person, at {appointment.place}" if appointment.place else "in person"
    return "by phone: the service will call you"


def _tell_doctor(appointment: Appointment, what: str, *, key: str, note: str = "") -> None:
    """Email the doctor, with the invitation attached. Only when, how long and how: never why."""
    subjects = {
        "arranged": f"Your {appointment.get_kind_display().lower()} is arranged",
        "changed": f"Your {appointment.get_kind_display().lower()} has changed",
        "cancelled": f"Your {appointment.get_kind_display().lower()} is cancelled",
        "reminder": f"Reminder: your {appointment.get_kind_display().lower()}",
        "taken_place": f"Your {appointment.get_kind_display().lower()} has taken place",
    }
    email_doctor(
        appointment.case.request,
        key=key,
        subject=subjects[what],
        template="appointments/email/appointment.txt",
        context={
            "what": what,
            "kind": appointment.get_kind_display().lower(),
            "when": long_datetime(appointment.starts_at),
            "minutes": appointment.minutes,
            "how": how_words(appointment),
            "note": note,
        },
        attachment=("appointment-ics", appointment.pk),
    )


def _details(appointment: Appointment, *, starts_at: dt.datetime, minutes: int, how: str, join_url: str, place: str):
    appointment.starts_at, appointment.minutes, appointment.how = starts_at, minutes, how
    appointment.join_url = join_url if how == How.VIDEO else ""
    appointment.place = place if how == How.IN_PERSON else ""


def book(
    case: Case,
    *,
    kind: str,
    by: User,
    starts_at: dt.datetime,
    minutes: int,
    how: str,
    join_url: str = "",
    place: str = "",
    token: uuid.UUID | None = None,
    notify: bool = True,
) -> Appointment:
    """Arrange an appointment and send the doctor its invitation (``notify=False``: the caller sends its own
    email with the invitation attached). The same form sent twice books once."""
    if token is not None:
        existing = Appointment.objects.filter(submission_token=token, case=case).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            appointment = Appointment(case=case, kind=kind, arranged_by=by, submission_token=token)
            _details(appointment, starts_at=starts_at, minutes=minutes, how=how, join_url=join_url, place=place)
            appointment.save()
            if notify:
                _tell_doctor(appointment, "arranged", key=f"appointment:{appointment.uid}:0")
    except IntegrityError:
        return Appointment.objects.get(submission_token=token, case=case)
    return appointment


def rearrange(
    appointment: Appointment,
    *,
    by: User,
    starts_at: dt.datetime,
    minutes: int,
    how: str,
    join_url: str = "",
    place: str = "",
    notify: bool = True,
) -> Appointment:
    """Change when or how; the doctor is sent an update (same UID, higher SEQUENCE). Nothing changed: no email."""
    with transaction.atomic():
        current = (
            Appointment.objects.select_for_update().select_related("case__request__doctor__user").get(pk=appointment.pk)
        )
        if current.status != Status.ARRANGED:
            raise NotAllowed("This appointment has already been recorded as held, cancelled or not attended.")
        before = (current.starts_at, current.minutes, current.how, current.join_url, current.place)
        _details(current, starts_at=starts_at, minutes=minutes, how=how, join_url=join_url, place=place)
        if before == (current.starts_at, current.minutes, current.how, current.join_url, current.place):
            return current
        current.arranged_by = by
        current.sequence += 1
        current.reminded_for = None
        current.save()
        if notify:
            _tell_doctor(current, "changed", key=f"appointment:{current.uid}:{current.sequence}")
    return current


def record_outcome(
    appointment: Appointment, *, by: User | None, outcome: str, cancelled_by: str = "", note: str = ""
) -> Appointment:
    """Record what happened: held, cancelled (by the doctor or the service) or not attended. A cancellation
    before the time sends the doctor the calendar's cancellation; held or not attended only once it has begun."""
    with transaction.atomic():
        current = (
            Appointment.objects.select_for_update().select_related("case__request__doctor__user").get(pk=appointment.pk)
        )
        if current.status != Status.ARRANGED:
            if current.status == outcome:
                return current  # the same form sent again
            raise NotAllowed("What happened to this appointment is already recorded.")
        if outcome in (Status.HELD, Status.NOT_ATTENDED) and current.starts_at > timezone.now():
            raise NotAllowed(
                f"This appointment is arranged for {long_datetime(current.starts_at)}: record whether it was held "
                "once it has begun, or cancel it."
            )
        current.status = outcome
        current.cancelled_by = cancelled_by if outcome == Status.CANCELLED else ""
        current.outcome_recorded_by, current.outcome_recorded_at = by, timezone.now()
        if outcome == Status.CANCELLED and current.starts_at > timezone.now():
            current.sequence += 1
            current.save()
            _tell_doctor(current, "cancelled", key=f"appointment:{current.uid}:{current.sequence}", note=note)
        else:
            current.save()
    return current


def cancel(
    appointment: Appointment, *, by: User | None, cancelled_by: str = CancelledBy.SERVICE, note: str = ""
) -> Appointment:
    """``note``: a sentence for the doctor's email saying why (an ordinary cancellation says nothing more)."""
    return record_outcome(appointment, by=by, outcome=Status.CANCELLED, cancelled_by=cancelled_by, note=note)


def arrange_first_conversation(
    case: Case,
    *,
    by: User,
    starts_at: dt.datetime,
    minutes: int,
    how: str,
    join_url: str = "",
    place: str = "",
    notify: bool = True,
) -> Appointment:
    """The case's first conversation: booked once, re-arranged after (its invitation updated, not repeated)."""
    current = (
        Appointment.objects.filter(case=case, kind=Kind.FIRST_CONVERSATION, status=Status.ARRANGED)
        .order_by("-id")
        .first()
    )
    details = {"starts_at": starts_at, "minutes": minutes, "how": how, "join_url": join_url, "place": place}
    details["notify"] = notify
    if current is None:
        return book(case, kind=Kind.FIRST_CONVERSATION, by=by, **details)
    return rearrange(current, by=by, **details)


def first_conversation_held(case: Case, *, by: User, notify: bool = True) -> None:
    """Recording the conversation (its needs assessment) ends its arrangement: no reminder, nothing to move. Held
    before the time arranged, the doctor's calendar is sent its cancellation (the email says it has taken place),
    unless ``notify=False`` (the demo's history)."""
    now = timezone.now()
    arranged = Appointment.objects.select_for_update().filter(
        case=case, kind=Kind.FIRST_CONVERSATION, status=Status.ARRANGED
    )
    for appointment in arranged.select_related("case__request__doctor__user"):
        appointment.status = Status.HELD
        appointment.outcome_recorded_by, appointment.outcome_recorded_at = by, now
        if appointment.starts_at > now:
            appointment.sequence += 1
            appointment.save()
            if notify:
                _tell_doctor(appointment, "taken_place", key=f"appointment:{appointment.uid}:{appointment.sequence}")
        else:
            appointment.save()


def cancel_open_appointments(case: Case, *, by: User) -> None:
    """A case that closes cancels what was still to come, and tells the doctor's calendar."""
    for appointment in Appointment.objects.filter(case=case, status=Status.ARRANGED, starts_at__gt=timezone.now()):
        cancel(appointment, by=by)


def cancel_facilitators_appointments(case: Case, *, by: User | None, note: str) -> int:
    """The doctor's facilitator changes: the sessions and reviews still to come, arranged with the one who
    leaves, are cancelled and the doctor's calendar told, with ``note`` saying why (the new facilitator arranges
    their own). The first conversation, the case manager's, stays. Returns how many were cancelled."""
    to_come = Appointment.objects.filter(
        case=case, status=Status.ARRANGED, kind__in=[Kind.SESSION, Kind.REVIEW], starts_at__gt=timezone.now()
    )
    cancelled = 0
    for appointment in to_come:
        cancel(appointment, by=by, note=note)
        cancelled += 1
    return cancelled


def reminder_window(today: dt.date) -> tuple[dt.date, dt.date] | None:
    """Appointments on these days (after ``today``, up to the next working day) are reminded today, the working
    day before them. On a day that is not a working day nobody is reminded: the working day before did it."""
    if not is_working_day(today):
        return None
    return today + dt.timedelta(days=1), add_working_days(today, 1)


def send_reminders(today: dt.date | None = None) -> str:
    """The daily job: remind each doctor of an appointment the working day before it, once."""
    today = today or timezone.localdate()
    window = reminder_window(today)
    if window is None:
        return "not a working day"
    first, last = window
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    sent = 0
    ids = Appointment.objects.filter(status=Status.ARRANGED, starts_at__gte=start, starts_at__lt=end).values_list(
        "pk", flat=True
    )
    for pk in list(ids):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("case__request__doctor__user")
                .get(pk=pk)
            )
            if appointment.status != Status.ARRANGED or appointment.reminded_for == appointment.starts_at:
                continue
            appointment.reminded_for = appointment.starts_at
            appointment.save(update_fields=["reminded_for", "updated_at"])
            _tell_doctor(
                appointment,
                "reminder",
                key=f"appointment-reminder:{appointment.uid}:{appointment.starts_at.isoformat()}",
            )
            sent += 1
    return f"{sent} reminders"
