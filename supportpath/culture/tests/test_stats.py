"""The change between waves: Newcombe's hybrid score interval, checked by hand."""

import math

import pytest

from supportpath.culture import stats


def test_wilson_interval_by_hand():
    # 56 of 70: p = 0.8, z = 1.959964, z^2 = 3.841459.
    # centre = 0.8 + 3.841459/140 = 0.827439; spread = z * sqrt(0.16/70 + 3.841459/19600) = 0.097839
    # denominator = 1 + 3.841459/70 = 1.054878; so (0.729600/1.054878, 0.925278/1.054878) = (0.6917, 0.8772).
    low, high = stats.wilson(56, 70)
    assert low == pytest.approx(0.6917, abs=5e-4)
    assert high == pytest.approx(0.8772, abs=5e-4)


def test_difference_matches_newcombes_worked_example():
    # Newcombe (1998), table II, example (a): 56/70 against 48/80; difference 0.2000, method 10: 0.0524 to 0.3339.
    change = stats.difference((56, 70), (48, 80))
    assert change.estimate == pytest.approx(0.2)
    assert change.low == pytest.approx(0.0524, abs=5e-4)
    assert change.high == pytest.approx(0.3339, abs=5e-4)


def test_difference_by_hand_for_a_pulse():
    # 30 of 40 agreeing now, 20 of 40 before. Wilson for 30/40: (0.5980, 0.8581); for 20/40: (0.3520, 0.6480).
    # low = 0.25 - sqrt((0.75-0.5980)^2 + (0.6480-0.5)^2) = 0.25 - sqrt(0.023104 + 0.021904) = 0.25 - 0.2122
    # high = 0.25 + sqrt((0.8581-0.75)^2 + (0.5-0.3520)^2) = 0.25 + sqrt(0.011686 + 0.021904) = 0.25 + 0.1833
    change = stats.difference((30, 40), (20, 40))
    assert change.low == pytest.approx(0.25 - math.sqrt(0.152**2 + 0.148**2), abs=1e-3)
    assert change.high == pytest.approx(0.25 + math.sqrt(0.1081**2 + 0.148**2), abs=1e-3)
    assert change.points() == (25, 4, 43)


def test_no_change_has_an_interval_around_zero():
    change = stats.difference((10, 20), (10, 20))
    assert change.estimate == 0
    assert change.low == pytest.approx(-change.high)


def test_a_proportion_needs_people():
    with pytest.raises(ValueError):
        stats.wilson(0, 0)
