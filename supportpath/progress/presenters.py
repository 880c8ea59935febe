"""What the case pages show of progress: for staff, the targets with their new dates and the corrections of
reviews; the work lists' rows. The doctor's journey and what they said at the end are added by
``supportpath/journey/presenters.py``."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.core.dates import long_date, long_datetime
from supportpath.core.written_out import records
from supportpath.facilitation.models import Allocation
from supportpath.scoring.gas import LEVEL_NAMES as GAS_LEVEL_NAMES

from . import targets
from .models import Pause, Reassessment, Review, ReviewVersion, Target


@dataclass
class TargetRow:
    """One target as staff see it on the case page."""

    ref: str
    kind: str
    what: str
    planned: dt.date
    new_date: dt.date | None
    reason: str
    history: list  # earlier new dates, oldest first
    done_on: dt.date | None
    state: str
    note: str = ""

    @property
    def tag(self) -> dict | None:
        return {
            "late": {"text": "Overdue: no new date yet", "classes": "nhsuk-tag--red"},
            "due_soon": {"text": "Due soon", "classes": "nhsuk-tag--yellow"},
            "done": {"text": "Done", "classes": "nhsuk-tag--green"},
            "not_needed": {"text": "Not needed", "classes": "nhsuk-tag--grey"},
            "arranged": {"text": "Arranged", "classes": "nhsuk-tag--blue"},
            "paused": {"text": "Paused", "classes": "nhsuk-tag--grey"},
        }.get(self.state)

    @property
    def can_move(self) -> bool:
        return self.state not in ("done", "not_needed")


def target_rows(progress: targets.CaseProgress, today: dt.date | None = None) -> list[TargetRow]:
    today = today or timezone.localdate()
    rows = []
    for t in progress.targets:
        note = ""
        if t.arranged_for:
            note = "Arranged for " + long_datetime(t.arranged_for)  # the one date format of every page
            if t.arranged_after_due:
                note += ": later than the target. Set a new date so the doctor sees why."
        if t.paused_days:
            days = f"{t.paused_days} working day{'s' if t.paused_days != 1 else ''}"
            note = (note + ". " if note else "") + f"Moved on {days} for a pause" + (" (so far)" if t.paused else "")
        rows.append(
            TargetRow(
                ref=t.ref,
                kind=t.kind,
                what=f"Milestone: {t.label}" if t.kind == Target.MILESTONE else t.label,
                planned=t.planned,
                new_date=t.due if (t.revised or t.paused_days) else None,
                reason=t.revised.reason if t.revised else "",
                history=t.revisions[:-1],
                done_on=t.done_on,
                state=t.state(today),
                note=note,
            )
        )
    return rows


@dataclass
class DateInForce:
    """A target's date as staff pages show it: the date in force (the newest new date, if staff have set one),
    and the original it replaced, so a page can say "was …"."""

    due: dt.date
    was: dt.date | None = None

    def __str__(self) -> str:
        return long_date(self.due) + (f" (was {long_date(self.was)})" if self.was else "")


def date_in_force(target: targets.TargetState | None) -> DateInForce | None:
    if target is None:
        return None
    return DateInForce(target.due, target.planned if target.due != target.planned else None)


@dataclass
class NextTarget:
    """The soonest target of a case still to happen, for the cases list."""

    what: str
    date: DateInForce
    late: bool


def next_target(progress: targets.CaseProgress, today: dt.date | None = None) -> NextTarget | None:
    today = today or timezone.localdate()
    still_to_come = progress.open_targets()
    if not still_to_come:
        return None
    soonest = min(still_to_come, key=lambda t: t.due)
    what = f"Milestone: {soonest.label}" if soonest.kind == Target.MILESTONE else soonest.label
    return NextTarget(what, date_in_force(soonest), soonest.state(today) == "late")


def new_dates_for_plan(progress: targets.CaseProgress) -> dict[tuple[str, object], dt.date]:
    """The new dates of the agreed plan in force, for ``plans.presenters.plan_view``: each moved milestone by
    its place in the plan, each moved review by its planned date."""
    moved: dict[tuple[str, object], dt.date] = {}
    for t in progress.targets:
        if t.revised is None and not t.paused_days:
            continue
        if t.kind == Target.MILESTONE:
            moved[("milestone", t.index)] = t.due
        elif t.kind == Target.REVIEW:
            moved[("review", t.planned)] = t.due
    return moved


def for_case(case: Case, progress: targets.CaseProgress) -> dict:
    """The progress part of a case page, staff's and the doctor's alike (``journey.presenters.for_case`` adds
    the doctor's journey, the milestones as it tells them, and the exit feedback)."""
    return {
        "conversation": progress.conversation,  # the initial conversation, as the loader read it (no second query)
        "agreed_version": progress.agreed_version,
        "reviews": progress.reviews,
        "targets": target_rows(progress),
        "reassessments": records(Reassessment, "case_id IN ({ids})", [case.pk], order_by="held_on, id"),
        "pause": progress.pause,
        "pauses": progress.pauses,
        "closure": progress.closure,
        "conversation_due": date_in_force(progress.target(Target.INITIAL_CONVERSATION)),
        "plan_agreed_due": date_in_force(progress.target(Target.PLAN_AGREED)),
    }


@dataclass
class SupportedRow:
    """A doctor in their facilitator's work list: the case, the next review, the next target of any kind, and
    every target overdue (its date in force passed, not paused, no new date yet)."""

    allocation: Allocation
    next: NextTarget | None
    next_review: targets.TargetState | None
    overdue: list[tuple[str, dt.date]]
    last_session: dt.date | None
    paused: bool
    # From the appointments booked ahead (annotated on the allocation by the list's query).
    next_session_at: dt.datetime | None = None
    next_review_at: dt.datetime | None = None
    unrecorded_at: dt.datetime | None = None  # an appointment begun with nothing recorded of what happened


def _what(target: targets.TargetState) -> str:
    return f"Milestone: {target.label}" if target.kind == Target.MILESTONE else target.label


def supported_row(allocation: Allocation, progress: targets.CaseProgress, today: dt.date | None = None) -> SupportedRow:
    today = today or timezone.localdate()
    still_open = sorted(progress.open_targets(), key=lambda t: t.due)
    reviews = [t for t in still_open if t.kind == Target.REVIEW]
    return SupportedRow(
        allocation=allocation,
        next=next_target(progress, today),
        next_review=reviews[0] if reviews else None,
        overdue=[(_what(t), t.due) for t in still_open if t.state(today) == "late"],
        last_session=getattr(allocation, "last_session", None),
        paused=progress.pause is not None,
        next_session_at=getattr(allocation, "next_session_at", None),
        next_review_at=getattr(allocation, "next_review_at", None),
        unrecorded_at=getattr(allocation, "unrecorded_at", None),
    )


def _level_words(level: int) -> str:
    return f"{level:+d} ({GAS_LEVEL_NAMES.get(level, '').lower()})" if level else f"0 ({GAS_LEVEL_NAMES[0].lower()})"


def _review_changes(before, after) -> list[tuple[str, str, str]]:
    changes = []
    if before.held_on != after.held_on:
        changes.append(("Date", long_date(before.held_on), long_date(after.held_on)))
    for index, (old, new) in enumerate(zip(before.scores, after.scores, strict=False)):
        if old["level"] != new["level"]:
            changes.append((f"Goal {index + 1}: {new['goal']}", _level_words(old["level"]), _level_words(new["level"])))
    if before.t_score != after.t_score:
        changes.append(("Goal-attainment score", f"{before.t_score:.1f}", f"{after.t_score:.1f}"))
    if before.notes != after.notes:
        changes.append(("Notes for the doctor", before.notes or "(nothing)", after.notes or "(nothing)"))
    return changes


def review_corrections(reviews: list[Review]) -> dict[int, list[dict]]:
    """What each correction of each review changed, oldest first, by review, for the staff's case page (one
    query): {"number", "corrected_at", "corrected_by", "changes": [(label, before, after), ...]}."""
    by_review: dict[int, list[ReviewVersion]] = {}
    for version in ReviewVersion.objects.filter(review__in=[r.pk for r in reviews]).select_related("corrected_by"):
        by_review.setdefault(version.review_id, []).append(version)
    found = {}
    for review in reviews:
        versions = by_review.get(review.pk, [])
        found[review.pk] = [
            {
                "number": version.number,
                "corrected_at": version.corrected_at,
                "corrected_by": version.corrected_by.full_name,
                "changes": _review_changes(version, versions[i + 1] if i + 1 < len(versions) else review),
            }
            for i, version in enumerate(versions)
        ]
    return found


def work_list_rows(cases: list[Case], today: dt.date) -> list[tuple[Case, NextTarget | None, bool]]:
    """The accepted cases list's rows: every case's targets in one batch, so the list shows each date in force
    (a new date, not the planned one), and whether the case is paused.

    A case whose closure is recorded has no target still to come (every one not done ended with it), so a case
    read with ``closure_recorded`` (the closed list's, ``worklist.filter_cases``) needs only whether a pause is
    still open, one query for the page, rather than its targets: those would read (and decrypt) its plan only
    to find nothing due."""
    ended = {case.pk for case in cases if getattr(case, "closure_recorded", None) is not None}
    paused: set[int] = set()
    if ended:
        paused = set(Pause.objects.filter(case_id__in=ended, ended_on__isnull=True).values_list("case_id", flat=True))
    loaded = targets.load([case for case in cases if case.pk not in ended], full_reviews=False)
    rows: list[tuple[Case, NextTarget | None, bool]] = []
    for case in cases:
        if case.pk not in loaded:
            rows.append((case, None, case.pk in paused))
        else:
            progress = loaded[case.pk]
            rows.append((case, next_target(progress, today), progress.pause is not None))
    return rows


def supported_rows(allocations: list[Allocation], today: dt.date) -> list[SupportedRow]:
    """A facilitator's accepted allocations with each case's next target, every case's targets in one batch."""
    loaded = targets.load([a.case for a in allocations], full_reviews=False)
    return [supported_row(a, loaded[a.case_id], today) for a in allocations]


def plan_dates_in_force(case: Case, version) -> dict[tuple[str, object], dt.date]:
    """The new dates staff set on the agreed plan in force, for the plan page's "was …"."""
    return new_dates_for_plan(targets.plan_in_force(case, version))
