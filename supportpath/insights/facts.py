"""Writing the fact record from the identifiable records: ``refresh`` builds (or rebuilds) the fact of one
request from what its records say now. It is idempotent, so it may run as often as the pathway moves, and the
backfill command runs it for every request.

The context at referral (employer, career stage, contract, qualification region, age band, gender, ethnic
group) is taken once, when the fact is first written, and never changed afterwards: a doctor who later edits
their profile does not rewrite the context their request was made in."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q

from supportpath.accounts.models import PREFER_NOT_TO_SAY, EqualityMonitoring
from supportpath.casework.models import Case
from supportpath.closure.models import ExitFeedback
from supportpath.measures.models import Point, Response, ResponseStatus
from supportpath.pathway.models import Attendance, InitialConversation, NeedsAssessment, SupportSession
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.progress.models import Closure, Review
from supportpath.referrals.models import SELF_ROUTES, Status, SupportRequest, SupportRequestReason
from supportpath.scoring import gas

from .models import Ending, Fact, FactFeedback, FactIntervention, FactLink, FactMeasure, FactReason, Stage

CASE_STAGES = {
    "first_contact": Stage.CONTACTED,
    "initial_conversation": Stage.FIRST_CONVERSATION,
    "planning": Stage.PLANNING,
    "support": Stage.SUPPORT,
    "closed": Stage.ENDED,
}
MEASURE_POINTS: dict[str, str] = {
    Point.CLOSURE: "closure_score",
    Point.AFTER_3_MONTHS: "after_3_months_score",
    Point.AFTER_6_MONTHS: "after_6_months_score",
}


def _as_day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _day(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    return _as_day(value)


def _days(start: dt.date, value: dt.date | None) -> int | None:
    day = _day(value)
    return None if day is None else (day - start).days


def _given(value: str) -> str:
    return "" if value in ("", PREFER_NOT_TO_SAY) else value


def _context(request: SupportRequest) -> dict[str, Any]:
    profile = request.doctor
    equality = EqualityMonitoring.objects.filter(doctor_id=profile.pk).first()
    employer = profile.employer
    return {
        "employer": employer,
        "employer_kind": employer.kind if employer else "",
        "career_stage": profile.career_stage,
        "contract_type": profile.contract_type,
        "qualification_region": profile.qualification_region,
        "age_band": _given(equality.age_band) if equality else "",
        "gender": _given(equality.gender) if equality else "",
        "ethnic_group": _given(equality.ethnic_group) if equality else "",
    }


def _gas_start(content: dict[str, Any]) -> float | None:
    goals = content.get("goals") or []
    if not goals:
        return None
    scored = [
        gas.ScoredGoal(level=g.get("baseline", gas.BASELINE), importance=g["importance"], difficulty=g["difficulty"])
        for g in goals
    ]
    return round(gas.t_score(scored), 2)


def _measures(request_id: int) -> dict[str, dict[str, int | None]]:
    """questionnaire key -> the FactMeasure fields, from the completed responses in the order they were made."""
    found: dict[str, dict[str, int | None]] = {}
    responses = (
        Response.objects.filter(request_id=request_id, status=ResponseStatus.COMPLETED, total__isnull=False)
        .order_by("completed_at", "id")
        .values_list("questionnaire__key", "point", "total")
    )
    for key, point, total in responses:
        row = found.setdefault(key, {"first_score": total})
        if point in MEASURE_POINTS:
            row[MEASURE_POINTS[point]] = total
    return found


def build(request: SupportRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the fact's fields, its child rows) from the request's records as they are now."""
    start = request.submitted_at.date()
    fields: dict[str, Any] = {
        "service_id": request.service_id,
        "referred_month": start.replace(day=1),
        "route": request.route,
        "self_referred": request.route in SELF_ROUTES,
        "mandated": request.mandated,
        "urgent": request.urgent,
        "days_to_first_contact": _days(start, request.first_contact_on),
        "first_contact_due_days": _days(start, request.first_contact_due),
        "days_to_case_opened": None,
        "days_to_first_conversation": None,
        "days_to_plan_agreed": None,
        "days_to_first_session": None,
        "days_to_ended": None,
        "first_conversation_due_days": None,
        "plan_agreed_due_days": None,
        "is_case": False,
        "ended_month": None,
        "ending": "",
        "handed_over_to": "",
        "goals": 0,
        "gas_start": None,
        "gas_end": None,
        "sessions_held": 0,
        "sessions_cancelled": 0,
        "sessions_missed": 0,
        "reviews_held": 0,
    }
    children: dict[str, Any] = {
        "reasons": list(SupportRequestReason.objects.filter(request_id=request.pk).values_list("reason", flat=True)),
        "interventions": Counter(),
        "measures": _measures(request.pk),
        "feedback": {},
    }
    ended_on: dt.date | None = None
    stage = Stage.CONTACTED if request.status == Status.CONTACTED else Stage.RECEIVED
    if request.status == Status.HANDED_OVER:
        stage, ended_on = Stage.ENDED, request.handed_over_at
        fields.update(ending=Ending.REQUEST_HANDED_OVER, handed_over_to=request.handed_over_to)
    elif request.status == Status.CLOSED:
        stage, ended_on = Stage.ENDED, request.ended_at
        fields["ending"] = request.ended_as

    case = Case.objects.filter(request_id=request.pk).first()
    if case is not None:
        fields.update(
            is_case=True,
            days_to_case_opened=_days(start, case.opened_at),
            first_conversation_due_days=_days(start, case.initial_conversation_due),
            plan_agreed_due_days=_days(start, case.plan_agreed_due),
        )
        stage = CASE_STAGES.get(case.stage, Stage.SUPPORT)
        assessment = NeedsAssessment.objects.filter(case_id=case.pk).values("conversation_held_on", "mandated").first()
        if assessment:
            fields["days_to_first_conversation"] = _days(start, assessment["conversation_held_on"])
            fields["mandated"] = fields["mandated"] or assessment["mandated"]
        else:
            conversation = InitialConversation.objects.filter(case_id=case.pk).first()
            if conversation is not None and conversation.has_happened:
                fields["days_to_first_conversation"] = _days(start, conversation.scheduled_for)
        versions = PlanVersion.objects.filter(plan__case_id=case.pk, agreed_at__isnull=False).order_by("number")
        first_agreed = versions.values_list("agreed_at", flat=True).first()
        fields["days_to_plan_agreed"] = _days(start, first_agreed)
        latest = versions.filter(status=VersionStatus.AGREED).last() or versions.last()
        if latest is not None:
            content: dict[str, Any] = latest.content or {}
            fields["goals"] = len(content.get("goals") or [])
            fields["gas_start"] = _gas_start(content)
            children["interventions"] = Counter(
                str(item.get("type", "")) for item in content.get("interventions") or [] if item.get("type")
            )
        sessions = SupportSession.objects.filter(case_id=case.pk).aggregate(
            held=Count("id", filter=Q(attendance=Attendance.ATTENDED)),
            missed=Count("id", filter=Q(attendance=Attendance.DID_NOT_ATTEND)),
            cancelled=Count(
                "id", filter=Q(attendance__in=[Attendance.CANCELLED_BY_DOCTOR, Attendance.CANCELLED_BY_FACILITATOR])
            ),
            first_held=Min("held_on", filter=Q(attendance=Attendance.ATTENDED)),
        )
        fields.update(
            sessions_held=sessions["held"],
            sessions_missed=sessions["missed"],
            sessions_cancelled=sessions["cancelled"],
            days_to_first_session=_days(start, sessions["first_held"]),
        )
        reviews = list(
            Review.objects.filter(case_id=case.pk).order_by("held_on", "id").values_list("t_score", flat=True)
        )
        fields["reviews_held"] = len(reviews)
        closure = Closure.objects.filter(case_id=case.pk).first()
        if closure is not None:
            stage, ended_on = Stage.ENDED, closure.closed_on
            fields.update(ending=closure.reason, handed_over_to=closure.handed_over_to)
            final = closure.final_t_score if closure.final_t_score is not None else (reviews[-1] if reviews else None)
            fields["gas_end"] = None if final is None else round(final, 2)
        feedback = ExitFeedback.objects.filter(case_id=case.pk).values_list("answers", flat=True).first()
        if feedback:
            children["feedback"] = {k: int(v) for k, v in feedback.items() if str(v).isdigit() and 1 <= int(v) <= 5}
    if ended_on is not None:
        fields["days_to_ended"] = _days(start, ended_on)
        fields["ended_month"] = _as_day(ended_on).replace(day=1)
    fields["stage"] = stage
    return fields, children


