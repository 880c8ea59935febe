"""Closing a case once (and handing the doctor over to another service), and the doctor's exit feedback."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.appointments import services as appointments
from supportpath.casework.models import Case, Stage
from supportpath.facilitation.services import end_on_closure
from supportpath.progress.models import Closure, ClosureReason
from supportpath.progress.services import NotAllowed
from supportpath.referrals.emails import email_doctor
from supportpath.referrals.models import HandoverDestination, Status

from .models import ExitFeedback


def final_t_score(case: Case) -> float | None:
    last = case.reviews.order_by("-held_on", "-id").first()
    return last.t_score if last else None


def close_case(
    case: Case, *, by: User, data: dict, notify: bool = True, facilitator_freed_at: dt.datetime | None = None
) -> Closure:
    """Close the case once: record why, the final goal-attainment score, free the facilitator, tell the doctor.

    The demo closes its cases here too, as history: ``notify=False`` tells nobody, and
    ``facilitator_freed_at`` is when the facilitator's place was freed."""

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("request__doctor__user").get(pk=case.pk)
        existing = Closure.objects.filter(case=case).first()
        if existing:
            return existing
        handed_over = data["reason"] == ClosureReason.HANDED_OVER
        if handed_over and not data.get("doctor_consented"):
            raise NotAllowed("A handover needs the doctor's agreement")
        destination = data.get("handed_over_to", "") if handed_over else ""
        closure = Closure.objects.create(
            case=case,
            reason=data["reason"],
            other_reason=data.get("other_reason", "") if data["reason"] == ClosureReason.OTHER else "",
            handed_over_to=destination,
            handed_over_to_name=data.get("handed_over_to_name", "") if destination == HandoverDestination.OTHER else "",
            handover_reason=data.get("handover_reason", "") if handed_over else "",
            doctor_consented_to_handover=handed_over and data.get("doctor_consented", False),
            closed_on=data["closed_on"],
            final_t_score=final_t_score(case),
            closed_by=by,
        )
        case.stage = Stage.CLOSED
        case.save(update_fields=["stage"])
        request = case.request
        request.status = Status.HANDED_OVER if handed_over else Status.CLOSED
        fields = ["status"]
        if handed_over:
            request.handed_over_to = closure.handed_over_to
            request.handover_reason = closure.handover_reason
            request.handover_consent = True
            request.handed_over_at = _on_the_day(closure.closed_on)
            fields += ["handed_over_to", "handover_reason", "handover_consent", "handed_over_at"]
        request.save(update_fields=fields)
        end_on_closure(case, at=facilitator_freed_at)
        if not notify:  # the fictional demo's history, told to nobody
            return closure
        # What was still to come is cancelled, and the doctor's calendar told.
        appointments.cancel_open_appointments(case, by=by)
        email_doctor(
            request,
            key=f"case-closed:{case.pk}",
            subject="Your support has come to an end",
            template="closure/email/closed.txt",
            context={
                "reference": request.reference,
                "handed_over_to": closure.handed_over_to_label if handed_over else "",
                "site_url": settings.SITE_URL,
            },
        )
    return closure


def _on_the_day(day: dt.date) -> dt.datetime:
    """A moment on ``day`` for a field that keeps a time: now if it is today, else midday UK time (midday so
    that the date reads the same in any time zone the UK uses)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def save_exit_feedback(case: Case, data: dict, statements: Iterable[str]) -> ExitFeedback:
    feedback, _ = ExitFeedback.objects.update_or_create(
        case=case,
        defaults={
            "what_changed": data["what_changed"],
            "team_may_read": data["team_may_read"],
            "answers": {key: int(data[key]) for key in statements if data.get(key)},
            "peer_supporter": data["peer_supporter"],
        },
    )
    return feedback
