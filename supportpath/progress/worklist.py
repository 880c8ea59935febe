"""The dates the work lists sort and filter by, kept on each case (``Case.next_due`` and ``Case.late_from``).

A target's date in force comes from the plan, new dates, reviews, milestones done and pauses (``targets``), so
no database query can work it out; a list of 200,000 cases cannot load them all either. So every change to
what decides a case's dates works the two dates out again for that case (the signals below), and the daily
checks do it for every open case as they read them anyway (a pause moves dates on each working day, and an
arranged first conversation counts as held once its time has passed). The case page and the rows shown still
work out every target afresh; the stored dates only choose and order the rows.

Within a request, the signals only note which cases changed: ``RefreshWorkListsOnce`` (middleware) works their
dates out once, after the view has returned and its transactions have committed, however many rows the view
saved (a review saves several; closing a case saves its closure, its case and its pause). Outside a request
(the daily checks, the demo, a shell) each change refreshes its case at once, as before.
"""

import contextvars
import datetime as dt

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save

from supportpath.casework.models import Case, Stage

from . import targets
from .models import Closure, MilestoneDone, Pause, Review, RevisedDate


def dates_of(progress: targets.CaseProgress) -> tuple[dt.date | None, dt.date | None]:
    """(next due, late from): the soonest date in force of the case's open targets, and the soonest of those
    that become late when it passes (one paused, or a first conversation arranged, is not late)."""
    still_open = progress.open_targets()
    next_due = min((t.due for t in still_open), default=None)
    late_from = min((t.due for t in still_open if not t.paused and t.arranged_for is None), default=None)
    return next_due, late_from


def store(loaded: dict[int, targets.CaseProgress]) -> int:
    """Store the dates of cases already loaded where they changed; the number of cases changed."""
    changed = 0
    for progress in loaded.values():
        case = progress.case
        next_due, late_from = dates_of(progress)
        if (case.next_due, case.late_from) != (next_due, late_from):
            Case.objects.filter(pk=case.pk).update(next_due=next_due, late_from=late_from)
            case.next_due, case.late_from = next_due, late_from
            changed += 1
    return changed


def refresh(case_ids) -> int:
    """Work the dates of these cases out again and store them."""
    cases = list(Case.objects.filter(pk__in=list(case_ids)))
    return store(targets.load(cases, full_reviews=False)) if cases else 0


# Soonest date due first; cases with nothing due last; the id keeps rows in the same order from page to page.
BY_NEXT_DUE = (F("next_due").asc(nulls_last=True), "id")


def paused_now():
    return Exists(Pause.objects.filter(case=OuterRef("pk"), ended_on__isnull=True))


def filter_cases(cases: QuerySet[Case], filters: dict, *, user, today: dt.date) -> QuerySet[Case]:
    """The accepted cases list: ``filters`` from ``casework.forms.CaseListFilterForm``. Open cases by the next
    date due; closed cases apart, most recently opened first, each with its closure's id if one is recorded
    (``closure_recorded``, for ``presenters.work_list_rows``: a join on the closure's unique case, where an
    ``Exists`` was planned as a scan of every closure)."""
    if filters.get("whose") != "all":
        cases = cases.filter(case_manager=user)
    if filters.get("show") == "closed":
        return (
            cases.filter(stage=Stage.CLOSED).annotate(closure_recorded=F("closure__id")).order_by("-opened_at", "-id")
        )
    cases = cases.exclude(stage=Stage.CLOSED)
    if filters.get("stage"):
        cases = cases.filter(stage=filters["stage"])
    if filters.get("facilitator") == "none":
        cases = cases.filter(facilitator__isnull=True)
    elif filters.get("facilitator"):
        cases = cases.filter(facilitator_id=int(filters["facilitator"]))
    if filters.get("urgent"):
        cases = cases.filter(request__urgent=True, request__urgent_dealt_with_on__isnull=True)
    if filters.get("overdue"):
        cases = cases.filter(late_from__lt=today)
    if filters.get("paused"):
        cases = cases.filter(paused_now())
    return cases.order_by(*BY_NEXT_DUE)


# The cases changed during the current request, or None outside a request (refresh at once).
_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("worklist_pending", default=None)


def _changed(case_ids) -> None:
    pending = _pending.get()
    if pending is None:
        refresh(case_ids)
    else:
        pending.update(case_ids)


class RefreshWorkListsOnce:
    """Middleware: the work-list dates of every case the request changed, worked out once at its end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pending.set(set())
        try:
            return self.get_response(request)
        finally:
            changed = _pending.get()
            _pending.reset(token)
            if changed:
                refresh(changed)


def _case_saved(sender, instance, created=False, **kwargs) -> None:
    if created:
        _changed([instance.pk])


def _changed_through_case(sender, instance, **kwargs) -> None:
    _changed([instance.case_id])


def _plan_changed(sender, instance, **kwargs) -> None:
    _changed(Case.objects.filter(support_plan__pk=instance.plan_id).values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_case_saved, sender=Case, dispatch_uid="worklist_case")
    for signal in (post_save, post_delete):
        for model in (Review, MilestoneDone, RevisedDate, Closure, Pause):
            signal.connect(_changed_through_case, sender=model, dispatch_uid=f"worklist_{model.__name__}")
        for label in ("pathway.InitialConversation", "pathway.NeedsAssessment"):
            signal.connect(_changed_through_case, sender=label, dispatch_uid=f"worklist_{label}")
        signal.connect(_plan_changed, sender="plans.PlanVersion", dispatch_uid="worklist_plan")
