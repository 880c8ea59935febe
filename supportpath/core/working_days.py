"""Working-day arithmetic for the pathway's target times.

Bank holidays come from the ``holidays`` package (England and Wales share one list), which is maintained
and updated for announced changes such as extra bank holidays — not from a list of our own.
"""

import datetime as dt
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date that is ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier).

    Counted by whole weeks and the bank holidays in between, not day by day: lists work this out for every row,
    and a request overdue for months would otherwise walk every day since (docs/scale.md)."""
    if end < start:
        return -working_days_between(end, start)
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    for year in range(start.year, end.year + 1):
        count -= sum(1 for day in _bank_holidays(year) if start < day <= end and day.weekday() < 5)
    return count
