"""The case page's progress, as both staff and the doctor read it: ``progress.presenters.for_case`` with the
doctor's journey (``journeys.build``), the milestones as the journey tells them, and the exit feedback. The
case pages of the apps below ask for it through ``casework.seams`` (plugged in ``apps.py``)."""

from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.closure.models import ExitFeedback
from supportpath.closure.presenters import feedback_view
from supportpath.facilitation.models import OPEN_STATUSES, Allocation
from supportpath.progress import presenters as progress_presenters
from supportpath.progress import targets

from . import journeys


def for_case(case: Case) -> dict:
    """Context for the progress part of a case page, staff's and the doctor's alike."""
    # The needs assessment (both case pages show it, and ask for it after this) and the exit feedback are one a
    # case: read with the targets' first query rather than in a query each (or with the case itself, by a page
    # that asked for them with it: then the targets ask nothing more for them).
    progress = targets.load_one(case, along=("needs_assessment", "exit_feedback"))
    allocation = Allocation.objects.filter(case=case, status__in=OPEN_STATUSES).select_related("facilitator").first()
    feedback = _exit_feedback(case)
    journey = journeys.build(
        case.request, progress, allocation=allocation, feedback_given=feedback is not None, today=timezone.localdate()
    )
    return {
        **progress_presenters.for_case(case, progress),
        "milestones": journey.milestones,
        "exit_feedback": feedback,
        "feedback": feedback_view(feedback) if feedback else None,
        "journey": journey,
        "can_ask_for_another_time": journey.can_ask_for_another_time,
    }


def _exit_feedback(case: Case) -> ExitFeedback | None:
    try:
        return case.exit_feedback
    except ExitFeedback.DoesNotExist:
        return None


def timeline(case: Case, progress: dict) -> list[journeys.Step]:
    """Every step of the doctor's path for their case page (the pathway app's view asks for it by this name)."""
    return progress["journey"].steps
