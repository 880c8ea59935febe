import datetime as dt

import pytest

from supportpath.core.working_days import add_working_days, is_working_day, working_days_between


def test_weekends_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert not is_working_day(dt.date(2026, 11, 22))  # Sunday
    assert is_working_day(dt.date(2026, 11, 23))


def test_bank_holidays_in_england_and_wales_are_skipped():
    # Christmas Day 2026 is a Friday; Boxing Day falls on Saturday, so the substitute is Monday 28th.
    assert not is_working_day(dt.date(2026, 12, 25))
    assert not is_working_day(dt.date(2026, 12, 28))
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)


def test_scottish_only_holidays_do_not_count():
    # 2 January is a bank holiday in Scotland, not in England and Wales.
    assert is_working_day(dt.date(2026, 1, 2))


def test_five_working_days_from_a_thursday_lands_on_the_next_thursday():
    assert add_working_days(dt.date(2026, 11, 19), 5) == dt.date(2026, 11, 26)


def test_easter_is_skipped():
    # Good Friday 3 April 2026 and Easter Monday 6 April 2026.
    assert add_working_days(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)


def test_working_days_between_counts_both_ways():
    assert working_days_between(dt.date(2026, 11, 19), dt.date(2026, 11, 26)) == 5
    assert working_days_between(dt.date(2026, 11, 26), dt.date(2026, 11, 19)) == -5


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 1), -1)


def _counted_day_by_day(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


STARTS = [dt.date(2015, 12, 20) + dt.timedelta(days=n) for n in range(0, 4000, 37)]
LENGTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 40, 365, 800, 3700]


def test_working_days_between_agrees_with_counting_day_by_day():
    # Counted by weeks and bank holidays (lists work it out for every row); the same as walking every day,
    # across weekends, Christmas, Easter and the turn of the year: 1,744 spans, one test (a failure names its span).
    for start in STARTS:
        for length in LENGTHS:
            end = start + dt.timedelta(days=length)
            assert working_days_between(start, end) == _counted_day_by_day(start, end), (start, end)
            assert working_days_between(end, start) == -_counted_day_by_day(start, end), (end, start)


def test_working_days_between_a_christmas_and_new_year():
    # 25, 28 December 2026 and 1 January 2027 are bank holidays: 24 Dec (Thu) to 4 Jan (Mon) leaves 29, 30,
    # 31 December and 4 January.
    assert working_days_between(dt.date(2026, 12, 24), dt.date(2027, 1, 4)) == 4
