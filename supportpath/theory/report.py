"""The realist report: for each linked CMOC, its outcome compared across its context (with against without)
and across its mechanism (check-in high against low), with the doctors in each group, the difference, its 95%
interval and the reading (``stats``). Counts follow the disclosure rule (``core/disclosure.py``); a comparison
whose groups are too small shows neither its figures nor its difference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from supportpath.core.disclosure import disclose_table

from . import indicators, stats
from .facts import Fact
from .models import Cmoc, Status


@dataclass(frozen=True)
class Compared:
    what: str  # "Context" or "Mechanism"
    description: str
    first_label: str
    second_label: str
    first_people: str  # display strings, by the disclosure rule
    second_people: str
    shown: bool
    difference: str = ""
    interval: str = ""
    reading: str = stats.NOT_ENOUGH


@dataclass(frozen=True)
class CmocReport:
    cmoc: Cmoc
    outcome_label: str
    compared: list[Compared] = field(default_factory=list)

    @property
    def reading(self) -> str:
        return stats.overall([c.reading for c in self.compared])


def _format(value: float, kind: str) -> str:
    if kind == "proportion":
        return f"{100 * value:+.0f} percentage points"
    return f"{value:+.1f} points"


def _interval(low: float, high: float, kind: str) -> str:
    if kind == "proportion":
        return f"{100 * low:.0f} to {100 * high:.0f}"
    return f"{low:.1f} to {high:.1f}"


def compare(
    what: str,
    description: str,
    labels: tuple[str, str],
    groups: tuple[list[tuple[int, float]], list[tuple[int, float]]],
    outcome: indicators.Outcome,
) -> Compared:
    """Two groups of (doctor id, outcome value): the first less the second."""
    first, second = groups
    n1, n2 = len({d for d, _ in first}), len({d for d, _ in second})
    table = disclose_table([[n1, n2]], min_people=stats.MIN_GROUP)
    shown_counts = table.cells[0] if table.shown else ["", ""]
    enough = n1 >= stats.MIN_GROUP and n2 >= stats.MIN_GROUP and table.shown
    base = {
        "what": what,
        "description": description,
        "first_label": labels[0],
        "second_label": labels[1],
        "first_people": shown_counts[0] or "fewer than 10",
        "second_people": shown_counts[1] or "fewer than 10",
    }
    if not enough:
        return Compared(**base, shown=False)
    values1, values2 = [v for _, v in first], [v for _, v in second]
    if outcome.kind == "proportion":
        comparison = stats.difference_in_proportions(
            (round(sum(values1)), len(values1)), (round(sum(values2)), len(values2))
        )
    else:
        comparison = stats.difference_in_means(values1, values2)
    return Compared(
        **base,
        shown=True,
        difference=_format(comparison.estimate, outcome.kind),
        interval=_interval(comparison.low, comparison.high, outcome.kind),
        reading=stats.reading(comparison, lower_is_better=outcome.lower_is_better),
    )


def report_for(cmoc: Cmoc, facts: Sequence[Fact]) -> CmocReport | None:
    outcome = indicators.OUTCOME_BY_KEY.get(cmoc.outcome_indicator)
    if outcome is None or not (cmoc.context_field or cmoc.mechanism_item):
        return None
    valued = [(f, v) for f in facts if (v := f.outcome(outcome.key)) is not None]
    compared: list[Compared] = []
    if cmoc.context_field:
        with_: list[tuple[int, float]] = []
        without: list[tuple[int, float]] = []
        for f, v in valued:
            # A field may hold several codes ("career|exams": a request's reasons), separated by "|".
            known = set((f.context.get(cmoc.context_field) or "").split("|")) - {""}
            if cmoc.context_value in known:
                with_.append((f.doctor_id, v))
            elif known and "prefer_not_to_say" not in known:
                without.append((f.doctor_id, v))
        description = indicators.describe_context(cmoc.context_field, cmoc.context_value)
        compared.append(compare("Context", description, ("With", "Without"), (with_, without), outcome))
    if cmoc.mechanism_item:
        high: list[tuple[int, float]] = []
        low: list[tuple[int, float]] = []
        for f, v in valued:
            answer = f.checkin(cmoc.mechanism_item)
            if answer is None:
                continue
            (high if answer >= indicators.HIGH_FROM else low).append((f.doctor_id, v))
        statement = indicators.MECHANISMS.get(cmoc.mechanism_item, cmoc.mechanism_item)
        compared.append(
            compare("Mechanism", f"Check-in: “{statement}”", ("Agree (high)", "Not agree (low)"), (high, low), outcome)
        )
    return CmocReport(cmoc=cmoc, outcome_label=outcome.label, compared=compared)


def theory_report(cmocs: Sequence[Cmoc], facts: Sequence[Fact]) -> list[CmocReport]:
    """A report for every linked CMOC that is not retired."""
    reports = []
    for cmoc in cmocs:
        if cmoc.status == Status.RETIRED:
            continue
        made = report_for(cmoc, facts)
        if made is not None:
            reports.append(made)
    return reports
