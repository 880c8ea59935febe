""" "How the service is doing": every figure summed in the database (GROUP BY), then passed through the
disclosure rule (``core.disclosure``) before it becomes a table cell. Each section is a ``Table`` of display
strings, with the figures a chart draws; the page, the CSV download and the board report all read the same
tables, so no view can show a number another does not."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Aggregate, Avg, Count, F, FilteredRelation, Q, StdDev, Sum

from supportpath.casework.models import Case
from supportpath.casework.models import Stage as CaseStage
from supportpath.closure.models import STATEMENTS, Agreement
from supportpath.core.disclosure import (
    HIDDEN,
    NOT_SHOWN,
    disclose_counts,
    disclose_statistic,
    disclose_table,
    show_count,
)
from supportpath.facilitation.models import FacilitatorProfile
from supportpath.referrals.models import Route

from . import stats
from .models import Ending, FactFeedback, FactMeasure, Stage
from .selection import Selection

MEASURES = {
    "phq-9": "PHQ-9 (depression; lower is better)",
    "gad-7": "GAD-7 (anxiety; lower is better)",
    "who-5": "WHO-5 (well-being; higher is better)",
    "gse": "General self-efficacy (higher is better)",
    "check-in": "Check-in (higher is better)",
}
WAITS = [
    ("first contact", "days_to_first_contact", "first_contact_due_days"),
    ("the first conversation", "days_to_first_conversation", "first_conversation_due_days"),
    ("an agreed plan", "days_to_plan_agreed", "plan_agreed_due_days"),
    ("the first session", "days_to_first_session", None),
]


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    # The chart: (label, length as a share of the longest, the figure written on it); no bar for a hidden figure.
    bars: list[tuple[str, float | None, str]] = field(default_factory=list)
    chart_title: str = ""
    notes: list[str] = field(default_factory=list)
    empty: str = ""  # why nothing is shown, when nothing is

    @property
    def shown(self) -> bool:
        return not self.empty


def bars_for(pairs: list[tuple[str, str]]) -> list[tuple[str, float | None, str]]:
    """Bars for display figures: hidden or blank figures get no bar."""
    numbers = [float(v.rstrip("%")) for _, v in pairs if v not in (HIDDEN, NOT_SHOWN)]
    longest = max(numbers, default=0) or 1
    return [
        (label, None if v in (HIDDEN, NOT_SHOWN) else float(v.rstrip("%")) / longest, v or "not shown")
        for label, v in pairs
    ]


def _interval_text(interval: stats.Interval | None, n: int, digits: int = 1) -> str:
    if interval is None or n < 10:
        return NOT_SHOWN
    estimate, low, high = (disclose_statistic(v, n, digits=digits) for v in interval[:3])
    return f"{estimate} ({low} to {high})"


def _mean(n: int, mean: float | None, sd: float | None) -> stats.Interval | None:
    if n < 2 or mean is None:
        return None
    return stats.mean_interval(n, float(mean), float(sd or 0))


def requests_by_month(selection: Selection) -> Table:
    routes = list(Route)
    counts = {
        (row["referred_month"], row["route"]): row["n"]
        for row in selection.referred().values("referred_month", "route").annotate(n=Count("pk")).order_by()
    }
    months = selection.months
    grid = [[counts.get((month, route.value), 0) for route in routes] for month in months]
    table = disclose_table(grid)
    labels = [month.strftime("%b %Y") for month in months]
    if not table.shown:
        return Table("requests", "Requests each month, by route in", [], [], empty="Too few requests to show.")
    rows = [[label, *cells, total] for label, cells, total in zip(labels, table.cells, table.row_totals, strict=True)]
    rows.append(["All months", *table.column_totals, table.total])
    return Table(
        "requests",
        "Requests each month, by route in",
        ["Month", *[r.label for r in routes], "All routes"],
        rows,
        bars=bars_for(list(zip(labels, table.row_totals, strict=True))),
        chart_title="Requests each month",
    )


def waits(selection: Selection) -> Table:
    referred = selection.referred()
    aggregates: dict[str, Aggregate] = {}
    for i, (_, days, due) in enumerate(WAITS):
        aggregates[f"n_{i}"] = Count(days)
        if due:
            aggregates[f"within_{i}"] = Count("pk", filter=Q(**{f"{days}__lte": F(due)}))
            aggregates[f"timed_{i}"] = Count("pk", filter=Q(**{f"{days}__isnull": False, f"{due}__isnull": False}))
        if stats.percentiles_in_one_query():
            aggregates[f"median_{i}"] = stats.PercentileCont(days, 0.5)
            aggregates[f"p90_{i}"] = stats.PercentileCont(days, 0.9)
    row = referred.aggregate(**aggregates)  # one query on PostgreSQL: every count and percentile at once
    rows, pairs = [], []
    for i, (label, days, due) in enumerate(WAITS):
        n = row[f"n_{i}"]
        if stats.percentiles_in_one_query():
            median, p90 = row[f"median_{i}"], row[f"p90_{i}"]
        else:
            n, (median, p90) = stats.percentiles(referred, days, (0.5, 0.9))
        share = "no target"
        if due:
            timed = row[f"timed_{i}"]
            split = disclose_table([[row[f"within_{i}"], timed - row[f"within_{i}"]]])
            share = split.row_percentages[0][0] if split.shown else NOT_SHOWN
        median_text = disclose_statistic(median, n, digits=0)
        rows.append(
            [f"To {label}", show_count(n), median_text, disclose_statistic(p90, n, digits=0), share or "not shown"]
        )
        pairs.append((f"To {label}", median_text))
    return Table(
        "waits",
        "Days from the request to each step",
        ["Step", "Requests reaching it", "Median (days)", "90th percentile (days)", "Within the target"],
        rows,
        bars=bars_for(pairs),
        chart_title="Median days from the request",
        notes=[
            "Of the requests made in the period. The targets are the service's own (working days, counted here "
            "as calendar days from the request). Medians and percentiles of fewer than 10 requests are not shown."
        ],
    )


def open_by_stage(selection: Selection) -> Table:
    stages = [s for s in Stage if s != Stage.ENDED]
    counts = dict(selection.facts().exclude(stage=Stage.ENDED).values_list("stage").annotate(n=Count("pk")).order_by())
    shown = disclose_counts({s.label: counts.get(s.value, 0) for s in stages})
    if not shown.shown:
        return Table("open", "Open requests and cases by stage, today", [], [], empty="Too few open to show.")
    rows = [[label, shown.counts[label], shown.percentages[label]] for label in shown.counts]
    rows.append(["All open", shown.total, ""])
    return Table(
        "open",
        "Open requests and cases by stage, today",
        ["Stage", "Open", "Share"],
        rows,
        bars=bars_for([(label, shown.counts[label]) for label in shown.counts]),
        chart_title="Open by stage",
    )


def capacity(selection: Selection) -> Table:
    """Facilitators' places: how many facilitators have no free place, one or two, or more (a distribution, so
    no facilitator's caseload is shown on its own), with the places and cases in all."""
    service = selection.service
    caseload = dict(
        Case.objects.filter(request__service=service, facilitator__isnull=False)
        .exclude(stage=CaseStage.CLOSED)
        .values_list("facilitator")
        .annotate(n=Count("pk"))
        .order_by()
    )
    profiles = list(
        FacilitatorProfile.objects.filter(service=service, accepting_cases=True).values_list("user_id", "capacity")
    )
    bands = {"No free place": 0, "1 or 2 free places": 0, "3 or more free places": 0}
    for user_id, places in profiles:
        free = places - caseload.get(user_id, 0)
        bands["No free place" if free <= 0 else "1 or 2 free places" if free <= 2 else "3 or more free places"] += 1
    places = sum(p for _, p in profiles)
    held = sum(caseload.get(u, 0) for u, _ in profiles)
    shown = disclose_counts(bands, min_people=1)  # facilitators, not doctors: still rounded and small hidden
    rows = [[label, shown.counts[label]] for label in bands]
    rows += [["Places in all", show_count(places)], ["Cases held now", show_count(held)]]
    return Table(
        "capacity",
        "Caseload and free capacity of facilitators taking cases",
        ["", "Facilitators"],
        rows,
        bars=bars_for([(label, shown.counts[label]) for label in bands]),
        chart_title="Facilitators by free places",
        notes=["Today, for the whole service. Places are each facilitator's most active cases at once."],
    )


