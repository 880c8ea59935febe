"""k-anonymity for the research export: the quasi-identifiers are generalised, one step at a time, until every
combination of them holds at least ``K`` people; whoever is still in a smaller combination is left out
(suppressed). What was done is reported, so the researcher knows what the columns mean.

Each quasi-identifier has a ladder of levels, from the value as recorded to "any". At each step the field with
the most distinct values still in use goes one level up (Sweeney's Datafly heuristic); once no more than
``SUPPRESS_AT_MOST`` of the people are in too-small combinations, they are suppressed instead."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

K = 5
SUPPRESS_AT_MOST = 0.05  # of the people
ANY = "any"
NOT_STATED = "not_stated"


def _known(value: str) -> str:
    return value if value and value != "prefer_not_to_say" else NOT_STATED


def _mapper(groups: dict[str, str]) -> Callable[[str], str]:
    return lambda value: groups.get(value, NOT_STATED if value == NOT_STATED else value)


@dataclass(frozen=True)
class Level:
    how: str  # in words, for the report
    apply: Callable[[str], str]


@dataclass(frozen=True)
class QuasiIdentifier:
    field: str
    label: str
    levels: tuple[Level, ...]  # level 0 is the value as recorded


AS_RECORDED = Level("as recorded", lambda v: v)
TO_ANY = Level("removed (every value shown as 'any')", lambda v: ANY)

QUASI_IDENTIFIERS = (
    QuasiIdentifier(
        "age_band",
        "Age band",
        (
            AS_RECORDED,
            Level(
                "grouped: under 36, 36 to 55, 56 and over",
                _mapper(
                    {
                        "under_25": "under_36",
                        "25_to_35": "under_36",
                        "36_to_45": "36_to_55",
                        "46_to_55": "36_to_55",
                        "56_to_65": "56_and_over",
                        "66_and_over": "56_and_over",
                    }
                ),
            ),
            TO_ANY,
        ),
    ),
    QuasiIdentifier("gender", "Gender", (AS_RECORDED, TO_ANY)),
    QuasiIdentifier(
        "ethnic_group",
        "Ethnic group",
        (
            AS_RECORDED,
            Level(
                "grouped: white, minority ethnic group",
                _mapper(
                    {
                        "white": "white",
                        "asian": "minority",
                        "black": "minority",
                        "mixed": "minority",
                        "other": "minority",
                    }
                ),
            ),
            TO_ANY,
        ),
    ),
    QuasiIdentifier(
        "qualification_region",
        "Primary medical qualification",
        (
            AS_RECORDED,
            Level(
                "grouped: UK, outside the UK", _mapper({"uk": "uk", "eea": "outside_uk", "international": "outside_uk"})
            ),
            TO_ANY,
        ),
    ),
    QuasiIdentifier(
        "career_stage",
        "Career stage",
        (
            AS_RECORDED,
            Level(
                "grouped: in training, not in training",
                _mapper(
                    {
                        "foundation": "in_training",
                        "specialty_trainee": "in_training",
                        "sas": "not_in_training",
                        "locally_employed": "not_in_training",
                        "consultant": "not_in_training",
                        "gp": "not_in_training",
                        "other": "not_in_training",
                    }
                ),
            ),
            TO_ANY,
        ),
    ),
    QuasiIdentifier("organisation_type", "Employing organisation type", (AS_RECORDED, TO_ANY)),
)
FIELDS = tuple(q.field for q in QUASI_IDENTIFIERS)


@dataclass(frozen=True)
class Result:
    kept: list[int]  # indexes of the rows kept
    values: dict[int, dict[str, str]]  # row index -> its generalised quasi-identifiers
    levels: dict[str, int]
    suppressed: int
    report: list[dict]  # [{"field", "label", "level", "how"}]


def _generalise(rows: Sequence[dict], levels: dict[str, int]) -> list[tuple[str, ...]]:
    return [
        tuple(q.levels[levels[q.field]].apply(_known(row.get(q.field, ""))) for q in QUASI_IDENTIFIERS) for row in rows
    ]


def k_of(combinations: Sequence[tuple]) -> int:
    """The size of the smallest combination (0 for no rows)."""
    return min(Counter(combinations).values(), default=0)


def anonymise(rows: Sequence[dict], k: int = K, people: Sequence | None = None) -> Result:
    """Generalise and suppress ``rows`` (each a mapping holding the quasi-identifier fields) to k-anonymity.
    ``people`` says whose each row is, so that a combination counts people, not rows (a doctor with two
    requests counts once); by default each row is a person."""
    people = list(range(len(rows))) if people is None else list(people)
    levels = {q.field: 0 for q in QUASI_IDENTIFIERS}
    allowed = int(SUPPRESS_AT_MOST * len(rows))
    while True:
        combos = _generalise(rows, levels)
        holders: dict[tuple, set] = {}
        for combo, person in zip(combos, people, strict=True):
            holders.setdefault(combo, set()).add(person)
        small = [i for i, c in enumerate(combos) if len(holders[c]) < k]
        climbable = [q for q in QUASI_IDENTIFIERS if levels[q.field] < len(q.levels) - 1]
        if len(small) <= allowed or not climbable:
            break
        position = {q.field: i for i, q in enumerate(QUASI_IDENTIFIERS)}
        # The field with the most distinct values in use goes up a level (ties: the first in the list).
        chosen = max(climbable, key=lambda q: (len({c[position[q.field]] for c in combos}), -position[q.field]))
        levels[chosen.field] += 1
    small_set = set(small)
    kept = [i for i in range(len(rows)) if i not in small_set]
    report = [
        {"field": q.field, "label": q.label, "level": levels[q.field], "how": q.levels[levels[q.field]].how}
        for q in QUASI_IDENTIFIERS
    ]
    return Result(
        kept=kept,
        values={i: dict(zip(FIELDS, combos[i], strict=True)) for i in kept},
        levels=levels,
        suppressed=len(small),
        report=report,
    )
