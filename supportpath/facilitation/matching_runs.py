"""The waiting list's allocation, worked out in the background and kept until something changes it.

The page reads the stored proposal (``ProposedMatch``) with the waiting cases, a page at a time; it never runs
the solver. Signals (``signals.py``) move the service's ``MatchingRun.generation`` on whenever a change can
alter the allocation; the next view of the page then queues one run (``recompute_waiting_list``), which works
out the whole service's allocation and replaces the stored one. Until it has run, the page shows the last
proposal with a plain word that a newer one is being worked out; every pair is checked again when confirmed.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import matching, pool
from .models import MatchingRun, ProposedMatch


def changed(service_ids) -> None:
    """Something that can alter these services' allocations has changed: their stored proposals are old."""
    if service_ids:
        changed_where(service_id__in=list(service_ids))


def changed_where(**service) -> None:
    MatchingRun.objects.filter(**service).update(generation=F("generation") + 1)


def run_for(service_id: int) -> MatchingRun:
    """The service's run, queuing a new one if what is stored is older than the latest change."""
    run, _ = MatchingRun.objects.get_or_create(service_id=service_id)
    if not run.is_current and run.queued_generation != run.generation:
        # One run per change however many people open the page: only the view that moves queued_generation on
        # queues it.
        queued = MatchingRun.objects.filter(pk=run.pk).exclude(queued_generation=run.generation)
        if queued.update(queued_generation=run.generation):
            recompute_waiting_list.enqueue(service_id=service_id)
            run.refresh_from_db()  # a worker that runs tasks at once (tests, the demo) has finished already
    return run


@task()
def recompute_waiting_list(service_id: int) -> int:
    """Work out the allocation of the service's whole waiting list and store it; returns the cases placed."""
    generation = MatchingRun.objects.filter(service_id=service_id).values_list("generation", flat=True).first()
    if generation is None:
        return 0
    cases = pool.waiting_cases([service_id])
    facilitators = [plain for _, plain in pool.facilitator_pool(service_id)]
    needs = pool.case_needs(cases)
    chosen = matching.allocate(needs, facilitators)
    by_id = {f.id: f for f in facilitators}
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(service_id=service_id)
        if run.computed_generation is not None and run.computed_generation >= generation:
            return 0  # a later run has stored a newer allocation already
        ProposedMatch.objects.filter(run=run).delete()
        # A case that left the service's list since (closed, or moved) is not proposed; its own row goes too.
        ProposedMatch.objects.filter(case__in=[c.pk for c in cases]).delete()
        rows = []
        for need in needs:
            fid = chosen[need.id]
            fit = matching.fit(need, by_id[fid]) if fid else None
            rows.append(
                ProposedMatch(
                    run=run,
                    case_id=need.id,
                    facilitator_id=fid,
                    score=fit.score if fit else None,
                    needs_met=list(fit.needs_met) if fit else [],
                    preferences_met=list(fit.preferences_met) if fit else [],
                    continuity=bool(fit and fit.continuity),
                    load=fit.load if fit else 0,
                )
            )
        ProposedMatch.objects.bulk_create(rows, batch_size=1000)
        run.computed_generation = generation
        run.computed_at = timezone.now()
        run.save(update_fields=["computed_generation", "computed_at"])
    return sum(fid is not None for fid in chosen.values())


# A stored match's fit, as read with the waiting list's rows (``services.WAITING_ROW_COLUMNS``).
MATCH_COLUMNS = (
    "proposed_match__facilitator_id",
    "proposed_match__score",
    "proposed_match__needs_met",
    "proposed_match__preferences_met",
    "proposed_match__continuity",
    "proposed_match__load",
)


def fit_of(facilitator_id, score, needs_met, preferences_met, continuity, load) -> matching.Fit | None:
    """The fit of a stored match (``MATCH_COLUMNS``), or None when nobody was free for the case."""
    if facilitator_id is None:
        return None
    return matching.Fit(
        score=score or 0.0,
        needs_met=tuple(needs_met),
        preferences_met=tuple(preferences_met),
        continuity=continuity,
        load=load,
    )