def closures(selection: Selection) -> Table:
    counts = dict(selection.ended().values_list("ending").annotate(n=Count("pk")).order_by())
    shown = disclose_counts({e.label: counts.get(e.value, 0) for e in Ending})
    if not shown.shown:
        return Table("closures", "How requests and cases ended", [], [], empty="Too few ended to show.")
    rows = [[label, shown.counts[label], shown.percentages[label]] for label in shown.counts]
    rows.append(["All that ended", shown.total, ""])
    return Table(
        "closures",
        "How requests and cases ended in the period",
        ["How it ended", "Number", "Share"],
        rows,
        bars=bars_for([(label, shown.counts[label]) for label in shown.counts]),
        chart_title="How they ended",
    )


def engagement(selection: Selection) -> Table:
    row = (
        selection.ended()
        .filter(is_case=True)
        .aggregate(
            cases=Count("pk"),
            held=Sum("sessions_held"),
            cancelled=Sum("sessions_cancelled"),
            missed=Sum("sessions_missed"),
            mean=Avg("sessions_held"),
            sd=StdDev("sessions_held", sample=True),
        )
    )
    n = row["cases"]
    if n < 10:
        return Table("engagement", "Sessions of the cases that closed", [], [], empty="Too few cases closed to show.")
    shown = disclose_counts(
        {"Held": row["held"] or 0, "Cancelled": row["cancelled"] or 0, "Doctor did not attend": row["missed"] or 0}
    )
    rows = [[label, shown.counts[label], shown.percentages[label]] for label in shown.counts]
    rows.append(["Sessions held per case (mean, 95% CI)", _interval_text(_mean(n, row["mean"], row["sd"]), n), ""])
    return Table(
        "engagement",
        "Sessions of the cases that closed in the period",
        ["Sessions", "Number", "Share"],
        rows,
        bars=bars_for([(label, shown.counts[label]) for label in shown.counts]),
        chart_title="Sessions by attendance",
    )


