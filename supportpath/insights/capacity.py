"""A forecast of waits for a facilitator over the next quarter, from the service's own arrival rate, case
lengths and places, for the facilitators there are now and for "what if we had N more": a simple simulation,
whose assumptions the page states.

The model, week by week for 13 weeks, run 400 times with a fixed seed (so the page is the same on every
visit): new cases arrive at random (Poisson) at the rate of the last six months; each case holding a place ends
in a given week with chance 1 / (mean weeks of support), so lengths vary as they do in life; a free place goes
to whoever has waited longest. A case still waiting at the end counts with the wait it has had so far."""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, Sum

from supportpath.casework.models import Case
from supportpath.casework.models import Stage as CaseStage
from supportpath.facilitation.models import FacilitatorProfile

from .models import Fact
from .reports import Table, bars_for
from .selection import Selection, add_months, month_start

WEEKS = 13
RUNS = 400
LOOKBACK_MONTHS = 6


@dataclass(frozen=True)
class Inputs:
    arrivals_per_week: float
    mean_weeks: float
    facilitators: int
    places: int
    held: int
    waiting: int

    @property
    def places_each(self) -> float:
        return self.places / self.facilitators if self.facilitators else 4


@dataclass(frozen=True)
class Forecast:
    extra: int
    places: int
    median_weeks: float
    p90_weeks: float
    waiting_at_end: float


def inputs(selection: Selection, today: dt.date) -> Inputs:
    service = selection.service
    since = add_months(month_start(today), -LOOKBACK_MONTHS)
    facts = Fact.objects.filter(service=service)
    row = facts.aggregate(
        cases=Count("pk", filter=Q(is_case=True, referred_month__gte=since, referred_month__lt=month_start(today))),
        weeks=Avg(
            (F("days_to_ended") - F("days_to_first_session")) / 7.0,
            filter=Q(
                ending__in=["goals_met", "handed_over", "doctor_withdrew", "other"], days_to_first_session__isnull=False
            ),
        ),
    )
    people = FacilitatorProfile.objects.filter(service=service, accepting_cases=True).aggregate(
        n=Count("pk"), places=Sum("capacity")
    )
    open_cases = (
        Case.objects.filter(request__service=service)
        .exclude(stage=CaseStage.CLOSED)
        .aggregate(
            held=Count("pk", filter=Q(facilitator__isnull=False)),
            waiting=Count("pk", filter=Q(facilitator__isnull=True)),
        )
    )
    weeks_back = LOOKBACK_MONTHS * 52 / 12
    return Inputs(
        arrivals_per_week=row["cases"] / weeks_back,
        mean_weeks=max(float(row["weeks"] or 12.0), 1.0),
        facilitators=people["n"],
        places=people["places"] or 0,
        held=open_cases["held"],
        waiting=open_cases["waiting"],
    )


def _poisson(rng: random.Random, rate: float) -> int:
    # Knuth's method: fine for the few arrivals a week a service has.
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def simulate(given: Inputs, extra: int, *, runs: int = RUNS, seed: str = "capacity") -> Forecast:
    places = given.places + round(extra * given.places_each)
    end_chance = 1 / given.mean_weeks
    rng = random.Random(seed)
    waits: list[float] = []
    left: list[int] = []
    for _ in range(runs):
        held = min(given.held, places)
        queue = [0] * (given.waiting + max(given.held - places, 0))  # arrival weeks (0: waiting already)
        for week in range(1, WEEKS + 1):
            held -= sum(1 for _ in range(held) if rng.random() < end_chance)
            queue.extend([week] * _poisson(rng, given.arrivals_per_week))
            while queue and held < places:
                arrived = queue.pop(0)
                held += 1
                if arrived:
                    waits.append(week - arrived)
        waits.extend(WEEKS + 1 - arrived for arrived in queue if arrived)
        left.append(len(queue))
    if not waits:
        return Forecast(extra, places, 0.0, 0.0, statistics.mean(left) if left else 0.0)
    cuts = statistics.quantiles(waits, n=10, method="inclusive")
    return Forecast(extra, places, statistics.median(waits), cuts[-1], statistics.mean(left))


def forecast_table(given: Inputs, extra: int = 1) -> Table:
    """The forecast as a report table (the board report's), as now and with ``extra`` more facilitators."""
    rows = []
    for forecast in (simulate(given, 0), simulate(given, extra)):
        rows.append(
            [
                "As now" if forecast.extra == 0 else f"With {forecast.extra} more",
                str(forecast.places),
                f"{forecast.median_weeks:.1f}",
                f"{forecast.p90_weeks:.1f}",
            ]
        )
    return Table(
        "capacity-forecast",
        f"Forecast waits for a facilitator over the next {WEEKS} weeks",
        ["Facilitators", "Places", "Median wait (weeks)", "90th percentile wait (weeks)"],
        rows,
        bars=bars_for([(row[0], row[2]) for row in rows]),
        chart_title="Median wait (weeks)",
        notes=[
            f"A simulation from the last {LOOKBACK_MONTHS} months' arrivals ({given.arrivals_per_week:.1f} a week), "
            f"support lasting {given.mean_weeks:.0f} weeks on average, and {given.places} places now."
        ],
    )
