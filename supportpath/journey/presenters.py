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
    progress = targets.load_one(case)
    allocation = Allocation.objects.filter(case=case, status__in=OPEN_STATUSES).select_related("facilitator").first()
    feedback = ExitFeedback.objects.filter(case=case).first()
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


def timeline(case: Case, progress: dict) -> list[journeys.Step]:
    """Every step of the doctor's path for their case page (the pathway app's view asks for it by this name)."""
    return progress["journey"].steps
