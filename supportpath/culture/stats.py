"""The change in the share of people agreeing between two waves, with its 95% confidence interval.

Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation for the difference between independent
proportions", Statistics in Medicine 17:873-890, method 10): each proportion's Wilson score interval, combined.
It behaves well with the small numbers a pulse has (unlike the simple Wald interval, which can stray past
-100% or +100% and is too narrow near 0% and 100%). Pure arithmetic, checked by hand in the tests against the
paper's own worked example.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959964


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for one proportion."""
    if n <= 0:
        raise ValueError("A proportion needs at least one person")
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return (centre - spread) / denominator, (centre + spread) / denominator


@dataclass(frozen=True)
class Difference:
    estimate: float  # later minus earlier, as a proportion
    low: float
    high: float

    def points(self) -> tuple[int, int, int]:
        """The estimate and interval in whole percentage points."""
        return round(100 * self.estimate), round(100 * self.low), round(100 * self.high)


def difference(later: tuple[int, int], earlier: tuple[int, int], z: float = Z95) -> Difference:
    """``later`` minus ``earlier``, each given as (agreeing, people), with Newcombe's 95% interval."""
    (x1, n1), (x2, n2) = later, earlier
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(d, low, high)
