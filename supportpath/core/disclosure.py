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
