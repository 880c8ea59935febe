"""The disclosure rule (DESIGN.md §6) for every number shown outside a case, so that nobody can be singled out.

- **No breakdown from too few people.** A table whose people number fewer than ``min_people`` (10 by default)
  shows nothing at all; ``DisclosedTable.shown`` is False and every figure is blank.
- **Small counts are hidden.** Within a shown table, a count from 1 to 7 shows as ``*``; zero shows as ``0``.
- **Other counts are rounded** to the nearest 5 (8 shows as ``10``, 22 as ``20``), totals too.
- **Percentages come from the rounded figures**, never from the true ones, and are hidden with their count.
- **Secondary suppression.** A row or a column with its total is a sum: if only one of its figures were hidden,
  the total less the figures shown would give it back (roughly, even after rounding). So wherever a sum has
  exactly one hidden figure, a second one is hidden too: the smallest other cell of that sum (a total only
  when no cell is left). This repeats until no sum has exactly one hidden figure.

Use ``disclose_table`` for a table of counts with its totals, and ``disclose_counts`` for one row (the answers
to one question, say). Callers may ask for a lower ``min_people`` where their issue says so (a GP practice's
peer-support check shows results from 5 answers); the rest of the rule never changes.

Rounding also defeats differencing between two shown tables over nearly the same people (one person more or
fewer rarely changes a rounded figure, and never reveals which way they answered); the tests show an example.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_PEOPLE = 10
SMALLEST_SHOWN = 8  # counts 1..7 are hidden
ROUND_TO = 5
HIDDEN = "*"
NOT_SHOWN = ""


def round_count(n: int) -> int:
    """The nearest multiple of 5 (halves cannot occur with whole numbers)."""
    if n < 0:
        raise ValueError("A count cannot be negative")
    return ROUND_TO * ((n + ROUND_TO // 2) // ROUND_TO)


def is_small(n: int) -> bool:
    return 0 < n < SMALLEST_SHOWN


def show_count(n: int) -> str:
    """One count on its own, by the rule: ``*`` for 1-7, otherwise rounded to the nearest 5."""
    if is_small(n):
        return HIDDEN
    return str(round_count(n))


def percent(part: str, whole: str) -> str:
    """A percentage computed from two displayed (rounded) figures; hidden if either is hidden or blank."""
    if part in (HIDDEN, NOT_SHOWN) or whole in (HIDDEN, NOT_SHOWN) or int(whole) == 0:
        return HIDDEN if part == HIDDEN or whole == HIDDEN else NOT_SHOWN
    return f"{round(100 * int(part) / int(whole))}%"


@dataclass(frozen=True)
class DisclosedTable:
    """What may be shown of a table of counts: every figure as a display string."""

    shown: bool
    cells: list[list[str]]
    row_totals: list[str]
    column_totals: list[str]
    total: str
    row_percentages: list[list[str]] = field(default_factory=list)  # each cell as a share of its row's total

    def hidden(self, row: int, column: int) -> bool:
        return self.cells[row][column] == HIDDEN


def _blank(rows: int, columns: int) -> DisclosedTable:
    return DisclosedTable(
        shown=False,
        cells=[[NOT_SHOWN] * columns for _ in range(rows)],
        row_totals=[NOT_SHOWN] * rows,
        column_totals=[NOT_SHOWN] * columns,
        total=NOT_SHOWN,
        row_percentages=[[NOT_SHOWN] * columns for _ in range(rows)],
    )


def disclose_table(
    counts: Sequence[Sequence[int]],
    *,
    people: int | None = None,
    min_people: int = MIN_PEOPLE,
) -> DisclosedTable:
    """The display strings for a table of counts (rows of cells), its row totals, column totals and grand total.

    ``people`` is how many people the table is about, when that is not the grand total (a question several
    answers of one person could fall under); by default it is the grand total."""
    grid = [list(row) for row in counts]
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    if any(len(row) != n_cols for row in grid):
        raise ValueError("Every row needs the same number of cells")
    if any(c < 0 for row in grid for c in row):
        raise ValueError("A count cannot be negative")
    row_sums = [sum(row) for row in grid]
    col_sums = [sum(grid[r][c] for r in range(n_rows)) for c in range(n_cols)]
    grand = sum(row_sums)
    if (grand if people is None else people) < min_people:
        return _blank(n_rows, n_cols)

    # Every figure, keyed: ("cell", r, c), ("row", r), ("col", c), ("all",), with its true value.
    value: dict[tuple, int] = {("all",): grand}
    for r in range(n_rows):
        value[("row", r)] = row_sums[r]
        for c in range(n_cols):
            value[("cell", r, c)] = grid[r][c]
    for c in range(n_cols):
        value[("col", c)] = col_sums[c]
    hidden = {key for key, v in value.items() if is_small(v)}

    # The sums a reader could subtract along: each row with its total, each column with its total, and the
    # row totals (and column totals) with the grand total.
    sums: list[tuple[list[tuple], tuple]] = []
    for r in range(n_rows):
        sums.append(([("cell", r, c) for c in range(n_cols)], ("row", r)))
    for c in range(n_cols):
        sums.append(([("cell", r, c) for r in range(n_rows)], ("col", c)))
    sums.append(([("row", r) for r in range(n_rows)], ("all",)))
    sums.append(([("col", c) for c in range(n_cols)], ("all",)))

    changed = True
    while changed:
        changed = False
        for parts, total in sums:
            members = [*parts, total]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            # Hide a second figure: the smallest other part (a zero last, since hiding it protects little
            # but is still needed when nothing else is left), else the total itself.
            candidates = [m for m in parts if m not in hidden]
            if candidates:
                choice = min(candidates, key=lambda m: (value[m] == 0, value[m], m))
            else:
                choice = total
            hidden.add(choice)
            changed = True

    def display(key: tuple) -> str:
        return HIDDEN if key in hidden else str(round_count(value[key]))

    cells = [[display(("cell", r, c)) for c in range(n_cols)] for r in range(n_rows)]
    row_totals = [display(("row", r)) for r in range(n_rows)]
    return DisclosedTable(
        shown=True,
        cells=cells,
        row_totals=row_totals,
        column_totals=[display(("col", c)) for c in range(n_cols)],
        total=display(("all",)),
        row_percentages=[[percent(cells[r][c], row_totals[r]) for c in range(n_cols)] for r in range(n_rows)],
    )


@dataclass(frozen=True)
class DisclosedCounts:
    """One row of counts (the answers to one question), by label."""

    shown: bool
    counts: dict[str, str]
    percentages: dict[str, str]
    total: str


def disclose_counts(counts: Mapping[str, int], *, min_people: int = MIN_PEOPLE) -> DisclosedCounts:
    """``disclose_table`` for a single row, keyed by label (answers, say), with its total."""
    labels = list(counts)
    table = disclose_table([[counts[label] for label in labels]], min_people=min_people)
    return DisclosedCounts(
        shown=table.shown,
        counts=dict(zip(labels, table.cells[0], strict=True)),
        percentages=dict(zip(labels, table.row_percentages[0], strict=True)),
        total=table.row_totals[0],
    )


# --- Choices that would isolate someone ------------------------------------------------------------------------
#
# A report page lets its reader choose a period (whole months) and a part of the service (an organisation, say).
# Rounding and hiding protect each table; these rules protect the choices themselves, against a reader who
# compares two allowed views whose difference is a handful of people:
#
# - **Too few chosen.** A choice that leaves 1 to 9 people (``min_people``) is refused.
# - **Too few left out.** A choice that leaves out 1 to 9 people of the whole it is part of is refused: the
#   whole less the part would give them back (the service's own figures less one organisation's, say).
# - **Thin edges.** A period is refused when its first or its last month has fewer than ``min_people`` people.
#   Then the difference between any two allowed periods (one inside the other, or overlapping, or one month
#   longer) always includes a whole edge month of one of them, so it is never about fewer than 10 people.
#
# Each refusal is a plain sentence the page shows instead of the numbers.


def selection_refusal(
    *,
    chosen: int,
    whole: int | None = None,
    first_month: int | None = None,
    last_month: int | None = None,
    min_people: int = MIN_PEOPLE,
) -> str:
    """Why this choice of period and part may not be shown, or "" when it may.

    ``chosen`` is how many people the chosen view is about; ``whole`` how many the same period holds without
    the part chosen (None when nothing was narrowed); ``first_month`` and ``last_month`` how many people the
    chosen view has in the period's first and last month (None for a period that is not a range of months)."""
    if chosen < 0 or (whole is not None and whole < chosen):
        raise ValueError("A choice cannot hold fewer than none, nor more than the whole")
    if chosen < min_people:
        return (
            f"Fewer than {min_people} people match these choices, so no figures are shown: one of them could be "
            "recognised. Choose a longer period or the whole service."
        )
    if whole is not None and 0 < whole - chosen < min_people:
        return (
            f"These choices leave out fewer than {min_people} people of the whole service in the period, so comparing "
            "them with the whole service would show those people. Choose the whole service or another part."
        )
    for edge, count in (("first", first_month), ("last", last_month)):
        if count is not None and count < min_people:
            return (
                f"The {edge} month of the period has fewer than {min_people} people, so comparing this period with "
                f"a slightly {'later' if edge == 'first' else 'earlier'}-ending one could show them. Start or end "
                "the period on a busier month."
            )
    return ""


def disclose_statistic(value: float | None, people: int, *, digits: int = 1, min_people: int = MIN_PEOPLE) -> str:
    """A statistic of several people (a median, a mean, an interval's end): shown, to ``digits`` places, only when
    it is about at least ``min_people`` people; otherwise blank."""
    if value is None or people < min_people:
        return NOT_SHOWN
    return f"{value:.{digits}f}"
