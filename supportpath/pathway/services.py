"""Rules of the early pathway: arranging the first conversation, recording needs, recording sessions."""

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.appointments import services as appointments
from supportpath.casework.date_order import NotBefore
from supportpath.casework.models import Case, Stage
from supportpath.core.dates import long_datetime
from supportpath.notifications.tasks import queue_email
from supportpath.referrals.emails import email_doctor
from supportpath.referrals.models import Status

from .models import InitialConversation, NeedsAssessment, NeedsAssessmentVersion, SessionVersion, SupportSession


class ConflictError(Exception):
    """Someone else saved a newer version while this person was editing."""


class NotAllowed(Exception):
    """What the doctor asked for cannot happen now; the message says why, in words for the doctor."""


def another_time_refusal_for(
    *, request_status: str, closed: bool, conversation: InitialConversation | None, assessed: bool
) -> str:
    """Why the doctor may no longer ask for another time for their first conversation, or "" if they may: the
    one rule, which the doctor's journey (``journey.journeys``), their case page and the ask itself all follow.

    Once support has ended, or passed to another service, there is no conversation left to move; nor once the
    conversation has taken place, which its time passing or its needs assessment being recorded shows (it may
    have been held earlier than arranged)."""
    if request_status == Status.HANDED_OVER:
        return (
            "Your support has passed to another service, with your agreement, so your first conversation with us "
            "will not go ahead and there is no time to change."
        )
    if closed or request_status == Status.CLOSED:
        return (
            "Your support with us has ended, so your first conversation will not go ahead and there is no time "
            "to change."
        )
    if assessed or (conversation is not None and conversation.has_happened):
        return "Your first conversation has already taken place, so it cannot be moved."
    return ""


def another_time_refusal(case: Case) -> str:
    """``another_time_refusal_for`` a case, read from the database."""
    return another_time_refusal_for(
        request_status=case.request.status,
        closed=case.stage == Stage.CLOSED,
        conversation=InitialConversation.objects.filter(case=case).first(),
        assessed=NeedsAssessment.objects.filter(case=case).exists(),
    )


def arrange_conversation(
    case: Case,
    *,
    by: User,
    scheduled_for: dt.datetime,
    mode: str,
    minutes: int = 60,
    join_url: str = "",
    place: str = "",
    notify: bool = True,
) -> InitialConversation:
    """Arrange (or re-arrange) the first conversation: its appointment (``supportpath.appointments``) is booked
    or moved, and the doctor's email carries the calendar invitation, updated rather than repeated. The demo
    arranges its conversations here too, as history: ``notify=False`` tells nobody."""
    with transaction.atomic():
        conversation, _ = InitialConversation.objects.update_or_create(
            case=case,
            defaults={
                "scheduled_for": scheduled_for,
                "mode": mode,
                "arranged_by": by,
                "doctor_asked_for_another_time": False,
                "doctor_suggested_times": "",
            },
        )
        appointment = appointments.arrange_first_conversation(
            case,
            by=by,
            starts_at=scheduled_for,
            minutes=minutes,
            how=mode,
            join_url=join_url,
            place=place,
            notify=False,
        )
        if not notify:  # the fictional demo's history, told to nobody
            return conversation
        email_doctor(
            case.request,
            key=f"conversation-arranged:{conversation.pk}:{scheduled_for.isoformat()}",
            subject="Your first conversation with the support service",
            template="pathway/email/conversation_arranged.txt",
            context={
                "when": long_datetime(scheduled_for),
                "mode": conversation.get_mode_display(),
                "how": appointments.how_words(appointment),
                "minutes": minutes,
                "reference": case.request.reference,
            },
            attachment=("appointment-ics", appointment.pk),
        )
    return conversation


