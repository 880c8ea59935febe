"""What the theory's pages show: the registry by outcome group, each CMOC's indicators in words, the report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from supportpath.accounts.models import Organisation

from . import facts, indicators, report
from .models import Cmoc, OutcomeGroup, Status

STATUS_COLOURS = {
    "initial": "grey",
    "refined": "blue",
    "supported": "green",
    "questioned": "orange",
    "retired": "white",
}
READING_COLOURS = {report.stats.BEARS_OUT: "green", report.stats.QUESTIONS: "orange", report.stats.NOT_ENOUGH: "grey"}


@dataclass(frozen=True)
class Group:
    number: int
    title: str
    cmocs: list[Cmoc]


def _reference_key(cmoc: Cmoc) -> tuple:
    parts = cmoc.reference.split(".")
    try:
        return tuple(int("".join(ch for ch in p if ch.isdigit()) or 0) for p in parts) + (cmoc.reference,)
    except ValueError:
        return (99, cmoc.reference)


def by_group(cmocs: Iterable[Cmoc]) -> list[Group]:
    ordered = sorted(cmocs, key=_reference_key)
    return [
        Group(number, title, [c for c in ordered if c.outcome_group == number])
        for number, title in OutcomeGroup.choices
    ]


def indicator_rows(cmoc: Cmoc) -> list[tuple[str, str]]:
    context = indicators.describe_context(cmoc.context_field, cmoc.context_value) or "Not linked"
    mechanism = (
        f"Check-in: “{indicators.MECHANISMS[cmoc.mechanism_item]}”"
        if cmoc.mechanism_item in indicators.MECHANISMS
        else "Not linked"
    )
    outcome = (
        indicators.OUTCOME_BY_KEY[cmoc.outcome_indicator].label
        if cmoc.outcome_indicator in indicators.OUTCOME_BY_KEY
        else "Not linked"
    )
    return [("Context indicator", context), ("Mechanism indicator", mechanism), ("Outcome indicator", outcome)]


def service_report(service: Organisation, cmocs: Iterable[Cmoc]) -> dict[int, report.CmocReport]:
    """Each linked CMOC's report, by CMOC id, from the service's facts."""
    rows = facts.rows_for(service)
    return {r.cmoc.pk: r for r in report.theory_report(list(cmocs), rows)}


def display_change(value: object) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, str) and value in Status.values:
        return Status(value).label
    if isinstance(value, int) and not isinstance(value, bool):
        return OutcomeGroup(value).label if value in OutcomeGroup.values else str(value)
    return str(value)
