"""How dates read on our pages: "Monday 3 March 2025", in UK time."""

import datetime as dt

from django.utils import timezone


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%A} {value.day} {value:%B %Y}"


def long_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.strftime("%I").lstrip("0")
    return f"{long_date(local)} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")
