"""The comparisons the realist report makes, and the rule that reads them.

- **A difference in proportions** (completed, returned to work or training): Newcombe's hybrid score interval,
  the same method and code as the culture pulse (``culture.stats``), which behaves with small groups.
- **A difference in means** (goal attainment T-score, a measure's change): Welch's interval, which does not
  assume the two groups vary alike; its t value for the Welch-Satterthwaite degrees of freedom comes from the
  Cornish-Fisher expansion (within 0.002 of the tables for 5 or more degrees of freedom).

**The reading** ("bears it out", "questions it", "not enough data yet"), written on the report page too:

1. Fewer than ``MIN_GROUP`` doctors in either group: *not enough data yet* (and the groups are not shown).
2. The whole 95% interval on the better side of no difference: *bears it out*.
3. The estimate itself is no difference or on the worse side: *questions it* (with this many people, the data
   do not show what the CMOC expects).
4. Otherwise (better on average but the interval takes in no difference): *not enough data yet*.

These are associations in one service's records, not proof that one thing causes another."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from supportpath.culture.stats import Z95
from supportpath.culture.stats import difference as newcombe

MIN_GROUP = 10  # the disclosure rule's smallest breakdown (core/disclosure.py), per group

BEARS_OUT = "bears it out"
QUESTIONS = "questions it"
NOT_ENOUGH = "not enough data yet"

RULE = [
    f"Each group needs {MIN_GROUP} or more doctors; with fewer, it is {NOT_ENOUGH} and the groups are not shown.",
    f"If the whole 95% confidence interval is on the better side of no difference, the data {BEARS_OUT}.",
    f"If the difference is nil or on the worse side, the data {QUESTIONS}.",
    f"Otherwise (better on average, but the interval includes no difference) it is {NOT_ENOUGH}.",
]
CAVEAT = (
    "These are associations in one service's records, not proof: the doctors in each group differ in other "
    "ways too, and the CMOC may work through routes these records do not capture."
)


@dataclass(frozen=True)
class Comparison:
    estimate: float  # first group less second, in the outcome's own unit (a proportion for proportions)
    low: float
    high: float


def t_975(df: float) -> float:
    """The 97.5th centile of Student's t with ``df`` degrees of freedom (Cornish-Fisher expansion about z)."""
    if df <= 0:
        raise ValueError("Degrees of freedom must be positive")
    z = Z95
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * df**4)
    )


def difference_in_proportions(first: tuple[int, int], second: tuple[int, int]) -> Comparison:
    """(successes, people) of each group: the first's proportion less the second's, with Newcombe's interval."""
    d = newcombe(first, second)
    return Comparison(d.estimate, d.low, d.high)


def difference_in_means(first: Sequence[float], second: Sequence[float]) -> Comparison:
    """The first group's mean less the second's, with Welch's 95% interval. Each group needs 2 or more values."""
    if len(first) < 2 or len(second) < 2:
        raise ValueError("Each group needs at least two values")
    n1, n2 = len(first), len(second)
    m1, m2 = statistics.fmean(first), statistics.fmean(second)
    v1, v2 = statistics.variance(first) / n1, statistics.variance(second) / n2
    se = math.sqrt(v1 + v2)
    d = m1 - m2
    if se == 0:
        return Comparison(d, d, d)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)) if v1 and v2 else (n1 - 1 if v1 else n2 - 1)
    spread = t_975(df) * se
    return Comparison(d, d - spread, d + spread)


def reading(comparison: Comparison | None, *, lower_is_better: bool = False, enough: bool = True) -> str:
    """The rule above, for one comparison (``None`` or ``enough=False`` when the groups are too small)."""
    if comparison is None or not enough:
        return NOT_ENOUGH
    sign = -1 if lower_is_better else 1
    estimate, low, high = (sign * comparison.estimate, sign * comparison.low, sign * comparison.high)
    if min(low, high) > 0:
        return BEARS_OUT
    if estimate <= 0:
        return QUESTIONS
    return NOT_ENOUGH


def overall(readings: Sequence[str]) -> str:
    """What the data say about a CMOC from its comparisons: any that questions it questions it; otherwise any that
    bears it out bears it out; otherwise not enough data yet."""
    if QUESTIONS in readings:
        return QUESTIONS
    if BEARS_OUT in readings:
        return BEARS_OUT
    return NOT_ENOUGH
