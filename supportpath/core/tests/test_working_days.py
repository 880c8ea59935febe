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
