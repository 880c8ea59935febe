import pytest

from supportpath.core.disclosure import (
    HIDDEN,
    disclose_counts,
    disclose_table,
    percent,
    round_count,
    show_count,
)


@pytest.mark.parametrize(("n", "rounded"), [(0, 0), (8, 10), (10, 10), (12, 10), (13, 15), (22, 20), (23, 25)])
def test_counts_round_to_the_nearest_five(n, rounded):
    assert round_count(n) == rounded


@pytest.mark.parametrize("n", range(1, 8))
def test_counts_from_one_to_seven_are_hidden(n):
    assert show_count(n) == HIDDEN


def test_zero_and_eight_are_shown():
    assert show_count(0) == "0"
    assert show_count(8) == "10"


def test_a_table_about_fewer_than_ten_people_shows_nothing():
    table = disclose_table([[4, 5]])
    assert not table.shown
    assert table.cells == [["", ""]]
    assert table.total == ""


def test_a_lower_minimum_can_be_asked_for_and_nothing_below_it_is_shown():
    assert not disclose_counts({"yes": 2, "no": 2}, min_people=5).shown
    shown = disclose_counts({"yes": 3, "no": 2}, min_people=5)
    assert shown.shown
    assert shown.counts == {"yes": HIDDEN, "no": HIDDEN}
    assert shown.total == HIDDEN


def test_percentages_come_from_the_rounded_figures():
    counts = disclose_counts({"often": 12, "rarely": 23})
    assert counts.counts == {"often": "10", "rarely": "25"}
    assert counts.total == "35"
    # 10/35, not the true 12/35.
    assert counts.percentages == {"often": "29%", "rarely": "71%"}
    assert percent(HIDDEN, "35") == HIDDEN


def test_a_row_total_would_give_back_a_hidden_cell_so_a_second_cell_is_hidden():
    # Differencing: 35 - 10 - 20 = 5, close to the hidden 3. The smallest other cell is hidden too.
    table = disclose_table([[3, 12, 20]])
    assert table.cells == [[HIDDEN, HIDDEN, "20"]]
    assert table.row_totals == ["35"]


def test_a_column_total_is_protected_as_well_as_a_row_total():
    table = disclose_table([[3, 30], [40, 50]])
    # The 3 is hidden; its row (3 + 30 = 33) and its column (3 + 40 = 43) each get a second hidden figure,
    # and the hidden figures they add are protected in turn: no sum is left with exactly one hidden.
    hidden = {(r, c) for r in range(2) for c in range(2) if table.hidden(r, c)}
    assert (0, 0) in hidden
    assert len(hidden) >= 2
    rows = [[table.cells[r][c] for c in range(2)] + [table.row_totals[r]] for r in range(2)]
    columns = [[table.cells[r][c] for r in range(2)] + [table.column_totals[c]] for c in range(2)]
    for line in rows + columns:
        assert line.count(HIDDEN) != 1


def test_a_hidden_cell_in_a_row_of_zeros_hides_the_total():
    # 0 + 0 + 6: with the 6 hidden and the zeros shown, the total would say it.
    table = disclose_table([[0, 0, 6], [5, 5, 5]])
    assert table.cells[0] == ["0", "0", HIDDEN] or table.row_totals[0] == HIDDEN
    assert [table.cells[0][0], table.cells[0][1], table.cells[0][2], table.row_totals[0]].count(HIDDEN) >= 2


def test_differencing_two_tables_one_person_apart_reveals_nothing():
    # The same question before and after one more person answered. The true difference says how they
    # answered; the shown figures do not change, so nothing can be learnt by subtracting.
    before = disclose_counts({"often": 20, "rarely": 11})
    after = disclose_counts({"often": 21, "rarely": 11})
    assert before == after


def test_negative_counts_and_ragged_tables_are_refused():
    with pytest.raises(ValueError):
        disclose_table([[1, -1]])
    with pytest.raises(ValueError):
        disclose_table([[1, 2], [3]])


# --- Choices that would isolate someone, and differencing between two allowed views ---------------------------

from supportpath.core.disclosure import disclose_statistic, selection_refusal  # noqa: E402


def test_a_choice_of_fewer_than_ten_people_is_refused_with_a_plain_reason():
    assert "Fewer than 10 people" in selection_refusal(chosen=9)
    assert selection_refusal(chosen=10) == ""
    assert selection_refusal(chosen=0)  # nothing at all is refused too: there is nothing to learn from


def test_a_part_that_leaves_out_fewer_than_ten_is_refused():
    # 40 people in the whole service, 35 of them at one trust: the whole less the trust is 5 people.
    assert "leave out fewer than 10" in selection_refusal(chosen=35, whole=40)
    assert selection_refusal(chosen=30, whole=40) == ""
    assert selection_refusal(chosen=40, whole=40) == ""  # the part is the whole: nothing is left out


def test_a_period_with_a_thin_edge_month_is_refused():
    assert "first month" in selection_refusal(chosen=60, first_month=3, last_month=20)
    assert "last month" in selection_refusal(chosen=60, first_month=20, last_month=0)
    assert selection_refusal(chosen=60, first_month=10, last_month=12) == ""


def allowed_periods(months: list[int]):
    """Every range of months (start, end) the rule allows over a series of monthly counts."""
    for start in range(len(months)):
        for end in range(start, len(months)):
            chosen = sum(months[start : end + 1])
            if not selection_refusal(chosen=chosen, first_month=months[start], last_month=months[end]):
                yield start, end


def test_differencing_two_allowed_periods_never_reveals_fewer_than_ten():
    # A quiet service: some months have one or two people.
    months = [12, 3, 0, 15, 1, 11, 2, 10, 25, 4]
    periods = list(allowed_periods(months))
    assert periods  # some views are allowed ...
    for a_start, a_end in periods:
        for b_start, b_end in periods:
            a = set(range(a_start, a_end + 1))
            b = set(range(b_start, b_end + 1))
            difference = sum(months[m] for m in a - b)
            assert difference == 0 or difference >= 10, (a_start, a_end, b_start, b_end)


def test_the_attack_the_edge_rule_stops():
    # January to March has 30 people; January to April adds one person in April. Both would pass "at least
    # ten people", and their difference would be that one person: April's edge is refused.
    assert selection_refusal(chosen=30, first_month=10, last_month=10) == ""
    assert "last month" in selection_refusal(chosen=31, first_month=10, last_month=1)


def test_differencing_a_part_against_the_whole_is_refused():
    # North has 50 people; its trust 45 of them, the practice 5. The practice alone is refused (too few), and the
    # trust is refused too, since the whole less the trust is the practice.
    assert selection_refusal(chosen=5, whole=50)
    assert selection_refusal(chosen=45, whole=50)


def test_statistics_of_fewer_than_ten_people_are_not_shown():
    assert disclose_statistic(4.25, 10) == "4.2" or disclose_statistic(4.25, 10) == "4.3"
    assert disclose_statistic(4.25, 9) == ""
    assert disclose_statistic(None, 100) == ""
    assert disclose_statistic(12.0, 20, digits=0) == "12"