def ask_for_another_time(
    conversation: InitialConversation, *, suggested_times: str, token: uuid.UUID, notify: bool = True
) -> None:
    """The doctor asks for another time. One email to the case manager per form, however often it is sent
    (``token`` names the form); asking again later, from a fresh form, tells them again. Refused, changing
    nothing, once ``another_time_refusal`` says so: the case closed or handed over, or the conversation taken
    place (read under a lock, so a closure or a needs assessment at the same moment wins). The demo asks here
    too, as history: ``notify=False`` tells nobody (the conversation keeps no moment of asking to date)."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("request", "case_manager")
            .get(pk=conversation.case_id)
        )
        refusal = another_time_refusal(case)
        if refusal:
            raise NotAllowed(refusal)
        conversation.doctor_asked_for_another_time = True
        conversation.doctor_suggested_times = suggested_times
        conversation.save(update_fields=["doctor_asked_for_another_time", "doctor_suggested_times"])
        if not notify:  # the fictional demo's history, told to nobody
            return
        queue_email(
            key=f"conversation-another-time:{conversation.pk}:{token}",
            to=case.case_manager.email,
            subject=f"{case.request.reference}: the doctor asked for another time",
            template="pathway/email/another_time_requested.txt",
            context={"reference": case.request.reference},
        )


ASSESSMENT_FIELDS = [
    "conversation_held_on",
    "presenting_issues",
    "individual_factors",
    "team_factors",
    "structural_factors",
    "cultural_factors",
    "strengths",
    "doctor_goals",
    "mandated",
    "staff_notes",
]


def save_needs_assessment(
    case: Case,
    *,
    by: User,
    data: dict,
    based_on_version: int | None,
    token: uuid.UUID | None = None,
    notify: bool = True,
) -> NeedsAssessment:
    """Create or update the needs assessment. An update based on an older version raises ConflictError.

    ``token`` names the form. If the only save since the form was opened is this same form's own earlier
    save (a double click, or sending it again), that is not a conflict: the same words are already saved, and
    anything changed since is saved over this person's own earlier save. The demo saves its assessments here
    as history: ``notify=False`` sends the doctor's calendar nothing when the conversation ends its arrangement."""
    values = {name: data[name] for name in ASSESSMENT_FIELDS}
    with transaction.atomic():
        # Lock the case first, so two first saves at once make one assessment rather than one error.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        current = NeedsAssessment.objects.select_for_update().filter(case=case).first()
        if current is None:
            if based_on_version:
                raise ConflictError
            assessment = NeedsAssessment.objects.create(
                case=case, recorded_by=by, last_submission_token=token, **values
            )
        else:
            if based_on_version != current.version:
                repeat = (
                    token is not None
                    and current.last_submission_token == token
                    and current.version == (based_on_version or 0) + 1
                )
                if not repeat:
                    raise ConflictError
                if all(getattr(current, name) == value for name, value in values.items()):
                    return current
            if any(getattr(current, name) != value for name, value in values.items()):
                # A correction: what it said before is kept, and the case page shows what changed.
                NeedsAssessmentVersion.objects.create(
                    assessment=current,
                    number=NeedsAssessmentVersion.objects.filter(assessment=current).count() + 1,
                    recorded_by_id=current.recorded_by_id,
                    corrected_by=by,
                    **{name: getattr(current, name) for name in ASSESSMENT_FIELDS},
                )
            for name, value in values.items():
                setattr(current, name, value)
            current.recorded_by = by
            current.version += 1
            current.last_submission_token = token
            current.save()
            assessment = current
        if case.stage in (Stage.FIRST_CONTACT, Stage.INITIAL_CONVERSATION):
            case.stage = Stage.PLANNING
            case.save(update_fields=["stage"])
        # The conversation has been held: its arrangement ends (no reminder, nothing left to move).
        appointments.first_conversation_held(case, by=by, notify=notify)
    return assessment


def conversation_not_before(case: Case) -> NotBefore:
    """The first conversation is part of the case: the needs assessment is not dated before the request was
    accepted (``casework.date_order``'s message). It may be dated before the arranged time: a conversation can
    be held earlier than arranged."""
    return NotBefore(timezone.localdate(case.opened_at), "the request for support was accepted")


def add_doctor_comment(assessment: NeedsAssessment, comment: str, *, at: dt.datetime | None = None) -> None:
    """The doctor's comment on their needs assessment (``at``: when, if not now: the demo's history)."""
    assessment.doctor_comment = comment
    assessment.doctor_commented_at = at or timezone.now()
    assessment.save(update_fields=["doctor_comment", "doctor_commented_at"])


def record_session(case: Case, *, facilitator: User, data: dict) -> SupportSession:
    """Record a session once, however many times the form is sent (the token is unique)."""
    token: uuid.UUID = data["submission_token"]
    existing = SupportSession.objects.filter(submission_token=token, case=case).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return SupportSession.objects.create(
                case=case,
                facilitator=facilitator,
                held_on=data["held_on"],
                mode=data["mode"],
                attendance=data["attendance"],
                shared_summary=data["shared_summary"],
                agreed_actions=data["agreed_actions"],
                private_notes=data["private_notes"],
                submission_token=token,
            )
    except IntegrityError:
        return SupportSession.objects.get(submission_token=token, case=case)


SESSION_FIELDS = ["held_on", "mode", "attendance", "shared_summary", "agreed_actions", "private_notes"]


def correct_session(session: SupportSession, *, by: User, data: dict) -> SupportSession:
    """Its author corrects a session: the earlier version is kept (``SessionVersion``), the session holds the
    new one. Nothing changed (or the same form sent again): nothing kept, nothing saved."""
    with transaction.atomic():
        current = SupportSession.objects.select_for_update().get(pk=session.pk)
        if current.facilitator_id != by.pk:
            raise NotAllowed("Only the facilitator who recorded a session corrects it.")
        if all(getattr(current, name) == data[name] for name in SESSION_FIELDS):
            return current
        number = SessionVersion.objects.filter(session=current).count() + 1
        SessionVersion.objects.create(
            session=current,
            number=number,
            corrected_by=by,
            **{name: getattr(current, name) for name in SESSION_FIELDS},
        )
        for name in SESSION_FIELDS:
            setattr(current, name, data[name])
        current.save(update_fields=SESSION_FIELDS)
    return current
