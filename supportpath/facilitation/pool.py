"""Read the facilitator pool and waiting cases from the database into the plain data `matching` works on.

Kept apart from the solver, which never touches the database: a handful of queries however many cases and
facilitators there are.
"""

from django.db.models import Count, F, OuterRef, Q, Subquery

from supportpath.accounts.models import QualificationRegion, Role, User
from supportpath.casework.models import Case, Stage
from supportpath.pathway.models import NeedsAssessment

from . import matching
from .models import Allocation, AllocationStatus, EndReason, FacilitatorProfile, MatchingPreferences, Specialism

OPEN = [AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED]
# The doctor chose someone else: that facilitator is not suggested for the case again.
RULED_OUT_ENDINGS = (EndReason.DOCTOR_CHANGED, EndReason.NOT_GOING_AHEAD)


def active_load(facilitator: str = "pk") -> Subquery:
    """The active cases of the facilitator whose user id is the row's ``facilitator`` field: accepted on an open
    case, or proposed and not yet answered. NULL for none."""
    # One count per facilitator asked about, each by the partial index ``allocation_open`` (a few rows each).
    # Asked as one grouped query over every facilitator at once, PostgreSQL read all the country's open
    # allocations instead (6,789 at 300,533 doctors, 14-26 ms; docs/scale.md), and it grew with the country.
    return Subquery(
        Allocation.objects.filter(facilitator_id=OuterRef(facilitator), status__in=OPEN)
        .exclude(case__stage=Stage.CLOSED)
        .order_by()
        .values("facilitator_id")
        .annotate(n=Count("id"))
        .values("n")
    )


def active_loads(user_ids) -> dict[int, int]:
    """Active cases per facilitator (``active_load``)."""
    rows = User.objects.filter(pk__in=user_ids).order_by().annotate(n=active_load()).values_list("pk", "n")
    return {pk: n for pk, n in rows if n}


def facilitator_pool(service_id: int) -> list[tuple[FacilitatorProfile, matching.Facilitator]]:
    """The service's facilitators who are taking cases, each with their plain matching data."""
    profiles = list(
        FacilitatorProfile.objects.filter(
            service_id=service_id,
            accepting_cases=True,
            user__is_active=True,
            user__memberships__organisation_id=service_id,
            user__memberships__role=Role.FACILITATOR,
        )
        .select_related("user")
        .prefetch_related("conflicted_organisations")
        .distinct()
        .order_by("user__full_name", "id")
    )
    loads = active_loads([p.user_id for p in profiles])
    return [
        (
            p,
            matching.Facilitator(
                id=p.user_id,
                specialisms=frozenset(p.specialisms),
                attributes=p.attributes(),
                capacity=p.capacity,
                load=loads.get(p.user_id, 0),
                conflicted_organisations=frozenset(o.pk for o in p.conflicted_organisations.all()),
            ),
        )
        for p in profiles
    ]


def case_needs(cases: list[Case]) -> list[matching.CaseNeeds]:
    """Each case's needs, the doctor's preferences, who supported the doctor before, and who is ruled out."""
    case_ids = [c.pk for c in cases]
    doctor_ids = {c.request.doctor_id for c in cases}
    preferences = {p.case_id: p.as_dict() for p in MatchingPreferences.objects.filter(case_id__in=case_ids)}
    history = Allocation.objects.filter(case__request__doctor_id__in=doctor_ids).values(
        "case_id", "case__request__doctor_id", "facilitator_id", "status", "end_reason"
    )
    previous: dict[int, set[int]] = {}
    excluded: dict[int, set[int]] = {}
    for row in history:
        ruled_out = row["status"] == AllocationStatus.DECLINED or row["end_reason"] in RULED_OUT_ENDINGS
        if row["case_id"] in case_ids and ruled_out:
            excluded.setdefault(row["case_id"], set()).add(row["facilitator_id"])
        elif row["status"] in (AllocationStatus.ACCEPTED, AllocationStatus.ENDED) and not ruled_out:
            previous.setdefault(row["case__request__doctor_id"], set()).add(row["facilitator_id"])
    assessed = {}
    for c in cases:
        assessment = getattr(c, "needs_assessment", None) if first_conversation_held(c) else None
        assessed[c.pk] = set(assessment.presenting_issues) if assessment else set()
    result = []
    for c in cases:
        doctor = c.request.doctor
        reasons = set(c.request.reason_codes) | assessed[c.pk]
        if doctor.qualification_region != QualificationRegion.UK:
            reasons.add(Specialism.INTERNATIONAL_GRADUATES.value)
        result.append(
            matching.CaseNeeds(
                id=c.pk,
                reasons=frozenset(r for r in reasons if r in Specialism.values),
                employer_id=doctor.employer_id,
                preferences=preferences.get(c.pk, {}),
                previous_facilitators=frozenset(previous.get(doctor.pk, set()) - excluded.get(c.pk, set())),
                excluded_facilitators=frozenset(excluded.get(c.pk, set())),
            )
        )
    return result


def waiting_counts(service_ids) -> tuple[int, int]:
    """The waiting list's length (``waiting_queryset``'s) and how many cases are left off it because their first
    conversation has not taken place yet, in one query: both are the service's open cases without a facilitator
    or anyone proposed (not the country's), with or without their needs assessment, so one pass counts both."""
    # No DISTINCT: each join is to one row (the exclusion is a subquery), as in ``waiting_queryset``.
    counts = _without_facilitator(service_ids).aggregate(cases=Count("pk"), assessed=Count("needs_assessment"))
    return counts["assessed"], counts["cases"] - counts["assessed"]


def first_conversation_held(case: Case) -> bool:
    """Whether the first conversation has taken place (its needs assessment is recorded): only then may a
    facilitator be asked to take the case (``waiting_cases`` says why)."""

    try:
        return case.needs_assessment is not None
    except NeedsAssessment.DoesNotExist:
        return False


def _without_facilitator(service_ids):
    return (
        # By the service kept on the case (the index ``case_service_waiting``), and its request's service as well:
        # the two are equal (``Case.service``), and the list names doctors, so it asks both.
        Case.objects.filter(service_id__in=service_ids, request__service_id__in=service_ids, facilitator__isnull=True)
        .exclude(stage=Stage.CLOSED)
        .exclude(Q(allocations__status__in=OPEN))
    )


def waiting_cases(service_ids) -> "list[Case]":
    """Open cases with no facilitator and nobody proposed yet whose first conversation has taken place (the
    needs assessment is recorded), oldest first.

    The pathway runs first conversation and needs, then plan, then facilitator (DESIGN.md §2). Matching is on
    the doctor's needs, which are known only once the doctor has given their own account in that conversation;
    offering a case before it would match on the few words of the request, and could put a facilitator in
    front of a doctor before the doctor has had their say. Cases still agreeing their plan do wait here: the
    needs are known, and finding someone while the plan is agreed means support can start once it is."""
    return list(
        waiting_queryset(service_ids)
        .select_related("request__doctor__user", "request__doctor", "request__service", "needs_assessment")
        .prefetch_related("request__reasons")
    )


def waiting_queryset(service_ids):
    """``waiting_cases`` as a query, oldest first with the id as tie-breaker, for a page at a time."""
    return (
        _without_facilitator(service_ids)
        .filter(needs_assessment__isnull=False)
        .annotate(assessed_on=F("needs_assessment__conversation_held_on"))
        # No DISTINCT: each join is to one row (the exclusion is a subquery), and the partial index
        # ``case_waiting_for_facilitator`` gives this order without sorting every open case.
        .order_by("opened_at", "id")
    )
