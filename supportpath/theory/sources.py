"""Where the facts come from: the insights app's de-identified fact record (``insights.models.Fact``), one per
support request, with the doctors' check-in answers to each statement (which the fact record keeps only as
totals, and the check-in has none) read from the measures app through the fact's link to its request.

Each fact's person is its request's doctor while the link stands (so a doctor counts once in a group, and the
export's access-log rows find them); a fact whose link went with its request (erasure, retention) counts as a
person of its own and is never linked back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from supportpath.accounts.models import Organisation
from supportpath.insights.models import Ending, Fact, FactLink
from supportpath.measures.models import Response, ResponseStatus
from supportpath.referrals.models import Route

from . import facts

CASE_ENDINGS_NOT_COMPLETED = {Ending.DOCTOR_WITHDREW, Ending.OTHER, Ending.CASE_HANDED_OVER}
POINTS = (
    ("first", "first_score"),
    ("closure", "closure_score"),
    ("after_3_months", "after_3_months_score"),
    ("after_6_months", "after_6_months_score"),
)


def _route(route: str) -> str:
    if route == Route.SELF:
        return "self"
    if route == Route.SIGNPOSTED:
        return "signposted"
    return "referred"


def _completed(fact: Fact) -> bool | None:
    if not fact.is_case or not fact.ending:
        return None
    if fact.ending == Ending.GOALS_MET:
        return True
    return False if fact.ending in CASE_ENDINGS_NOT_COMPLETED else None


def _after(month: dt.date, days: int | None) -> dt.date | None:
    return None if days is None else month + dt.timedelta(days=days)


def from_fact_record(service: Organisation) -> list[facts.Fact]:
    rows = list(
        Fact.objects.filter(service=service).prefetch_related("reasons", "measures").order_by("referred_month", "pk")
    )
    links = dict(FactLink.objects.filter(fact__service=service).values_list("fact_id", "request__doctor_id"))
    request_of = dict(FactLink.objects.filter(fact__service=service).values_list("fact_id", "request_id"))
    checkins: dict[int, list[facts.Answered]] = defaultdict(list)
    for request_id, point, answers, completed_at in Response.objects.filter(
        request_id__in=list(request_of.values()), questionnaire__key="check-in", status=ResponseStatus.COMPLETED
    ).values_list("request_id", "point", "answers", "completed_at"):
        checkins[request_id].append(
            facts.Answered("check-in", point, completed_at.date() if completed_at else None, dict(answers or {}))
        )
    made = []
    for index, fact in enumerate(rows):
        measures = list(fact.measures.all())
        answered = [
            facts.Answered(m.measure, point, None, total=getattr(m, field))
            for m in measures
            if m.measure != "check-in"
            for point, field in POINTS
            if getattr(m, field) is not None
        ]
        linked_request = request_of.get(fact.pk)
        if linked_request is not None:
            answered += checkins.get(linked_request, [])
        outcomes: dict[str, facts.Outcome] = {
            "completed": _completed(fact),
            "returned": None,  # the records do not say yet whether a doctor went back to work or training
            "gas_t": fact.gas_end,
            "gas_t_start": fact.gas_start,
            "sessions": fact.sessions_held if fact.is_case else None,
            "ending": fact.ending,
        }
        for m in measures:
            if m.first_score is not None and m.closure_score is not None:
                outcomes[f"change:{m.measure}"] = m.closure_score - m.first_score
        made.append(
            facts.Fact(
                doctor_id=links.get(fact.pk, -(index + 1)),
                context={
                    "route_in": _route(fact.route),
                    "mandated": "yes" if fact.mandated else "no",
                    "reason": "|".join(sorted(r.reason for r in fact.reasons.all())),
                    "career_stage": fact.career_stage,
                    "contract_type": fact.contract_type,
                    "qualification_region": fact.qualification_region,
                    "organisation_type": fact.employer_kind,
                    "age_band": fact.age_band,
                    "gender": fact.gender,
                    "ethnic_group": fact.ethnic_group,
                },
                dates={
                    "received": fact.referred_month,
                    "first_contact": _after(fact.referred_month, fact.days_to_first_contact),
                    "conversation": _after(fact.referred_month, fact.days_to_first_conversation),
                    "plan_agreed": _after(fact.referred_month, fact.days_to_plan_agreed),
                    "closed": fact.ended_month,
                },
                outcomes=outcomes,
                answered=answered,
            )
        )
    return made
