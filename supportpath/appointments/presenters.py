"""What the doctor sees coming on "My support", and what staff see on the case page."""

import datetime as dt
from typing import NamedTuple

from django.utils import timezone

from supportpath.casework.access import cases_for_doctor
from supportpath.core.written_out import aware, database_for, records, rows

from .models import Appointment, Kind, Status
from .services import how_words


def upcoming_for_cases(case_ids) -> list[Appointment]:
    """The appointments alone: the panel shows when, what, how long and how, nothing of the case or request
    (joining them decrypted the request's confidential fields on every load of My support)."""
    return list(
        Appointment.objects.filter(case_id__in=case_ids, status=Status.ARRANGED, starts_at__gte=timezone.now())
        # Only the columns the panel shows (how_words reads the link or the place): read on every load.
        .only("kind", "starts_at", "minutes", "how", "join_url", "place")
        .order_by("starts_at", "id")
    )


class Booked(NamedTuple):
    """A case's sessions and reviews arranged ahead, as a work list's row shows them."""

    next_session_at: dt.datetime | None = None  # the next session still to come
    next_review_at: dt.datetime | None = None  # the next review still to come
    unrecorded_at: dt.datetime | None = None  # the first session or review begun with nothing recorded


# Its one query, written out (``core.written_out``): it runs on every load of a facilitator's work list.
_BOOKED_SQL = """
SELECT case_id, kind, starts_at FROM appointments_appointment
WHERE status = %s AND kind IN (%s, %s) AND case_id IN ({ids})"""


def booked_for_cases(case_ids: list[int]) -> dict[int, Booked]:
    """What each case has booked (a case with nothing arranged is left out), in one query for a page of rows
    rather than three subqueries a row: the sessions and reviews still arranged, their times only. The first
    conversation is the case manager's, so it is not among them."""
    if not case_ids:
        return {}
    now = timezone.now()
    soonest: dict[int, dict[str, dt.datetime]] = {}
    db = database_for(Appointment)
    for case_id, kind, starts_at in rows(db, _BOOKED_SQL, case_ids, Status.ARRANGED, Kind.SESSION, Kind.REVIEW):
        starts_at = aware(db, starts_at)
        key = kind if starts_at >= now else "unrecorded"
        times = soonest.setdefault(case_id, {})
        if key not in times or starts_at < times[key]:
            times[key] = starts_at
    return {
        case_id: Booked(times.get(Kind.SESSION), times.get(Kind.REVIEW), times.get("unrecorded"))
        for case_id, times in soonest.items()
    }


def coming_up_panel(user) -> dict | None:
    """The doctor's "Coming up" panel: their arranged appointments still to come, soonest first."""
    if not user.is_authenticated:
        return None
    appointments = upcoming_for_cases(cases_for_doctor(user).values("pk"))
    if not appointments:
        return None
    return {"appointments": [{"appointment": a, "how": how_words(a)} for a in appointments]}


def for_case(case) -> list[dict]:
    """Every appointment of a case for its staff, soonest first, with what may be done with each."""
    now = timezone.now()
    rows = []
    # Read as rows (``core.written_out``): the case page asks on every load.
    for appointment in records(Appointment, "case_id IN ({ids})", [case.pk], order_by="starts_at DESC, id DESC"):
        rows.append(
            {
                "appointment": appointment,
                "how": how_words(appointment),
                "to_come": appointment.is_arranged and appointment.starts_at > now,
                "to_record": appointment.is_arranged and appointment.starts_at <= now,
            }
        )
    return rows
