"""Rules for reviews, milestones, reassessment and closure."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.casework.models import Case, Stage
from supportpath.notifications.tasks import queue_email
from supportpath.plans import gas
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.referrals.models import Status

from .models import Closure, ClosureReason, ExitFeedback, MilestoneDone, Reassessment, Review

DUE_SOON_DAYS = 7


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


def record_review(case: Case, *, by: User, held_on: dt.date, levels: list[int], notes: str, token) -> Review:
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
        doctor = case.request.doctor.user
        queue_email(
            key=f"review-recorded:{review.pk}",
            to=doctor.email,
            subject="Your support review: add your reflection",
            template="progress/email/review.txt",
            context={"name": doctor.full_name, "reference": case.request.reference, "site_url": settings.SITE_URL},
        )
        return review

    return _once(Review, token, case, create)


def add_reflection(review: Review, text: str) -> None:
    review.doctor_reflection = text
    review.doctor_reflected_at = timezone.now()
    review.save(update_fields=["doctor_reflection", "doctor_reflected_at"])


@dataclass
class Milestone:
    index: int
    text: str
    due: dt.date
    done_on: dt.date | None
    state: str  # done, overdue, due_soon, upcoming

    @property
    def tag(self) -> dict | None:
        return {
            "overdue": {"text": "Overdue", "classes": "nhsuk-tag--red"},
            "due_soon": {"text": "Due soon", "classes": "nhsuk-tag--yellow"},
            "done": {"text": "Done", "classes": "nhsuk-tag--green"},
        }.get(self.state)


def milestones(case: Case, today: dt.date | None = None, version: PlanVersion | None = None) -> list[Milestone]:
    today = today or timezone.localdate()
    version = version or agreed_version(case)
    if version is None:
        return []
    done = {(m.text, m.due): m.done_on for m in MilestoneDone.objects.filter(case=case)}
    result = []
    for index, m in enumerate(version.content["milestones"]):
        due = dt.date.fromisoformat(m["due"])
        done_on = done.get((m["text"], due))
        if done_on:
            state = "done"
        elif due < today:
            state = "overdue"
        elif due <= today + dt.timedelta(days=DUE_SOON_DAYS):
            state = "due_soon"
        else:
            state = "upcoming"
        result.append(Milestone(index, m["text"], due, done_on, state))
    return result


def mark_milestone_done(case: Case, index: int, *, by: User, done_on: dt.date) -> None:
    found = [m for m in milestones(case) if m.index == index]
    if not found:
        raise NotAllowed("There is no such milestone in the agreed plan")
    MilestoneDone.objects.get_or_create(
        case=case, text=found[0].text, due=found[0].due, defaults={"done_on": done_on, "marked_by": by}
    )


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


def final_t_score(case: Case) -> float | None:
    last = case.reviews.order_by("-held_on", "-id").first()
    return last.t_score if last else None


def close_case(case: Case, *, by: User, data: dict) -> Closure:
    """Close the case once: record why, the final goal-attainment score, free the facilitator, tell the doctor."""
    from supportpath.facilitation.services import end_on_closure

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("request__doctor__user").get(pk=case.pk)
        existing = Closure.objects.filter(case=case).first()
        if existing:
            return existing
        handed_over = data["reason"] == ClosureReason.HANDED_OVER
        if handed_over and not data.get("doctor_consented"):
            raise NotAllowed("A handover needs the doctor's agreement")
        closure = Closure.objects.create(
            case=case,
            reason=data["reason"],
            other_reason=data.get("other_reason", ""),
            handed_over_to=data.get("handed_over_to", "") if handed_over else "",
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
            request.handover_consent = True
            request.handed_over_at = timezone.now()
            fields += ["handed_over_to", "handover_consent", "handed_over_at"]
        request.save(update_fields=fields)
        end_on_closure(case)
        doctor = request.doctor.user
        queue_email(
            key=f"case-closed:{case.pk}",
            to=doctor.email,
            subject="Your support has come to an end",
            template="progress/email/closed.txt",
            context={
                "name": doctor.full_name,
                "reference": request.reference,
                "handed_over_to": closure.get_handed_over_to_display() if handed_over else "",
                "site_url": settings.SITE_URL,
            },
        )
    return closure


def save_exit_feedback(case: Case, data: dict, statements) -> ExitFeedback:
    feedback, _ = ExitFeedback.objects.update_or_create(
        case=case,
        defaults={
            "what_changed": data["what_changed"],
            "answers": {key: int(data[key]) for key in statements if data.get(key)},
            "peer_supporter": data["peer_supporter"],
        },
    )
    return feedback
