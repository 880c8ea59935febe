"""Demo stage for appointments arranged ahead (``supportpath.appointments``), made through its services.

Every first conversation still to come has its appointment (so the doctor sees it under "Coming up"); every
open case with a facilitator has its next session booked a few working days ahead, and its latest session,
if any, was booked ahead and recorded as held. No email is sent while seeding (``notify=False``). Like the
other stages, it finds what it made before and adds only what is missing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from supportpath.appointments import services
from supportpath.appointments.models import Appointment, How, Kind, Status
from supportpath.casework.models import Case, Stage
from supportpath.pathway.models import InitialConversation, SupportSession

from .planning import rng_for

if TYPE_CHECKING:
    from .demo_state import Demo

PLACE = "Northmoor Education Centre, room 3 (ground floor, on the left past reception)"


def how_for(mode: str, key: str) -> dict:
    if mode == How.VIDEO:
        return {"how": How.VIDEO, "join_url": f"https://meet.northmoor.example.test/{key}"}
    if mode == How.IN_PERSON:
        return {"how": How.IN_PERSON, "place": PLACE}
    return {"how": How.PHONE}


def where_for(mode: str, key: str) -> dict:
    """Where a first conversation takes place (its link or its room), for ``pathway.services.arrange_conversation``,
    which books its appointment the way this stage books the others."""
    return {name: value for name, value in how_for(mode, key).items() if name != "how"}


def seed_appointments(demo: Demo) -> None:
    # Every case of the demo, the named doctors' journeys as well as the drawn ones.
    cases = list(Case.objects.select_related("request__doctor", "facilitator", "case_manager").order_by("pk"))
    booked = set(Appointment.objects.filter(case__in=cases).values_list("case_id", "kind"))
    conversations = {c.case_id: c for c in InitialConversation.objects.filter(case__in=cases)}
    latest_session = {}
    for session in SupportSession.objects.filter(case__in=cases).order_by("held_on", "id"):
        latest_session[session.case_id] = session
    made = 0
    for case in cases:
        rng = rng_for("appointments", case.request.submission_token)
        key = str(case.request.submission_token)[:8]
        conversation = conversations.get(case.pk)
        if (
            conversation is not None
            and conversation.scheduled_for > demo.now
            and (case.pk, Kind.FIRST_CONVERSATION) not in booked
        ):
            services.book(
                case,
                kind=Kind.FIRST_CONVERSATION,
                by=case.case_manager,
                starts_at=conversation.scheduled_for,
                minutes=60,
                notify=False,
                **how_for(conversation.mode, key),
            )
            made += 1
        if case.facilitator_id is None or case.stage == Stage.CLOSED or (case.pk, Kind.SESSION) in booked:
            continue
        last = latest_session.get(case.pk)
        if last is not None:
            held = services.book(
                case,
                kind=Kind.SESSION,
                by=case.facilitator,
                starts_at=demo.at(last.held_on, 10),
                minutes=60,
                notify=False,
                **how_for(last.mode, key),
            )
            services.record_outcome(held, by=case.facilitator, outcome=Status.HELD)
            made += 1
        day = demo.working_days_after(demo.today, rng.randint(2, 8))
        services.book(
            case,
            kind=Kind.SESSION,
            by=case.facilitator,
            starts_at=timezone.make_aware(
                dt.datetime.combine(day, dt.time(rng.choice([9, 11, 14, 16]), rng.choice([0, 30])))
            ),
            minutes=rng.choice([45, 60, 60, 90]),
            notify=False,
            **how_for(rng.choice([How.VIDEO, How.VIDEO, How.PHONE, How.IN_PERSON]), key),
        )
        made += 1
    demo.created["appointments"] += made