def goal_attainment(selection: Selection) -> Table:
    row = (
        selection.ended()
        .filter(gas_start__isnull=False, gas_end__isnull=False)
        .aggregate(
            n=Count("pk"),
            start=Avg("gas_start"),
            end=Avg("gas_end"),
            change=Avg(F("gas_end") - F("gas_start")),
            sd=StdDev(F("gas_end") - F("gas_start"), sample=True),
        )
    )
    n = row["n"]
    if n < 10:
        return Table("gas", "Goal attainment at closure", [], [], empty="Fewer than 10 closed cases were scored.")
    change = _mean(n, row["change"], row["sd"])
    rows = [
        ["Closed cases scored", show_count(n)],
        ["GAS T-score at the start (mean)", disclose_statistic(row["start"], n)],
        ["GAS T-score at closure (mean)", disclose_statistic(row["end"], n)],
        ["Change (mean, 95% CI)", _interval_text(change, n)],
    ]
    return Table(
        "gas",
        "Goal attainment at closure",
        ["", "Figure"],
        rows,
        bars=bars_for([("At the start", rows[1][1]), ("At closure", rows[2][1])]),
        chart_title="Mean GAS T-score",
        notes=["A T-score of 50 means the goals were met as expected; every goal starts at its baseline."],
    )


def measure_change(selection: Selection) -> Table:
    ended = selection.ended().values("pk")
    found = {
        row["measure"]: row
        for row in FactMeasure.objects.filter(fact__in=ended, first_score__isnull=False, closure_score__isnull=False)
        .values("measure")
        .annotate(
            n=Count("pk"),
            first=Avg("first_score"),
            closure=Avg("closure_score"),
            change=Avg(F("closure_score") - F("first_score")),
            sd=StdDev(F("closure_score") - F("first_score"), sample=True),
        )
        .order_by()
    }
    rows, pairs = [], []
    for key, label in MEASURES.items():
        row = found.get(key)
        n = row["n"] if row else 0
        change = _mean(n, row["change"], row["sd"]) if row else None
        rows.append(
            [
                label,
                show_count(n),
                disclose_statistic(row["first"], n) if row else "",
                disclose_statistic(row["closure"], n) if row else "",
                _interval_text(change, n) or "not shown",
            ]
        )
        pairs.append((label, disclose_statistic(abs(change.estimate), n) if change else NOT_SHOWN))
    return Table(
        "measures",
        "Change in each measure from the start to closure",
        ["Measure", "Doctors with both", "Mean at the start", "Mean at closure", "Change (mean, 95% CI)"],
        rows,
        bars=bars_for(pairs),
        chart_title="Size of the mean change",
        notes=["Doctors whose support ended in the period who answered at the start and at closure."],
    )


