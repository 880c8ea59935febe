"""What the case pages show of progress: for staff, and the doctor's timeline with planned and actual dates."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.pathway.models import NeedsAssessment
from supportpath.plans.models import PlanVersion

from . import services
from .models import Closure, ExitFeedback, RevisedDate, Target


def _closure(case: Case) -> Closure | None:
    return Closure.objects.filter(case=case).first()


def for_case(case: Case) -> dict:
    """Context for the progress part of a case page (staff and doctor alike)."""
    version = services.agreed_version(case)
    return {
        "agreed_version": version,
        "reviews": list(case.reviews.select_related("recorded_by").order_by("held_on", "id")),
        "milestones": services.milestones(case, version=version) if version else [],
        "reassessments": list(case.reassessments.order_by("held_on", "id")),
        "closure": _closure(case),
        "exit_feedback": ExitFeedback.objects.filter(case=case).first(),
    }


@dataclass
class Step:
    name: str
    planned: dt.date | None
    revised: dt.date | None
    actual: dt.date | None
    note: str = ""

    @property
    def state(self) -> str:
        if self.actual:
            return "done"
        due = self.revised or self.planned
        if due and due < timezone.localdate():
            return "late"
        return "to_come"


def timeline(case: Case, progress: dict) -> list[Step]:
    request = case.request
    revised = {}
    for r in RevisedDate.objects.filter(case=case).order_by("new_due"):
        revised[(r.target, r.label)] = r.new_due
    assessment = NeedsAssessment.objects.filter(case=case).only("conversation_held_on").first()
    first_agreed = PlanVersion.objects.filter(plan__case=case, agreed_at__isnull=False).aggregate(
        first=Min("agreed_at")
    )["first"]
    steps = [
        Step(
            "You asked for support" if request.route == "self" else "You were referred",
            None,
            None,
            timezone.localdate(request.submitted_at),
        ),
        Step("First contact from the service", request.first_contact_due, None, request.first_contact_on),
        Step(
            "Your first conversation",
            case.initial_conversation_due,
            revised.get((Target.INITIAL_CONVERSATION, "First conversation")),
            assessment.conversation_held_on if assessment else None,
        ),
        Step(
            "Your support plan agreed",
            case.plan_agreed_due,
            revised.get((Target.PLAN_AGREED, "Support plan agreed")),
            timezone.localdate(first_agreed) if first_agreed else None,
        ),
    ]
    version = progress["agreed_version"]
    held = [r.held_on for r in progress["reviews"]]
    planned_reviews = [dt.date.fromisoformat(d) for d in version.content["review_dates"]] if version else []
    for n, planned in enumerate(planned_reviews):
        steps.append(Step(f"Review {n + 1}", planned, None, held[n] if n < len(held) else None))
    for n in range(len(planned_reviews), len(held)):
        steps.append(Step(f"Review {n + 1}", None, None, held[n]))
    closure = progress["closure"]
    steps.append(
        Step(
            "Support ends",
            None,
            None,
            closure.closed_on if closure else None,
            closure.get_reason_display() if closure else "",
        )
    )
    return steps
