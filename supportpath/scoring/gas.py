"""Goal Attainment Scaling: the Turner-Stokes (2009) corrected T-score.

Turner-Stokes L. Goal Attainment Scaling (GAS) in rehabilitation: a practical guide. Clin Rehabil
2009;23:362-370.

Each goal i is scored on five levels, x_i in {-2, -1, 0, +1, +2}, where 0 is the expected outcome. Its weight
is w_i = importance x difficulty, each rated 0-3. The overall score is

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i ** 2) + rho * (sum(w_i)) ** 2)

with rho = 0.3, the assumed correlation between goal scores. T = 50 means that, taken together, the goals were
achieved as expected; every goal at -1 gives about 38, the usual "no change" baseline.

Our rule for weights of zero: a goal rated 0 for importance or difficulty carries no weight. If every goal
carries no weight (the formula would divide by zero) we score the goals unweighted, as if every weight were 1.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

RHO = 0.3
LEVELS = (-2, -1, 0, 1, 2)
LEVEL_NAMES = {
    -2: "Much less than expected",
    -1: "Somewhat less than expected",
    0: "The expected outcome",
    1: "Somewhat more than expected",
    2: "Much more than expected",
}
# Baseline convention (Turner-Stokes 2009): a goal is set at -1 when the doctor starts; at -2 when things could
# get worse than where they start, so that -1 is "no change".
BASELINE = -1
BASELINE_WHEN_WORSE_IS_POSSIBLE = -2
RATINGS = (0, 1, 2, 3)
IMPORTANCE_NAMES = {0: "Not at all", 1: "A little", 2: "Moderately", 3: "Very"}
DIFFICULTY_NAMES = {0: "Not at all", 1: "A little", 2: "Moderately", 3: "Very"}


@dataclass(frozen=True)
class ScoredGoal:
    level: int
    importance: int = 1
    difficulty: int = 1

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"A GAS level is one of {LEVELS}, not {self.level!r}")
        if self.importance not in RATINGS or self.difficulty not in RATINGS:
            raise ValueError("Importance and difficulty are rated 0 to 3")

    @property
    def weight(self) -> int:
        return self.importance * self.difficulty


def t_score(goals: Sequence[ScoredGoal], rho: float = RHO) -> float:
    """The corrected GAS T-score for a set of goals. Raises ValueError for no goals."""
    if not goals:
        raise ValueError("A GAS score needs at least one goal")
    weights = [g.weight for g in goals]
    if not any(weights):
        weights = [1] * len(goals)
    weighted_sum = sum(w * g.level for w, g in zip(weights, goals, strict=True))
    denominator = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    return 50 + 10 * weighted_sum / denominator
