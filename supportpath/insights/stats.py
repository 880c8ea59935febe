"""The statistics the reports show, as plain arithmetic on figures the database has already summed: intervals
for a mean and a rate ratio, and the percentile aggregate (PostgreSQL's ``percentile_cont``, with a portable
SQL fallback for SQLite)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, overload

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, QuerySet

from supportpath.culture.stats import Z95, wilson

__all__ = ["Z95", "wilson", "mean_interval", "rate_ratio", "percentiles", "Interval"]

# Two-sided 95% critical values of Student's t, by degrees of freedom (tables; above 30 the normal's is close).
T95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
    11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086,
    21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042,
}  # fmt: skip


def t95(df: int) -> float:
    if df < 1:
        raise ValueError("An interval needs at least two values")
    if df in T95:
        return T95[df]
    if df <= 60:
        return 2.000
    if df <= 120:
        return 1.980
    return Z95


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    @overload
    def __getitem__(self, index: int) -> float: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[float, ...]: ...
    def __getitem__(self, index: int | slice) -> float | tuple[float, ...]:
        return (self.estimate, self.low, self.high)[index]

    @property
    def above_one(self) -> bool:
        return self.low > 1

    @property
    def below_one(self) -> bool:
        return self.high < 1


def mean_interval(n: int, mean: float, sd: float) -> Interval:
    """The mean of ``n`` values with its 95% interval (Student's t)."""
    half = t95(n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half)


def rate_ratio(a: int, person_a: float, b: int, person_b: float) -> Interval | None:
    """The ratio of two rates (events over people or person-time) with its 95% interval on the log scale,
    SE = sqrt(1/a + 1/b) (Rothman, Modern Epidemiology). None when either count is zero."""
    if a <= 0 or b <= 0 or person_a <= 0 or person_b <= 0:
        return None
    ratio = (a / person_a) / (b / person_b)
    se = math.sqrt(1 / a + 1 / b)
    return Interval(ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se))


def risk_ratio(a: int, n_a: int, b: int, n_b: int) -> Interval | None:
    """The ratio of two proportions a/n_a over b/n_b, 95% interval on the log scale (Katz)."""
    if a <= 0 or b <= 0 or n_a <= 0 or n_b <= 0:
        return None
    ratio = (a / n_a) / (b / n_b)
    se = math.sqrt(1 / a - 1 / n_a + 1 / b - 1 / n_b)
    return Interval(ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se))


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the ``fraction`` percentile of the expression, interpolated."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction is from 0 to 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def percentiles(queryset: QuerySet, field: str, fractions: tuple[float, ...]) -> tuple[int, list[float | None]]:
    """(how many values, each percentile of ``field`` over the queryset's non-empty values), in the database.

    On PostgreSQL one query of ``percentile_cont``; elsewhere (SQLite) the same interpolation from the two values
    either side of each point, each fetched by ORDER BY ... LIMIT 1 OFFSET k, so no rows come to Python."""
    values = queryset.filter(**{f"{field}__isnull": False})
    if connection.vendor == "postgresql":
        row = values.aggregate(n=Count("pk"), **{f"p{i}": PercentileCont(field, f) for i, f in enumerate(fractions)})
        return row["n"], [row[f"p{i}"] for i in range(len(fractions))]
    n = values.count()
    if n == 0:
        return 0, [None] * len(fractions)
    ordered = values.order_by(field).values_list(field, flat=True)
    found = []
    for fraction in fractions:
        position = fraction * (n - 1)
        low = math.floor(position)
        high = math.ceil(position)
        pair = list(ordered[low : high + 1])
        value_low, value_high = pair[0], pair[-1]
        found.append(value_low + (value_high - value_low) * (position - low))
    return n, found


def percentiles_in_one_query() -> bool:
    """Whether the database has ``percentile_cont`` (PostgreSQL), so percentiles join the other aggregates of a
    report in one query; elsewhere ``percentiles`` fetches them."""
    return connection.vendor == "postgresql"
