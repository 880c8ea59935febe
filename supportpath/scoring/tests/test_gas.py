import math

import pytest

from supportpath.scoring import gas
from supportpath.scoring.gas import ScoredGoal, t_score


def test_every_goal_achieved_as_expected_scores_fifty():
    assert t_score([ScoredGoal(0, 3, 2), ScoredGoal(0, 1, 1), ScoredGoal(0, 2, 3)]) == 50


def test_three_equally_weighted_goals_all_at_minus_one_score_about_thirty_six():
    """sum(w x) = -3w; denominator = w * sqrt(0.7 * 3 + 0.3 * 9) = w * sqrt(4.8) = 2.19089 w;
    T = 50 - 30 / 2.19089 = 36.307."""
    goals = [ScoredGoal(-1, 2, 2)] * 3
    assert t_score(goals) == pytest.approx(50 - 30 / math.sqrt(4.8))
    assert t_score(goals) == pytest.approx(36.307, abs=0.001)


def test_a_single_goal_moves_ten_points_for_each_level():
    """With one goal the weight cancels: T = 50 + 10 w x / sqrt(0.7 w^2 + 0.3 w^2) = 50 + 10 x."""
    assert t_score([ScoredGoal(2, 3, 3)]) == pytest.approx(70)
    assert t_score([ScoredGoal(-1, 1, 2)]) == pytest.approx(40)


def test_a_mixed_set_of_goals_worked_by_hand():
    """Goal A: +1, importance 3 x difficulty 2 = weight 6. Goal B: 0, 2 x 1 = 2. Goal C: -1, 1 x 1 = 1.
    sum(w x) = 6 + 0 - 1 = 5. sum(w^2) = 36 + 4 + 1 = 41. (sum w)^2 = 9^2 = 81.
    Denominator^2 = 0.7 * 41 + 0.3 * 81 = 28.7 + 24.3 = 53.0; sqrt(53) = 7.28011.
    T = 50 + 10 * 5 / 7.28011 = 50 + 6.86803 = 56.868."""
    goals = [ScoredGoal(1, 3, 2), ScoredGoal(0, 2, 1), ScoredGoal(-1, 1, 1)]
    assert t_score(goals) == pytest.approx(56.868, abs=0.001)


def test_a_goal_with_no_weight_does_not_count_when_others_do():
    """(+2, weight 0) and (0, weight 4): sum(w x) = 0, so T = 50."""
    assert t_score([ScoredGoal(2, 0, 3), ScoredGoal(0, 2, 2)]) == 50


def test_when_every_weight_is_zero_the_goals_are_scored_unweighted():
    """Levels +1, -1, +2, all weights 0 -> weights of 1: sum x = 2; denominator sqrt(4.8); T = 59.129."""
    goals = [ScoredGoal(1, 0, 0), ScoredGoal(-1, 0, 2), ScoredGoal(2, 3, 0)]
    assert t_score(goals) == pytest.approx(50 + 20 / math.sqrt(4.8))
    assert t_score(goals) == pytest.approx(59.129, abs=0.001)


def test_the_baseline_convention_is_minus_one_or_minus_two_when_things_could_get_worse():
    assert gas.BASELINE == -1
    assert gas.BASELINE_WHEN_WORSE_IS_POSSIBLE == -2


def test_impossible_levels_ratings_and_empty_sets_are_refused():
    with pytest.raises(ValueError):
        ScoredGoal(3)
    with pytest.raises(ValueError):
        ScoredGoal(0, 4, 1)
    with pytest.raises(ValueError):
        t_score([])
