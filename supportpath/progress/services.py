"""Rules for reviews, milestones, new dates, pauses and reassessment, and the notices of the daily checks
(``checks.py`` decides when; closing a case is ``closure.services``)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.casework.models import Case, Stage
from supportpath.core.dates import long_date
from supportpath.notifications.tasks import queue_email
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.referrals.emails import email_doctor
from supportpath.referrals.models import SupportRequest
from supportpath.scoring import gas

from . import targets
from .models import (
    Closure,
    MilestoneDone,
    NoticeKind,
    Pause,
    Reassessment,
    Review,
    ReviewVersion,
    RevisedDate,
    Target,
    TargetNotice,
)


class NotAllowed(Exception):
    """The step does not fit where the case is; the message says why."""


def agreed_version(case: Case) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__case=case, status=VersionStatus.AGREED).order_by("-number").first()


def _once(model, token: uuid.UUID, case: Case, create):
    existing = model.objects.filter(submission_token=token, case=case).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        return model.objects.get(submission_token=token, case=case)


def record_review(
    case: Case, *, by: User, held_on: dt.date, levels: list[int], notes: str, token, notify: bool = True
) -> Review:
    """Score each goal of the agreed plan, once per token, and ask the doctor for their reflection (``notify``:
    the demo, writing history, tells nobody)."""
    version = agreed_version(case)
    if version is None:
        raise NotAllowed("There is no agreed plan to review yet")
    goals = version.content["goals"]
    if len(levels) != len(goals):
        raise NotAllowed("Every goal of the agreed plan needs a score")
    scores = [
        {"goal": g["text"], "level": level, "importance": g["importance"], "difficulty": g["difficulty"]}
        for g, level in zip(goals, levels, strict=True)
    ]
    score = gas.t_score([gas.ScoredGoal(s["level"], s["importance"], s["difficulty"]) for s in scores])

    def create():
        review = Review.objects.create(
            case=case,
            plan_version=version,
            held_on=held_on,
            scores=scores,
            t_score=round(score, 1),
            notes=notes,
            recorded_by=by,
            submission_token=token,
        )
        if not notify:
            return review
        email_doctor(
            case.request,
            key=f"review-recorded:{review.pk}",
            subject="Your support review: add your reflection",
            template="progress/email/review.txt",
            context={"reference": case.request.reference, "site_url": settings.SITE_URL},
        )
        return review

    return _once(Review, token, case, create)


def correct_review(review: Review, *, by: User, held_on: dt.date, levels: list[int], notes: str) -> Review:
    """Its author corrects a review: the earlier version is kept (``ReviewVersion``), the review holds the new
    one, scored again against the same plan version. Nothing changed (or the same form sent again): nothing
    kept, nothing saved."""
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.recorded_by_id != by.pk:
            raise NotAllowed("Only the person who recorded a review corrects it.")
        if len(levels) != len(current.scores):
            raise NotAllowed("Every goal of the review needs a score")
        scores = [{**s, "level": level} for s, level in zip(current.scores, levels, strict=True)]
        if (current.held_on, current.scores, current.notes) == (held_on, scores, notes):
            return current
        ReviewVersion.objects.create(
            review=current,
            number=ReviewVersion.objects.filter(review=current).count() + 1,
            held_on=current.held_on,
            scores=current.scores,
            t_score=current.t_score,
            notes=current.notes,
            corrected_by=by,
        )
        score = gas.t_score([gas.ScoredGoal(s["level"], s["importance"], s["difficulty"]) for s in scores])
        current.held_on, current.scores, current.notes = held_on, scores, notes
        current.t_score = round(score, 1)
        current.save(update_fields=["held_on", "scores", "notes", "t_score"])
    return current


def add_reflection(review: Review, text: str, *, at: dt.datetime | None = None) -> None:
    """The doctor's reflection on a review (``at``: when, if not now: the demo's history)."""
    review.doctor_reflection = text
    review.doctor_reflected_at = at or timezone.now()
    review.save(update_fields=["doctor_reflection", "doctor_reflected_at"])


def mark_milestone_done(case: Case, index: int, *, by: User, done_on: dt.date) -> None:
    """Mark the agreed plan's milestone ``index`` as reached, once however many times it is pressed."""
    with transaction.atomic():
        # The case row is the lock: the milestone's words are encrypted, so no unique index can catch a double
        # click, and the check below must not race another request.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        milestone = targets.load_one(case).find(f"{Target.MILESTONE}-{index}")
        if milestone is None:
            raise NotAllowed("There is no such milestone in the agreed plan")
        if milestone.done_on is None:
            MilestoneDone.objects.create(
                case=case, text=milestone.label, due=milestone.planned, done_on=done_on, marked_by=by
            )


