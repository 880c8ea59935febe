"""The wall between support and performance, and the one way anyone outside the support team is shown
anything about a doctor's support.

Every page for a referrer, a responsible officer or an employer calls ``disclose`` (or ``referrer_status``),
which shows an item only when the sharing agreement grants it to that audience, and keeps well-being and
peer-support content behind the wall unless the doctor has shared *that* item (``Item.WELLBEING``) too:
sharing "support you will get", "session summaries" or "what the support is for" never carries it.

What counts as well-being or peer-support content:
- support in the plan of the types below (psychological and well-being support, peer groups);
- session summaries written by a well-being practitioner. A summary counts as ordinary only when its author
  has a facilitator profile with the service in another role: an author we cannot place stays behind the wall;
- the reasons below (mental health or well-being).

What is never shown to anyone outside the support team, whatever is shared: the doctor's own words about why
they asked, the referrer's description, needs assessments, private notes, agreed actions, review notes and the
doctor's reflections, answers to single questions of a questionnaire, check-ins and safety alerts (questionnaire
scores are shown only with ``Item.MEASURES``), where a handed-over request went (it can name a health
service), and the words of "something else" as a reason. Review outcomes are shown as the date and the overall
goal-attainment score only, so they carry no well-being content; attendance is numbers only, across all sessions,
with no type.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from supportpath.casework.models import Case, Stage
from supportpath.core.dates import long_date
from supportpath.facilitation.models import FacilitatorProfile, FacilitatorRole
from supportpath.measures import presenters as measure_presenters
from supportpath.measures.models import Response as MeasureResponse
from supportpath.measures.models import ResponseStatus
from supportpath.pathway.models import Attendance, SupportSession
from supportpath.plans.models import InterventionType, PlanVersion, VersionStatus
from supportpath.progress.models import Review
from supportpath.referrals.models import Reason, Status, SupportRequest

from . import agreement
from .choices import ITEM_TITLES, Audience, Grant, Item

WELLBEING_INTERVENTION_TYPES = frozenset({InterventionType.WELLBEING, InterventionType.PEER_GROUP})
WELLBEING_REASONS = frozenset({Reason.MENTAL_HEALTH})
WELLBEING_FACILITATOR_ROLES = frozenset({FacilitatorRole.WELLBEING_PRACTITIONER})

# Reasons as someone else reads them (the doctor's own labels are in the first person).
AUDIENCE_REASON_LABELS = {
    Reason.MENTAL_HEALTH: "Mental health or well-being",
    Reason.CAREER: "Career advice or planning",
    Reason.RETURN_TO_WORK: "Returning to work or training after time away",
    Reason.EXAMINATIONS: "Exams",
    Reason.PERFORMANCE: "Concerns about work or progress",
    Reason.CONFIDENCE: "Assertiveness and confidence",
    Reason.BULLYING: "Difficult relationships at work, bullying or harassment",
    Reason.OTHER: "Something else",
}
ENDED = "Closed"


def is_wellbeing_intervention(intervention: dict) -> bool:
    return intervention.get("type") in WELLBEING_INTERVENTION_TYPES


def is_wellbeing_reason(code: str) -> bool:
    return code in WELLBEING_REASONS


@dataclass(frozen=True)
class Shown:
    """One granted item as its audience sees it: plain lines of text (templates escape them)."""

    item: str
    title: str
    lines: list[str] = field(default_factory=list)
    fixed: bool = False  # the minimum a formal process requires


def _case(request: SupportRequest) -> Case | None:
    try:
        return request.case
    except Case.DoesNotExist:
        return None


def has_ended(request: SupportRequest, case: Case | None) -> bool:
    return request.status in (Status.CLOSED, Status.HANDED_OVER) or (case is not None and case.stage == Stage.CLOSED)


def stage_label(request: SupportRequest, case: Case | None) -> str:
    """The stage, in words that never say where a handed-over request went."""
    if has_ended(request, case):
        return ENDED
    if case is not None:
        return case.get_stage_display()
    return request.get_status_display()


def referrer_status(referral: SupportRequest, grants: frozenset[Grant] | None = None) -> str:
    """The status the person who referred always sees: received, and when support ends; the stage between
    only when it is shared with them."""
    case = _case(referral)
    if has_ended(referral, case):
        return ENDED
    shared = agreement.grants_for(referral) if grants is None else grants
    if (Audience.REFERRER, Item.STAGE) in shared:
        return stage_label(referral, case)
    return Status.RECEIVED.label


def referrer_sees_stage(referral: SupportRequest, grants: frozenset[Grant] | None = None) -> bool:
    """Whether the person who referred may see where the referral is (the stage), not only received/closed."""
    shared = agreement.grants_for(referral) if grants is None else grants
    return (Audience.REFERRER, Item.STAGE) in shared


class _Facts:
    """What there is to show about one request, each read from the database only if an item needs it."""

    def __init__(self, request: SupportRequest):
        self.request = request

    @cached_property
    def case(self) -> Case | None:
        return _case(self.request)

    @cached_property
    def plan(self) -> dict | None:
        if self.case is None:
            return None
        version = (
            PlanVersion.objects.filter(plan__case=self.case, status=VersionStatus.AGREED).order_by("-number").first()
        )
        return version.content if version else None

    @cached_property
    def sessions(self) -> list[SupportSession]:
        if self.case is None:
            return []
        return list(SupportSession.objects.filter(case=self.case).order_by("held_on", "id"))

    @cached_property
    def ordinary_authors(self) -> set[int]:
        """Session authors known to work with the service in a role other than well-being practitioner."""
        authors = {s.facilitator_id for s in self.sessions}
        return set(
            FacilitatorProfile.objects.filter(service_id=self.request.service_id, user_id__in=authors)
            .exclude(role__in=WELLBEING_FACILITATOR_ROLES)
            .values_list("user_id", flat=True)
        )

    def is_wellbeing_session(self, session: SupportSession) -> bool:
        return session.facilitator_id not in self.ordinary_authors

    @cached_property
    def reasons(self) -> list[str]:
        return self.request.reason_codes

    @cached_property
    def reviews(self) -> list[Review]:
        if self.case is None:
            return []
        return list(Review.objects.filter(case=self.case).order_by("held_on", "id"))


def _summaries(facts: _Facts, *, wellbeing: bool) -> list[str]:
    return [
        f"{long_date(s.held_on)}: {s.shared_summary}"
        for s in facts.sessions
        if s.shared_summary and facts.is_wellbeing_session(s) == wellbeing
    ]


def _interventions(facts: _Facts, *, wellbeing: bool) -> list[str]:
    plan = facts.plan or {"interventions": []}
    return [i["name"] for i in plan["interventions"] if is_wellbeing_intervention(i) == wellbeing]


def _stage(facts: _Facts) -> list[str]:
    return [stage_label(facts.request, facts.case)]


def _attendance(facts: _Facts) -> list[str]:
    counts = dict.fromkeys(Attendance, 0)
    for session in facts.sessions:
        counts[session.attendance] = counts.get(session.attendance, 0) + 1
    return [
        f"Sessions attended: {counts[Attendance.ATTENDED]}",
        f"Sessions missed: {counts[Attendance.DID_NOT_ATTEND]}",
        f"Sessions cancelled by the doctor: {counts[Attendance.CANCELLED_BY_DOCTOR]}",
        f"Sessions cancelled by the facilitator: {counts[Attendance.CANCELLED_BY_FACILITATOR]}",
    ]


def _reasons(facts: _Facts) -> list[str]:
    return [AUDIENCE_REASON_LABELS[code] for code in facts.reasons if not is_wellbeing_reason(code)]


def _goals(facts: _Facts) -> list[str]:
    return [goal["text"] for goal in (facts.plan or {"goals": []})["goals"]]


def _milestones(facts: _Facts) -> list[str]:
    return [
        f"{m['text']}, by {long_date(dt.date.fromisoformat(m['due']))}"
        for m in (facts.plan or {"milestones": []})["milestones"]
    ]


def _review_outcomes(facts: _Facts) -> list[str]:
    return [f"{long_date(r.held_on)}: goal-attainment score {r.t_score:.1f}" for r in facts.reviews]


def _wellbeing(facts: _Facts) -> list[str]:
    lines = [
        f"Support includes help with: {AUDIENCE_REASON_LABELS[code].lower()}"
        for code in facts.reasons
        if is_wellbeing_reason(code)
    ]
    lines += [f"Support agreed: {name}" for name in _interventions(facts, wellbeing=True)]
    lines += [f"Session with a well-being practitioner, {line}" for line in _summaries(facts, wellbeing=True)]
    return lines


def _measures(facts: _Facts) -> list[str]:
    """Scores only, with their dates: never single answers, never the check-in (our own statements, about the
    support itself), never a safety alert."""
    responses = MeasureResponse.objects.filter(
        request=facts.request, status=ResponseStatus.COMPLETED, questionnaire__service__isnull=True
    ).select_related("questionnaire")
    return [
        f"{row.date}: {series.title}, {row.score_text}{f' ({row.band})' if row.band else ''}"
        for series in measure_presenters.series_for(responses)
        if series.validated
        for row in series.rows
        if row.value is not None
    ]


_SHOW = {
    Item.STAGE: _stage,
    Item.ATTENDANCE: _attendance,
    Item.REASONS: _reasons,
    Item.GOALS: _goals,
    Item.INTERVENTIONS: lambda facts: _interventions(facts, wellbeing=False),
    Item.MILESTONES: _milestones,
    Item.REVIEW_OUTCOMES: _review_outcomes,
    Item.SESSION_SUMMARIES: lambda facts: _summaries(facts, wellbeing=False),
    Item.WELLBEING: _wellbeing,
    Item.MEASURES: _measures,
}


def disclose(request: SupportRequest, audience: str, *, grants: frozenset[Grant] | None = None) -> list[Shown]:
    """Exactly what ``audience`` may see of ``request`` now, item by item, in a fixed order. Items not granted
    are absent; an empty list means nothing is shared."""
    shared = agreement.grants_for(request) if grants is None else grants
    fixed = agreement.fixed_grants(request)
    facts = _Facts(request)
    return [
        Shown(item=item, title=ITEM_TITLES[item], lines=_SHOW[item](facts), fixed=(audience, item) in fixed)
        for item in Item
        if (audience, item) in shared
    ]
