"""A practice check's results, through the disclosure rule: nothing from fewer than 5 answers, or while the
check is still open (so that no single answer can be seen arriving); then a profile of the five forms of peer
support and the four things that shape it, suggestions for each weak form, and the change since the
practice's previous check with results.

The profile's words ("happens for most", "mixed", "happens for few") come from the share of answers, but are
shown only once the disclosure rule allows the breakdown; the counts beside them follow the rule exactly."""

from dataclasses import dataclass

from supportpath.core import disclosure

from . import check_questions
from .models import CheckTally, PracticeCheck
from .services import MIN_ANSWERS

STRONG, MIXED, WEAK = "strong", "mixed", "weak"
BAND_WORDS = {STRONG: "Happens for most people", MIXED: "Mixed", WEAK: "Happens for few people"}
MODERATOR_WORDS = {STRONG: "Mostly helps", MIXED: "Mixed", WEAK: "Mostly hinders"}
RANK = {WEAK: 0, MIXED: 1, STRONG: 2}


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    band: str
    words: str
    counts: list[tuple[str, str, str]]  # (option label, shown count, shown percentage)
    total: str
    suggestions: tuple[str, ...]
    change: str  # since the previous check: "Stronger", "Weaker", "No change" or ""


@dataclass(frozen=True)
class Results:
    shown: bool
    reason: str
    forms: list[Line]
    moderators: list[Line]
    previous_number: int | None


def _tallies(check: PracticeCheck) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for t in CheckTally.objects.filter(check_record=check).only("question", "option", "count"):
        out.setdefault(t.question, {})[t.option] = t.count
    return out


def _band_form(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    share = sum(counts.get(o, 0) for o in check_questions.HOW_OFTEN_HAPPENS) / total if total else 0
    return STRONG if share >= 0.6 else MIXED if share >= 0.4 else WEAK


def _band_moderator(counts: dict[str, int]) -> str:
    helps, hinders = counts.get("helps", 0), counts.get("hinders", 0)
    return STRONG if helps > hinders else WEAK if hinders > helps else MIXED


def can_show(check: PracticeCheck) -> tuple[bool, str]:
    if check.is_open:
        return False, "Results are shown once the check has closed, so that no single answer can be seen arriving."
    if check.answers < MIN_ANSWERS:
        return (
            False,
            f"Fewer than {MIN_ANSWERS} people answered, so nothing can be shown without risking that someone "
            "is recognised.",
        )
    return True, ""


def _bands(check: PracticeCheck) -> dict[str, str]:
    tallies = _tallies(check)
    bands = {q.key: _band_form(tallies.get(q.key, {})) for q in check_questions.FORMS}
    bands.update({q.key: _band_moderator(tallies.get(q.key, {})) for q in check_questions.MODERATORS})
    return bands


def previous_with_results(check: PracticeCheck) -> PracticeCheck | None:
    for earlier in PracticeCheck.objects.filter(practice_id=check.practice_id, number__lt=check.number).order_by(
        "-number"
    ):
        if can_show(earlier)[0]:
            return earlier
    return None


def _change(now: str, before: str | None) -> str:
    if before is None:
        return ""
    if RANK[now] > RANK[before]:
        return "Stronger"
    if RANK[now] < RANK[before]:
        return "Weaker"
    return "No change"


def results(check: PracticeCheck) -> Results:
    shown, reason = can_show(check)
    if not shown:
        return Results(False, reason, [], [], None)
    tallies = _tallies(check)
    previous = previous_with_results(check)
    before = _bands(previous) if previous else {}

    def line(q: check_questions.Question, band: str, words: dict[str, str], is_form: bool) -> Line:
        counts = {value: tallies.get(q.key, {}).get(value, 0) for value, _ in q.options}
        shown_counts = disclosure.disclose_counts(counts, min_people=MIN_ANSWERS)
        return Line(
            key=q.key,
            title=q.title,
            band=band,
            words=words[band],
            counts=[(label, shown_counts.counts[v], shown_counts.percentages[v]) for v, label in q.options],
            total=shown_counts.total,
            suggestions=q.suggestions if is_form and band == WEAK else (),
            change=_change(band, before.get(q.key)),
        )

    bands = _bands(check)
    return Results(
        True,
        "",
        [line(q, bands[q.key], BAND_WORDS, True) for q in check_questions.FORMS],
        [line(q, bands[q.key], MODERATOR_WORDS, False) for q in check_questions.MODERATORS],
        previous.number if previous else None,
    )