def set_new_date(
    case: Case,
    *,
    by: User,
    target: targets.TargetState,
    new_due: dt.date,
    reason: str,
    token: uuid.UUID,
    notify: bool = True,
    at: dt.datetime | None = None,
) -> RevisedDate:
    """Give a target of the case a new date, with the reason the doctor reads, and tell the doctor at once
    (and the facilitator, for a milestone or a review). A double submission records one new date. The demo
    writes history: ``notify=False`` tells nobody, ``at`` is when it was set."""
    if case.stage == Stage.CLOSED:
        raise NotAllowed("The case is closed")
    if not target.is_open:
        raise NotAllowed("That has already happened, so its date cannot move")

    def create():
        revised = RevisedDate.objects.create(
            case=case,
            target=target.kind,
            label=target.match_label,
            original_due=target.planned,
            new_due=new_due,
            reason=reason,
            set_by=by,
            submission_token=token,
        )
        if at is not None:
            RevisedDate.objects.filter(pk=revised.pk).update(noticed_at=at)
            revised.noticed_at = at
        if not notify:  # the fictional demo's history, told to nobody
            return revised
        what = TARGET_WORDS[target.kind]
        email_doctor(
            case.request,
            key=f"new-date:{revised.pk}",
            subject=f"A new date for {what}",
            template="progress/email/new_date_doctor.txt",
            context={
                "what": what,
                "new_due": long_date(new_due),
                "was_due": long_date(target.due),
                "case_manager": case.case_manager.full_name,
                "site_url": settings.SITE_URL,
            },
        )
        if target.kind in (Target.MILESTONE, Target.REVIEW) and case.facilitator_id:
            queue_email(
                key=f"new-date:{revised.pk}:{case.facilitator_id}",
                to=case.facilitator.email,
                subject=f"{case.request.reference}: a new date for {what}",
                template="progress/email/new_date_staff.txt",
                context={
                    "reference": case.request.reference,
                    "what": what,
                    "new_due": long_date(new_due),
                    "was_due": long_date(target.due),
                    "site_url": settings.SITE_URL,
                },
            )
        return revised

    return _once(RevisedDate, token, case, create)


# How each target is named in emails: never a milestone's own words, which belong in the product, not in mail.
TARGET_WORDS = {
    Target.FIRST_CONTACT: "our first contact with you",
    Target.INITIAL_CONVERSATION: "your first conversation",
    Target.PLAN_AGREED: "agreeing your support plan",
    Target.MILESTONE: "one of your milestones",
    Target.REVIEW: "a review of your support",
}


def record_reassessment(case: Case, *, by: User, data: dict) -> Reassessment:
    def create():
        return Reassessment.objects.create(
            case=case,
            held_on=data["held_on"],
            assessed_by=data["assessed_by"],
            outcome=data["outcome"],
            details=data["details"],
            recorded_by=by,
            submission_token=data["submission_token"],
        )

    return _once(Reassessment, data["submission_token"], case, create)


class AlreadyPaused(Exception):
    pass


