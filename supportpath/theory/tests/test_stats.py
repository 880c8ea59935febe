"""The comparison statistics, checked against values worked by hand (each worked out below the test)."""

import math

import pytest

from supportpath.theory import stats


def test_a_difference_in_proportions_matches_newcombes_worked_example():
    # Newcombe (1998), Table II example (a): 56/70 against 48/80. Difference 0.8 - 0.6 = 0.2.
    # Wilson intervals: 56/70 -> 0.6889 to 0.8760; 48/80 -> 0.4904 to 0.7003.
    # low = 0.2 - sqrt((0.8 - 0.6889)^2 + (0.7003 - 0.6)^2) = 0.2 - sqrt(0.01234 + 0.01006) = 0.0524
    # high = 0.2 + sqrt((0.8760 - 0.8)^2 + (0.6 - 0.4904)^2) = 0.2 + sqrt(0.00578 + 0.01201) = 0.3339
    result = stats.difference_in_proportions((56, 70), (48, 80))
    assert result.estimate == pytest.approx(0.2)
    assert result.low == pytest.approx(0.0524, abs=0.0005)
    assert result.high == pytest.approx(0.3339, abs=0.0005)


def test_a_difference_in_means_uses_welchs_interval():
    # first: 52, 54, 56, 58, 60 -> mean 56, variance 10 (sum of squares 40 / 4)
    # second: 50, 50, 51, 53, 56 -> mean 52, variance (4 + 4 + 1 + 1 + 16) / 4 = 6.5
    # SE = sqrt(10/5 + 6.5/5) = sqrt(3.3) = 1.8166
    # df = 3.3^2 / ((2^2)/4 + (1.3^2)/4) = 10.89 / (1 + 0.4225) = 7.6555
    # t(0.975, 7.6555) = 2.325 (tables: 2.365 at 7, 2.306 at 8; between them, 2.365 - 0.6555 * 0.059)
    # interval: 4 -/+ 2.325 * 1.8166 = 4 -/+ 4.224 -> -0.224 to 8.224
    result = stats.difference_in_means([52, 54, 56, 58, 60], [50, 50, 51, 53, 56])
    assert result.estimate == pytest.approx(4)
    assert result.low == pytest.approx(-0.224, abs=0.01)
    assert result.high == pytest.approx(8.224, abs=0.01)


@pytest.mark.parametrize(("df", "table"), [(5, 2.571), (10, 2.228), (20, 2.086), (30, 2.042), (120, 1.980)])
def test_the_t_value_is_within_a_thousandth_of_the_tables(df, table):
    assert stats.t_975(df) == pytest.approx(table, abs=0.002)


def test_with_large_groups_the_means_interval_is_the_normal_one():
    first = [10.0, 12.0] * 500
    second = [9.0, 11.0] * 500
    result = stats.difference_in_means(first, second)
    # SE = sqrt(1.001/1000 * 2) = 0.04474; 1.96 * 0.04474 = 0.0877
    assert result.high - result.estimate == pytest.approx(1.962 * math.sqrt(2 * 1000 / 999 / 1000), abs=0.001)


def test_the_reading_rule():
    better = stats.Comparison(0.2, 0.05, 0.33)
    unsure = stats.Comparison(0.1, -0.05, 0.25)
    worse = stats.Comparison(-0.1, -0.25, 0.05)
    nil = stats.Comparison(0.0, -0.1, 0.1)
    assert stats.reading(better) == stats.BEARS_OUT
    assert stats.reading(unsure) == stats.NOT_ENOUGH
    assert stats.reading(worse) == stats.QUESTIONS
    assert stats.reading(nil) == stats.QUESTIONS
    assert stats.reading(better, enough=False) == stats.NOT_ENOUGH
    assert stats.reading(None) == stats.NOT_ENOUGH
    # A measure where a fall is better (PHQ-9): a fall of 3 with the interval below 0 bears it out.
    assert stats.reading(stats.Comparison(-3, -5, -1), lower_is_better=True) == stats.BEARS_OUT


def test_a_cmoc_is_questioned_if_any_comparison_questions_it():
    assert stats.overall([stats.BEARS_OUT, stats.QUESTIONS]) == stats.QUESTIONS
    assert stats.overall([stats.BEARS_OUT, stats.NOT_ENOUGH]) == stats.BEARS_OUT
    assert stats.overall([stats.NOT_ENOUGH]) == stats.NOT_ENOUGH
    assert stats.overall([]) == stats.NOT_ENOUGH
