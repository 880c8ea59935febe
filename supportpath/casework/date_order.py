"""Records of a case hang together in time: a session is not dated before the facilitator accepted, a review
not before the plan was agreed, a needs assessment's conversation not before the request was accepted (pathway's
own rule, ``pathway.services.conversation_not_before``: the conversation may be held earlier than arranged, so
its arranged date is no limit).

Each app that knows the first possible date of a kind of record registers it (``register`` in its
AppConfig.ready()), so the forms that record them (pathway, progress) ask here without importing the apps
that know (which would point imports upwards)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from supportpath.core.dates import long_date

from .models import Case


@dataclass(frozen=True)
class NotBefore:
    on: dt.date
    because: str  # "the facilitator accepted the case": follows "the day" in the message


_RULES: dict[str, Callable[[Case], NotBefore | None]] = {}


def register(record: str, rule: Callable[[Case], NotBefore | None]) -> None:
    _RULES[record] = rule


def not_before(record: str, case: Case) -> NotBefore | None:
    rule = _RULES.get(record)
    return rule(case) if rule else None


def check(value: dt.date, limit: NotBefore | None, what: str) -> dt.date:
    """Refuse ``value`` if it comes before ``limit``, saying which date and why."""
    if limit is not None and value < limit.on:
        raise forms.ValidationError(
            f"The date of the {what} cannot be before {long_date(limit.on)}, the day {limit.because}"
        )
    return value