def pause_case(
    case: Case,
    *,
    by: User,
    reason: str,
    started_on: dt.date,
    explanation: str,
    token: uuid.UUID,
    notify: bool = True,
) -> Pause:
    """Pause support from ``started_on``: its targets wait, and nobody is told they are late. Once per press;
    a case has one pause at a time, and a closed case none."""
    existing = Pause.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        case = (
            Case.objects.select_for_update().select_related("request__doctor__user", "request__service").get(pk=case.pk)
        )
        if case.stage == Stage.CLOSED or Closure.objects.filter(case=case).exists():
            raise NotAllowed("A closed case cannot be paused")
        if Pause.objects.filter(case=case, ended_on__isnull=True).exists():
            raise AlreadyPaused()
        pause = Pause.objects.create(
            case=case,
            reason=reason,
            explanation=explanation,
            started_on=started_on,
            started_by=by,
            submission_token=token,
        )
        if not notify:  # the fictional demo's history, told to nobody
            return pause
        email_doctor(
            case.request,
            key=f"case-paused:{pause.pk}",
            subject="Your support is paused",
            template="progress/email/paused.txt",
            context={
                "since": long_date(started_on),
                "reason": pause.get_reason_display().lower(),
                "explanation": explanation,
                "manager": case.case_manager.full_name,
                "service": case.request.service.name,
                "site_url": settings.SITE_URL,
            },
        )
    return pause


def resume_case(case: Case, *, by: User, ended_on: dt.date) -> Pause | None:
    """Support starts again: every open target set before the pause moves on by the working days it lasted
    (``targets.py``). A second press finds nothing paused and changes nothing."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        pause = Pause.objects.filter(case=case, ended_on__isnull=True).first()
        if pause is None:
            return None
        pause.ended_on = max(ended_on, pause.started_on)
        pause.ended_by = by
        pause.save(update_fields=["ended_on", "ended_by"])
    return pause


@dataclass(frozen=True)
class Notice:
    """What the daily checks tell people about one target of a request on one day (``checks.py`` decides when).
    ``case`` is the request's case, if it has one yet: it names who will confirm a new date."""

    request: SupportRequest
    target: targets.TargetState
    kind: str
    sent_on: dt.date
    case: Case | None = None

    def record(self) -> TargetNotice:
        return TargetNotice(
            request=self.request,
            target=self.target.kind,
            label=self.target.match_label,
            planned=self.target.planned,
            due=self.target.due,
            kind=self.kind,
            sent_on=self.sent_on,
        )


def record_notice(notice: Notice, *, notify: bool = True) -> TargetNotice:
    """Record a notice of the daily checks, so nobody is told the same thing twice, and when it says a target was
    missed, tell the doctor honestly (staff hear of it in their daily reminder, sent by the checks). The demo,
    writing history, tells nobody (``notify=False``)."""
    made = notice.record()
    made.save()
    if notify and notice.kind == NoticeKind.LATE:
        _tell_doctor_late(notice, made)
    return made


def record_notices(notices: list[Notice], *, notify: bool = True) -> list[TargetNotice]:
    """``record_notice`` for many notices in one insert."""
    made = TargetNotice.objects.bulk_create([n.record() for n in notices])
    if notify:
        for notice, row in zip(notices, made, strict=True):
            if notice.kind == NoticeKind.LATE:
                _tell_doctor_late(notice, row)
    return made


def _tell_doctor_late(notice: Notice, made: TargetNotice) -> None:
    request, case, target = notice.request, notice.case, notice.target
    who = ""
    if case is not None:
        who = case.case_manager.full_name
        if target.kind in (Target.MILESTONE, Target.REVIEW) and case.facilitator_id:
            who = case.facilitator.full_name
    email_doctor(
        request,
        key=f"target-late:{made.pk}",
        subject="An honest update on your support",
        template="progress/email/late_doctor.txt",
        context={
            "target": target.kind,
            "due": long_date(target.due),
            "who": who,
            "service": request.service.name,
            "site_url": settings.SITE_URL,
        },
    )