@transaction.atomic
def refresh(request_id: int) -> Fact | None:
    """Write the fact of this request afresh. None if the request is gone (its fact, unlinked, stays as it was)."""
    request = SupportRequest.objects.select_related("doctor__employer").filter(pk=request_id).first()
    if request is None:
        return None
    fields, children = build(request)
    link = FactLink.objects.select_for_update().select_related("fact").filter(request_id=request_id).first()
    if link is None:
        fact = Fact.objects.create(**fields, **_context(request))
        FactLink.objects.create(request_id=request_id, fact=fact)
    else:
        fact = link.fact
        for name, value in fields.items():
            setattr(fact, name, value)
        fact.save()
        FactReason.objects.filter(fact=fact).delete()
        FactIntervention.objects.filter(fact=fact).delete()
        FactMeasure.objects.filter(fact=fact).delete()
        FactFeedback.objects.filter(fact=fact).delete()
    FactReason.objects.bulk_create([FactReason(fact=fact, reason=r) for r in sorted(set(children["reasons"]))])
    FactIntervention.objects.bulk_create(
        [FactIntervention(fact=fact, code=code, count=n) for code, n in sorted(children["interventions"].items())]
    )
    FactMeasure.objects.bulk_create(
        [FactMeasure(fact=fact, measure=key, **scores) for key, scores in sorted(children["measures"].items())]
    )
    FactFeedback.objects.bulk_create(
        [FactFeedback(fact=fact, statement=k, agreement=v) for k, v in sorted(children["feedback"].items())]
    )
    return fact


def backfill(*, batch: int = 500) -> int:
    """Write the fact of every request there is (existing ones afresh). Returns how many."""
    done = 0
    ids = list(SupportRequest.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():  # one commit a batch, not one a request
            for request_id in ids[start : start + batch]:
                refresh(request_id)
                done += 1
    return done
