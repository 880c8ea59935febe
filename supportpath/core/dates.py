"""How dates read on our pages: "Monday 3 March 2025", in UK time."""

import datetime as dt
from functools import lru_cache

from django.utils import timezone


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return _day_words(value)


@lru_cache(maxsize=4096)
def _day_words(day: dt.date) -> str:
    # A day always reads the same, and a page shows dozens (a case's targets, sessions and reviews): formatting
    # each once saves the strftime calls on every load.
    return f"{day:%A} {day.day} {day:%B %Y}"


def long_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.strftime("%I").lstrip("0")
    return f"{long_date(local)} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")
