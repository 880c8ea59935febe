"""The small interface between the theory and the service's records: one ``Fact`` per support request, built
from the insights app's de-identified fact record (``rows_for``). The report and the research export read only
this, so they are tested with facts made in the test, and the fact record can grow without touching them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from supportpath.accounts.models import Organisation

# Context and quasi-identifier fields a fact may carry (codes, never free text); unknown or not stated is "".
CONTEXT_FIELDS = (
    "route_in",  # self / signposted / referred
    "mandated",  # yes / no
    "reason",  # the main reason (Table 2's)
    "career_stage",
    "contract_type",
    "qualification_region",
    "organisation_type",
    "age_band",
    "gender",
    "ethnic_group",
)
DATE_FIELDS = ("received", "first_contact", "conversation", "plan_agreed", "closed")
OUTCOME_FIELDS = ("completed", "returned", "gas_t", "gas_t_start", "sessions", "ending")


@dataclass(frozen=True)
class Answered:
    """One questionnaire answered at one point: the check-in's answers by statement, or a measure's total."""

    questionnaire: str  # "check-in", "who-5", ...
    point: str  # "first", "review", "closure", ...
    on: dt.date | None  # None where only the point is known (the fact record keeps no dates of measures)
    answers: Mapping[str, int] = field(default_factory=dict)
    total: float | None = None


# An outcome's value: a flag (bool, which mypy counts as a number), a number, a code ("ending"), or None.
Outcome = float | str | None


@dataclass(frozen=True)
class Fact:
    doctor_id: int  # to count doctors; never shown, never exported
    context: Mapping[str, str]
    dates: Mapping[str, dt.date | None]
    outcomes: Mapping[str, Outcome]  # completed/returned: bool | None; gas_t, change:<key>: float | None; ...
    answered: Sequence[Answered] = ()

    def checkin(self, item: str) -> int | None:
        """The doctor's first check-in answer to one statement (None if never answered). The first, so that the
        mechanism is read before the outcome it is compared with, not from the same closing moment."""
        ordered = sorted((a for a in self.answered if a.questionnaire == "check-in"), key=lambda a: a.on or dt.date.max)
        for a in ordered:
            if item in a.answers:
                return a.answers[item]
        return None

    def outcome(self, key: str) -> float | None:
        value = self.outcomes.get(key)
        if value is None:
            return None
        return float(value)


def measure_change(answered: Sequence[Answered], key: str) -> float | None:
    """A measure's total at closure less its total at the first point, when both were answered."""
    totals = {a.point: a.total for a in answered if a.questionnaire == key and a.total is not None}
    if "first" in totals and "closure" in totals:
        return totals["closure"] - totals["first"]
    return None


def rows_for(service: Organisation) -> list[Fact]:
    """The facts of a service's support requests, from the source set when the app is ready (the insights fact
    record: ``sources.from_fact_record``)."""
    return list(_source(service))


def _no_records(service: Organisation) -> list[Fact]:
    return []


_source: Callable[[Organisation], Sequence[Fact]] = _no_records


def use_source(source: Callable[[Organisation], Sequence[Fact]]) -> None:
    """Point the theory at where the facts come from (a callable taking the service)."""
    global _source
    _source = source
