"""The dated targets of a case, and where each one stands: planned, moved (with the reason the doctor was
given), done, late, or no longer needed because support ended.

One loader serves the staff case page, the doctor's pages and the daily checks, so that all three tell the
same story. It reads any number of cases in a fixed number of queries.

A target is named by its kind, its planned date and, for a milestone, its words (milestone words are the
doctor's plan, so they are stored encrypted and matched here, in Python). A review is matched to the plan's
review dates in order: the first review held is the first review date's.

A pause (sick leave, exams) moves every open target that was set before it began and falls due after it began
by the working days it lasted (so far, while it lasts); while it lasts those targets are "paused", and nobody is
told that they are late. A date a case manager sets after a pause began is already chosen with it in mind, so
that pause does not move it again.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Model
from django.db.models.base import ModelState
from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.core.working_days import add_working_days, working_days_between
from supportpath.core.written_out import aware, database_for, records, rows
from supportpath.pathway.models import InitialConversation
from supportpath.plans.models import PlanVersion, VersionStatus

from .models import Closure, MilestoneDone, Pause, Review, RevisedDate, Target

DUE_SOON_DAYS = 7

M = TypeVar("M", bound=Model)

# The records a case has one of that ``load`` reads with every case's targets: a page may read them with the case
# (``casework.access``'s ``along``), and ``load`` then reads nothing more for them.
ONE_A_CASE = ("initial_conversation", "closure", "needs_assessment")


@dataclass
class TargetState:
    kind: str  # a Target value
    label: str  # for people: "First conversation", the milestone's own words, "Review 2"
    planned: dt.date
    revisions: list[RevisedDate] = field(default_factory=list)  # oldest first
    done_on: dt.date | None = None
    index: int | None = None  # the milestone's or review date's position in the agreed plan
    ended: bool = False  # support ended before it happened
    arranged_for: dt.datetime | None = None  # a first conversation arranged and still to come
    paused_days: int = 0  # working days the date moved for pauses of the case
    paused: bool = False  # a pause that moves it is still going on

    @property
    def match_label(self) -> str:
        return self.label if self.kind == Target.MILESTONE else ""

    @property
    def revised(self) -> RevisedDate | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def set_due(self) -> dt.date:
        """The latest new date, or the planned one, before any pause moved it."""
        return self.revised.new_due if self.revised else self.planned

    @property
    def due(self) -> dt.date:
        """The date in force: the latest new date, or the planned one, moved on by any pause."""
        if self.paused_days:
            return add_working_days(self.set_due, self.paused_days)
        return self.set_due

    @property
    def ref(self) -> str:
        """An opaque name for forms and links (never the milestone's words)."""
        return self.kind if self.index is None else f"{self.kind}-{self.index}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None and not self.ended

    @property
    def arranged_after_due(self) -> bool:
        return self.arranged_for is not None and timezone.localdate(self.arranged_for) > self.due

    def state(self, today: dt.date | None = None) -> str:
        """done, not_needed, paused, arranged, late, due_soon or upcoming."""
        today = today or timezone.localdate()
        if self.done_on:
            return "done"
        if self.ended:
            return "not_needed"
        if self.paused:
            return "paused"
        if self.arranged_for:
            return "arranged"
        if self.due < today:
            return "late"
        if self.due <= today + dt.timedelta(days=DUE_SOON_DAYS):
            return "due_soon"
        return "upcoming"

    def identity(self) -> tuple[str, str, dt.date]:
        return (self.kind, self.match_label, self.planned)


@dataclass
class CaseProgress:
    case: Case
    conversation: InitialConversation | None = None
    assessment_on: dt.date | None = None
    versions: list[PlanVersion] = field(default_factory=list)  # newest first, without their content
    agreed_version: PlanVersion | None = None  # the plan in force, with its content
    first_agreed_on: dt.date | None = None
    reviews: list[Review] = field(default_factory=list)  # held, oldest first
    closure: Closure | None = None
    pauses: list[Pause] = field(default_factory=list)  # oldest first
    targets: list[TargetState] = field(default_factory=list)

    @property
    def pause(self) -> Pause | None:
        """The pause going on now, if any."""
        return next((p for p in self.pauses if p.ended_on is None), None)

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.versions[0] if self.versions else None

    def of_kind(self, kind: str) -> list[TargetState]:
        return [t for t in self.targets if t.kind == kind]

    def target(self, kind: str) -> TargetState | None:
        found = self.of_kind(kind)
        return found[0] if found else None

    def find(self, ref: str) -> TargetState | None:
        return next((t for t in self.targets if t.ref == ref), None)

    def open_targets(self) -> list[TargetState]:
        return [t for t in self.targets if t.is_open]


def load(cases: list[Case], *, full_reviews: bool = True, along: tuple[str, ...] = ()) -> dict[int, CaseProgress]:
    """Every target of every case in ``cases``, in six queries however many cases, plans and reviews (a list's,
    ``full_reviews`` False, also in six, reading only the dates). All but the first are written out
    (``core.written_out``): the plan's versions and the milestones done as a list reads them, the reviews, new
    dates and pauses whole (``records``), as the case page shows them.

    ``along`` names other records the case has one of (its relations, such as "needs_assessment"), for a page
    that shows them too: they are read whole in the first query, with the targets' own, and kept on each case
    (``case.needs_assessment`` then asks nothing more), rather than in a query each. Cases read with all of
    ``ONE_A_CASE`` and ``along`` already (``select_related``) need no first query: five in all."""
    ids = [c.pk for c in cases]
    found = {c.pk: CaseProgress(case=c) for c in cases}
    if not ids:
        return found
    if not full_reviews:
        return _load_for_list(found)

    if all(_holds(case, (*ONE_A_CASE, *along)) for case in cases):
        # A page that read them with the case itself (``casework.access``'s ``along``) asks nothing more here.
        for progress in found.values():
            assessment = getattr(progress.case, "needs_assessment", None)
            progress.assessment_on = assessment.conversation_held_on if assessment else None
            progress.conversation = getattr(progress.case, "initial_conversation", None)
            progress.closure = getattr(progress.case, "closure", None)
    else:
        _load_one_a_case(found, along)
    # The plan's versions and the milestones done as a list reads them (written out, below): every version
    # without its words but the plan in force, which the targets are made from. The reviews, new dates and
    # pauses whole, as the page shows them (their scores and notes, the reasons given), and read as rows too.
    db = database_for(Case)
    _read_versions(found, db)
    for review in records(Review, "case_id IN ({ids})", ids, order_by="held_on, id"):
        found[review.case_id].reviews.append(review)
    done = _read_done(db, ids)
    revisions: dict[int, list[RevisedDate]] = defaultdict(list)
    for revision in records(RevisedDate, "case_id IN ({ids})", ids, order_by="noticed_at, id"):
        revisions[revision.case_id].append(revision)
    for pause in records(Pause, "case_id IN ({ids})", ids, order_by="started_on, id"):
        found[pause.case_id].pauses.append(pause)
    for case_id, progress in found.items():
        progress.targets = _targets(progress, done[case_id], revisions[case_id])
    return found


def _holds(case: Case, names: tuple[str, ...]) -> bool:
    """Whether ``case`` was read with its records ``names`` (each one a case), even where it has none."""
    return all(Case._meta.get_field(name).is_cached(case) for name in names)


def _load_one_a_case(found: dict[int, CaseProgress], along: tuple[str, ...]) -> None:
    """The first conversation, the needs assessment's date and the closure (each is one a case), and the records
    ``along`` names, in one query. It reads the case's own few columns too: naming every other column to leave
    them out costs more Python."""
    for row in (
        Case.objects.filter(pk__in=list(found))
        .select_related("initial_conversation", "closure", *along)
        .annotate(assessment_on=F("needs_assessment__conversation_held_on"))
    ):
        progress = found[row.pk]
        progress.assessment_on = row.assessment_on
        progress.conversation = _one_of(row, "initial_conversation", progress.case)
        progress.closure = _one_of(row, "closure", progress.case)
        for name in along:
            Case._meta.get_field(name).set_cached_value(progress.case, _one_of(row, name, progress.case))


def _one_of(row: Case, name: str, case: Case) -> Any:
    """The case's record ``name`` read with ``row`` (or None), pointing back to the case itself."""
    record = getattr(row, name, None)
    if record is not None:
        record.case = case
    return record


def _note_agreed_on(progress: CaseProgress, agreed_at: dt.datetime | None) -> None:
    if agreed_at:
        agreed_on = timezone.localdate(agreed_at)
        if progress.first_agreed_on is None or agreed_on < progress.first_agreed_on:
            progress.first_agreed_on = agreed_on


def _partial(model: type[M], fields: tuple[str, ...], values) -> M:
    """An instance of ``model`` holding ``fields`` (attribute names) and deferring the rest, as ``.only()`` would
    make it, from a row read as a tuple (which costs far less than a queryset of instances). It is built as
    ``Model.from_db`` builds one, without ``Model.__init__``'s walk over every field of the model (a tenth of the
    Python calls; that walk also sends ``pre_init`` and ``post_init``, which nothing here listens to)."""
    record = model.__new__(model)
    record._state = ModelState()
    record._state.adding = False
    record._state.db = DEFAULT_DB_ALIAS
    record.__dict__.update(zip(fields, values, strict=True))
    return record


_CONVERSATION = ("id", "case_id", "scheduled_for", "doctor_asked_for_another_time")
_CLOSURE = ("id", "case_id")
_VERSION = ("id", "plan_id", "number", "status", "agreed_at", "content")
_REVIEW = ("id", "case_id", "held_on")
_REVISION = ("id", "case_id", "target", "label", "original_due", "new_due", "noticed_at")
_PAUSE = ("id", "case_id", "started_on", "ended_on")

# A list's six queries, written out (``core.written_out``): each reads a few columns of one small table (or a
# case's one-of-each) by case, and building them with the ORM cost far more than running them. {ids}: the cases'.
_LIST_CASES_SQL = """
SELECT c.id, ic.id, ic.scheduled_for, ic.doctor_asked_for_another_time, na.conversation_held_on, cl.id
FROM casework_case c
LEFT JOIN pathway_initialconversation ic ON ic.case_id = c.id
LEFT JOIN pathway_needsassessment na ON na.case_id = c.id
LEFT JOIN progress_closure cl ON cl.case_id = c.id
WHERE c.id IN ({ids})"""
# Only the agreed versions' content: an earlier version's words are neither read nor decrypted.
_LIST_VERSIONS_SQL = """
SELECT p.case_id, v.id, v.plan_id, v.number, v.status, v.agreed_at, CASE WHEN v.status = %s THEN v.content END
FROM plans_planversion v INNER JOIN plans_supportplan p ON p.id = v.plan_id
WHERE p.case_id IN ({ids}) ORDER BY v.number DESC"""
_LIST_REVIEWS_SQL = "SELECT id, case_id, held_on FROM progress_review WHERE case_id IN ({ids}) ORDER BY held_on, id"
_LIST_DONE_SQL = "SELECT case_id, text, due, done_on FROM progress_milestonedone WHERE case_id IN ({ids})"
_LIST_REVISIONS_SQL = """
SELECT id, case_id, target, label, original_due, new_due, noticed_at
FROM progress_reviseddate WHERE case_id IN ({ids}) ORDER BY noticed_at, id"""
_LIST_PAUSES_SQL = """
SELECT id, case_id, started_on, ended_on FROM progress_pause WHERE case_id IN ({ids}) ORDER BY started_on, id"""


def _decrypted(db: BaseDatabaseWrapper, model: type[Model], name: str, value: Any) -> Any:
    """An encrypted column's value as its field reads it (decrypted, and decoded for JSON)."""
    return model._meta.get_field(name).from_db_value(value, None, db)  # type: ignore[union-attr]


def _load_for_list(found: dict[int, CaseProgress]) -> dict[int, CaseProgress]:
    """A list's load: only the dates (none of the words that go with a closure, a pause, a new date's reason or
    the doctor's comment on the plan, so it decrypts none of them: docs/scale.md), read as rows rather than
    instances, in six queries whatever the cases hold (so a list's count does not depend on its rows): each
    case's first conversation, needs assessment and closure in one (each is one a case); every plan version in
    one, with the content of the agreed ones only; then reviews, milestones done, new dates and pauses (the
    queries written out above, each value converted and decrypted as its field would). Its records hold only the
    fields read, as ``.only()`` would leave them."""
    ids = list(found)
    db = database_for(Case)
    for case_id, conversation_id, scheduled_for, asked_again, held_on, closure_id in rows(db, _LIST_CASES_SQL, ids):
        progress = found[case_id]
        if conversation_id is not None:
            progress.conversation = _partial(
                InitialConversation,
                _CONVERSATION,
                (conversation_id, case_id, aware(db, scheduled_for), bool(asked_again)),
            )
        progress.assessment_on = held_on
        if closure_id is not None:
            progress.closure = _partial(Closure, _CLOSURE, (closure_id, case_id))
    _read_versions(found, db)
    for values in rows(db, _LIST_REVIEWS_SQL, ids):
        found[values[1]].reviews.append(_partial(Review, _REVIEW, values))
    done = _read_done(db, ids)
    revisions: dict[int, list[RevisedDate]] = defaultdict(list)
    for id_, case_id, target, label, original_due, new_due, noticed_at in rows(db, _LIST_REVISIONS_SQL, ids):
        values = (id_, case_id, target, _decrypted(db, RevisedDate, "label", label), original_due, new_due)
        revisions[case_id].append(_partial(RevisedDate, _REVISION, (*values, aware(db, noticed_at))))
    for values in rows(db, _LIST_PAUSES_SQL, ids):
        found[values[1]].pauses.append(_partial(Pause, _PAUSE, values))
    for case_id, progress in found.items():
        progress.targets = _targets(progress, done[case_id], revisions[case_id])
    return found


def _read_versions(found: dict[int, CaseProgress], db: BaseDatabaseWrapper) -> None:
    """Every plan version of the cases, newest first, holding its number, status and time agreed; the plan in
    force (the newest agreed) with its content, decrypted, and no other version's words."""
    first_agreed_at: dict[int, dt.datetime] = {}
    for case_id, *values, content in rows(db, _LIST_VERSIONS_SQL, list(found), VersionStatus.AGREED):
        progress = found[case_id]
        values[4] = agreed_at = aware(db, values[4])
        if agreed_at and (case_id not in first_agreed_at or agreed_at < first_agreed_at[case_id]):
            first_agreed_at[case_id] = agreed_at
        in_force = values[3] == VersionStatus.AGREED and progress.agreed_version is None
        # Only the plan in force keeps its content; an earlier one's is left deferred, as a queryset's would be.
        if in_force:
            version = _partial(PlanVersion, _VERSION, (*values, _decrypted(db, PlanVersion, "content", content)))
        else:
            version = _partial(PlanVersion, _VERSION[:-1], values)
        progress.versions.append(version)
        if in_force:
            progress.agreed_version = version
    for case_id, agreed_at in first_agreed_at.items():  # the earliest time's day is the earliest day
        found[case_id].first_agreed_on = timezone.localdate(agreed_at)


def _read_done(db: BaseDatabaseWrapper, ids: list[int]) -> dict[int, dict]:
    """The milestones done, by case: {(the milestone's words, its date): the day it was done}."""
    done: dict[int, dict] = defaultdict(dict)
    for case_id, text, due, done_on in rows(db, _LIST_DONE_SQL, ids):
        done[case_id][(_decrypted(db, MilestoneDone, "text", text), due)] = done_on
    return done


def load_one(case: Case, *, along: tuple[str, ...] = ()) -> CaseProgress:
    return load([case], along=along)[case.pk]


def plan_in_force(case: Case, version: PlanVersion) -> CaseProgress:
    """The targets of ``version``, the agreed plan in force, with any new dates staff have set, in one query
    (the new dates): for a page that shows the plan, not where each target stands."""
    progress = CaseProgress(case=case, agreed_version=version)
    revisions = list(RevisedDate.objects.filter(case=case).order_by("noticed_at", "id"))
    progress.pauses = list(Pause.objects.filter(case=case).order_by("started_on", "id"))
    progress.targets = _targets(progress, {}, revisions)
    return progress


def _targets(progress: CaseProgress, done: dict, revisions: list[RevisedDate]) -> list[TargetState]:
    case = progress.case
    conversation = progress.conversation
    conversation_done = progress.assessment_on
    arranged_for = None
    if conversation is not None and not conversation_done and not conversation.doctor_asked_for_another_time:
        if conversation.has_happened:
            conversation_done = timezone.localdate(conversation.scheduled_for)
        else:
            arranged_for = conversation.scheduled_for
    targets = [
        TargetState(
            Target.INITIAL_CONVERSATION,
            Target.INITIAL_CONVERSATION.label,
            case.initial_conversation_due,
            done_on=conversation_done,
            arranged_for=arranged_for,
        ),
        TargetState(
            Target.PLAN_AGREED, Target.PLAN_AGREED.label, case.plan_agreed_due, done_on=progress.first_agreed_on
        ),
    ]
    version = progress.agreed_version
    if version is not None:
        for index, m in enumerate(version.content["milestones"]):
            due = dt.date.fromisoformat(m["due"])
            targets.append(
                TargetState(Target.MILESTONE, m["text"], due, done_on=done.get((m["text"], due)), index=index)
            )
        held = [r.held_on for r in progress.reviews]
        for index, day in enumerate(sorted(version.content["review_dates"])):
            targets.append(
                TargetState(
                    Target.REVIEW,
                    f"Review {index + 1}",
                    dt.date.fromisoformat(day),
                    done_on=held[index] if index < len(held) else None,
                    index=index,
                )
            )
    by_identity: dict[tuple, list[RevisedDate]] = defaultdict(list)
    for r in revisions:
        by_identity[(r.target, r.label if r.target == Target.MILESTONE else "", r.original_due)].append(r)
    for target in targets:
        target.revisions = by_identity.get(target.identity(), [])
        if progress.closure is not None and target.done_on is None:
            target.ended = True
            target.arranged_for = None
        elif target.done_on is None and progress.pauses:
            _apply_pauses(target, progress)
    return targets


def _set_on(target: TargetState, progress: CaseProgress) -> dt.date:
    """The day the target's date was set: a new date when it was recorded, the plan's dates when it was agreed,
    the service's timeline when the case opened."""
    if target.revised is not None:
        return timezone.localdate(target.revised.noticed_at)
    version = progress.agreed_version
    if target.kind in (Target.MILESTONE, Target.REVIEW) and version is not None and version.agreed_at:
        return timezone.localdate(version.agreed_at)
    return timezone.localdate(progress.case.opened_at)


def paused_working_days(pause: Pause, today: dt.date | None = None) -> int:
    """The working days a pause has lasted: to its end, or to today while it goes on."""
    end = pause.ended_on or today or timezone.localdate()
    return max(working_days_between(pause.started_on, end), 0)


def _apply_pauses(target: TargetState, progress: CaseProgress) -> None:
    set_on, due = _set_on(target, progress), target.set_due
    for pause in progress.pauses:
        if set_on <= pause.started_on <= due:
            target.paused_days += paused_working_days(pause)
            if pause.ended_on is None:
                target.paused = True
