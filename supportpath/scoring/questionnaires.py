"""Scoring, as each instrument's source says, in plain functions with no database (tested against the sources'
examples in tests/test_questionnaires.py). Answers are ``{linkId: score}`` with the scores the definitions give
each option; a question the doctor skipped is simply absent.

Missing answers (docs/measures.md says the same): the validated instruments are scored only when every item is
answered. We found no rule in their sources that we were willing to apply for prorating, so a partial answer
shows how many questions were left and no total. The safety net does not wait for a total: PHQ-9 question 9
above 0, or answers already adding up to 20 or more, raise it however many questions are left.
A definition loaded by a service admin is scored as the plain sum of the answers given, shown only when every
question is answered. The check-in has no total: each statement is read on its own.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

PHQ9_SAFETY_ITEM = "9"
PHQ9_SAFETY_TOTAL = 20


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    name: str  # the source's label
    words: str  # what it means, in plain words for the doctor


@dataclass(frozen=True)
class Score:
    total: int | None  # None when not every question was answered (or the instrument has no total)
    minimum: int | None
    maximum: int | None
    answered: int
    questions: int
    band: Band | None = None
    percentage: int | None = None  # WHO-5 only
    items: dict[str, int] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return self.questions - self.answered

    @property
    def complete(self) -> bool:
        return self.missing == 0


WHO5_BANDS = (
    Band(0, 7, "Very low well-being", "Your well-being has been very low. Please talk to your GP about how you feel."),
    Band(8, 12, "Low well-being", "Your well-being has been lower than usual. Talking to someone may help."),
    Band(13, 25, "Usual range", "Your well-being is in the range most people report."),
)
PHQ9_BANDS = (
    Band(0, 4, "None to minimal", "Few or no signs of low mood."),
    Band(5, 9, "Mild", "Some signs of low mood."),
    Band(10, 14, "Moderate", "A moderate level of low mood. Talking to your GP could help."),
    Band(15, 19, "Moderately severe", "A high level of low mood. Please talk to your GP soon."),
    Band(20, 27, "Severe", "A very high level of low mood. Please talk to your GP or get help today."),
)
GAD7_BANDS = (
    Band(0, 4, "Minimal", "Few or no signs of anxiety."),
    Band(5, 9, "Mild", "Some signs of anxiety."),
    Band(10, 14, "Moderate", "A moderate level of anxiety. Talking to your GP could help."),
    Band(15, 21, "Severe", "A high level of anxiety. Please talk to your GP soon."),
)


def band_for(total: int | None, bands: tuple[Band, ...]) -> Band | None:
    if total is None:
        return None
    return next((b for b in bands if b.low <= total <= b.high), None)


def _clean(answers: Mapping[str, int], link_ids: list[str]) -> dict[str, int]:
    return {link_id: int(answers[link_id]) for link_id in link_ids if answers.get(link_id) is not None}


def summed(
    answers: Mapping[str, int], link_ids: list[str], minimum: int, maximum: int, bands: tuple[Band, ...] = ()
) -> Score:
    given = _clean(answers, link_ids)
    total = sum(given.values()) if len(given) == len(link_ids) else None
    return Score(
        total=total,
        minimum=minimum,
        maximum=maximum,
        answered=len(given),
        questions=len(link_ids),
        band=band_for(total, bands),
        items=given,
    )


def _ids(n: int) -> list[str]:
    return [str(i) for i in range(1, n + 1)]


def who5(answers: Mapping[str, int]) -> Score:
    """Raw 0-25 (five items 0-5); the percentage is the raw score times 4 (Topp et al. 2015)."""
    score = summed(answers, _ids(5), 0, 25, WHO5_BANDS)
    percentage = score.total * 4 if score.total is not None else None
    return Score(**{**score.__dict__, "percentage": percentage})


def phq9(answers: Mapping[str, int]) -> Score:
    """0-27 (nine items 0-3), bands of Kroenke et al. 2001."""
    return summed(answers, _ids(9), 0, 27, PHQ9_BANDS)


def gad7(answers: Mapping[str, int]) -> Score:
    """0-21 (seven items 0-3), bands of Spitzer et al. 2006."""
    return summed(answers, _ids(7), 0, 21, GAD7_BANDS)


def gse(answers: Mapping[str, int]) -> Score:
    """10-40 (ten items 1-4), Schwarzer and Jerusalem 1995. The source gives no bands."""
    return summed(answers, _ids(10), 10, 40)


def check_in(answers: Mapping[str, int]) -> Score:
    """No total: not a validated scale, each statement is read on its own."""
    given = _clean(answers, _ids(5))
    return Score(total=None, minimum=None, maximum=None, answered=len(given), questions=5, items=given)


def plain_sum(answers: Mapping[str, int], link_ids: list[str], minimum: int, maximum: int) -> Score:
    return summed(answers, link_ids, minimum, maximum)


SCORERS = {"who-5": who5, "phq-9": phq9, "gad-7": gad7, "gse": gse, "check-in": check_in}


def needs_safety_net(key: str, answers: Mapping[str, int]) -> str:
    """Why the safety net must start, or "" when it need not: PHQ-9 question 9 above 0, or a total of 20 or more
    (counted from the answers given so far, so a partial answer that already reaches 20 counts)."""
    if key != "phq-9":
        return ""
    given = _clean(answers, _ids(9))
    if given.get(PHQ9_SAFETY_ITEM, 0) > 0:
        return "item_9"
    if sum(given.values()) >= PHQ9_SAFETY_TOTAL:
        return "total"
    return ""
