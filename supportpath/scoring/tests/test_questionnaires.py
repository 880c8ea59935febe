"""Scoring against the instruments' sources, with the examples they give (and their band boundaries)."""

import pytest

from supportpath.scoring import questionnaires as scoring


def answers(*scores):
    return {str(i): s for i, s in enumerate(scores, 1)}


def test_gad7_example_scores_7_mild():
    score = scoring.gad7(answers(1, 1, 1, 1, 0, 1, 2))
    assert score.total == 7
    assert score.band.name == "Mild"


def test_who5_example_scores_11_that_is_44_percent():
    score = scoring.who5(answers(3, 2, 2, 1, 3))
    assert (score.total, score.percentage) == (11, 44)
    assert score.band.name == "Low well-being"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "None to minimal"),
        (4, "None to minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_bands_follow_kroenke_2001(total, band):
    scores = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    scores += [0] * (9 - len(scores))
    score = scoring.phq9(answers(*scores))
    assert score.total == total
    assert score.band.name == band


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (10, "Moderate"), (14, "Moderate"), (15, "Severe"), (21, "Severe")],
)
def test_gad7_bands_follow_spitzer_2006(total, band):
    scores = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    scores += [0] * (7 - len(scores))
    assert scoring.gad7(answers(*scores)).band.name == band


def test_who5_runs_from_0_to_25_and_0_to_100_percent():
    assert (scoring.who5(answers(0, 0, 0, 0, 0)).total, scoring.who5(answers(0, 0, 0, 0, 0)).percentage) == (0, 0)
    top = scoring.who5(answers(5, 5, 5, 5, 5))
    assert (top.total, top.percentage, top.band.name) == (25, 100, "Usual range")
    assert scoring.who5(answers(1, 1, 2, 2, 1)).band.name == "Very low well-being"  # 7, 28%: the lower cut-off
    assert scoring.who5(answers(3, 3, 3, 2, 2)).band.name == "Usual range"  # 13, 52%


def test_gse_runs_from_10_to_40_without_bands():
    assert scoring.gse(answers(*[1] * 10)).total == 10
    assert scoring.gse(answers(*[4] * 10)).total == 40
    assert scoring.gse(answers(3, 3, 2, 3, 3, 4, 2, 3, 3, 3)).total == 29
    assert scoring.gse(answers(*[4] * 10)).band is None


def test_a_missing_answer_gives_no_total_and_says_how_many_are_missing():
    score = scoring.phq9(answers(1, 1, 1, 1, 1, 1, 1, 1))  # question 9 skipped
    assert score.total is None
    assert score.missing == 1
    assert score.band is None
    assert scoring.who5({"1": 3, "2": 2}).percentage is None


def test_the_check_in_has_no_total():
    score = scoring.check_in(answers(4, 4, 3, 5, 2))
    assert score.total is None
    assert score.items == {"1": 4, "2": 4, "3": 3, "4": 5, "5": 2}


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (answers(0, 0, 0, 0, 0, 0, 0, 0, 1), "item_9"),
        ({"9": 2}, "item_9"),  # at once, whatever else is still to answer
        (answers(3, 3, 3, 3, 3, 3, 2, 0, 0), "total"),  # 20
        (answers(3, 3, 3, 3, 3, 3, 2), "total"),  # 20 reached before the end
        (answers(3, 3, 3, 3, 3, 3, 1, 0, 0), ""),  # 19
        (answers(0, 0, 0, 0, 0, 0, 0, 0, 0), ""),
    ],
)
def test_the_safety_net_starts_on_question_9_above_0_or_a_total_of_20(given, reason):
    assert scoring.needs_safety_net("phq-9", given) == reason


def test_only_the_phq9_starts_the_safety_net():
    assert scoring.needs_safety_net("gad-7", answers(3, 3, 3, 3, 3, 3, 3)) == ""
    assert scoring.needs_safety_net("my-own", {"9": 3}) == ""