def talking_therapies(selection: Selection) -> Table:
    """PHQ-9 and GAD-7 as NHS Talking Therapies reports them, for doctors with both at the start and at closure.

    Caseness: PHQ-9 of 10 or more, or GAD-7 of 8 or more. Reliable improvement: PHQ-9 down by 6 or more, or GAD-7
    down by 4 or more, and neither up by as much. Reliable deterioration: either up by that much, neither down.
    Recovery: a case at the start, below both thresholds at closure. Reliable recovery: both."""
    facts = (
        selection.ended()
        .annotate(
            phq=FilteredRelation("measures", condition=Q(measures__measure="phq-9")),
            gad=FilteredRelation("measures", condition=Q(measures__measure="gad-7")),
        )
        .filter(
            phq__first_score__isnull=False,
            phq__closure_score__isnull=False,
            gad__first_score__isnull=False,
            gad__closure_score__isnull=False,
        )
    )
    phq_up = Q(phq__closure_score__gte=F("phq__first_score") + 6)
    gad_up = Q(gad__closure_score__gte=F("gad__first_score") + 4)
    phq_down = Q(phq__closure_score__lte=F("phq__first_score") - 6)
    gad_down = Q(gad__closure_score__lte=F("gad__first_score") - 4)
    improved = (phq_down | gad_down) & ~phq_up & ~gad_up
    deteriorated = (phq_up | gad_up) & ~phq_down & ~gad_down
    case_at_start = Q(phq__first_score__gte=10) | Q(gad__first_score__gte=8)
    recovered = case_at_start & Q(phq__closure_score__lt=10, gad__closure_score__lt=8)
    row = facts.aggregate(
        n=Count("pk"),
        improved=Count("pk", filter=improved),
        deteriorated=Count("pk", filter=deteriorated),
        cases=Count("pk", filter=case_at_start),
        recovered=Count("pk", filter=recovered),
        reliably_recovered=Count("pk", filter=recovered & improved),
    )
    n, cases = row["n"], row["cases"]
    if n < 10:
        return Table(
            "talking_therapies",
            "PHQ-9 and GAD-7 as NHS Talking Therapies reports them",
            [],
            [],
            empty="Fewer than 10 doctors answered both at the start and at closure.",
        )
    rows, pairs = [], []
    for label, count, of, of_label in [
        ("Reliable improvement", row["improved"], n, "all with both"),
        ("Reliable deterioration", row["deteriorated"], n, "all with both"),
        ("Recovery", row["recovered"], cases, "a case at the start"),
        ("Reliable recovery", row["reliably_recovered"], cases, "a case at the start"),
    ]:
        split = disclose_table([[count, of - count]])
        shown_n = split.cells[0][0] if split.shown else NOT_SHOWN
        share = split.row_percentages[0][0] if split.shown else NOT_SHOWN
        ci = NOT_SHOWN
        if split.shown and shown_n not in (HIDDEN, NOT_SHOWN) and split.total not in (HIDDEN, NOT_SHOWN):
            low, high = stats.wilson(int(shown_n), int(split.total))
            ci = f"{round(100 * low)}% to {round(100 * high)}%"
        rows.append([label, f"{shown_n or 'not shown'} of {split.total or 'not shown'} ({of_label})", share, ci])
        pairs.append((label, share))
    return Table(
        "talking_therapies",
        "PHQ-9 and GAD-7 as NHS Talking Therapies reports them",
        ["Outcome", "Doctors", "Share", "95% CI"],
        rows,
        bars=bars_for(pairs),
        chart_title="Share of doctors",
        notes=[
            "Reliable improvement: PHQ-9 down by 6 or more or GAD-7 down by 4 or more, neither up by as much. "
            "Recovery: PHQ-9 of 10 or more or GAD-7 of 8 or more at the start, below both at closure. "
            "Reliable recovery: both. Reliable deterioration: up by 6 (PHQ-9) or 4 (GAD-7), neither down. "
            "Shares and intervals are worked from the rounded figures."
        ],
    )


def feedback(selection: Selection) -> Table:
    ended = selection.ended().values("pk")
    counts = {
        (row["statement"], row["agreement"]): row["n"]
        for row in FactFeedback.objects.filter(fact__in=ended)
        .values("statement", "agreement")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows, pairs = [], []
    for key, text in STATEMENTS.items():
        shown = disclose_counts({a.label: counts.get((key, a.value), 0) for a in Agreement})
        if not shown.shown:
            rows.append([text, *["" for _ in Agreement], "fewer than 10 answers"])
            pairs.append((text, NOT_SHOWN))
            continue
        agreeing = disclose_table(
            [[sum(counts.get((key, a), 0) for a in (4, 5)), sum(counts.get((key, a), 0) for a in (1, 2, 3))]]
        )
        share = agreeing.row_percentages[0][0]
        rows.append([text, *shown.counts.values(), shown.total])
        pairs.append((text, share))
    return Table(
        "feedback",
        "Exit feedback: how far doctors agreed",
        ["Statement", *[a.label for a in Agreement], "Answers"],
        rows,
        bars=bars_for(pairs),
        chart_title="Share agreeing or strongly agreeing",
        notes=["From doctors whose support ended in the period."],
    )


def service_report(selection: Selection) -> list[Table]:
    return [
        requests_by_month(selection),
        waits(selection),
        open_by_stage(selection),
        capacity(selection),
        closures(selection),
        engagement(selection),
        goal_attainment(selection),
        measure_change(selection),
        talking_therapies(selection),
        feedback(selection),
    ]
