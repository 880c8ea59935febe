"""Fact rows made directly, for the reports' tests (the writer has its own tests)."""

import datetime as dt

from ..models import Fact, FactFeedback, FactMeasure


def fact(service, *, month=dt.date(2026, 3, 1), measures=None, feedback=None, **fields) -> Fact:
    values = {
        "service": service,
        "referred_month": month,
        "route": "self",
        "self_referred": True,
        "stage": "received",
    }
    values.update(fields)
    made = Fact.objects.create(**values)
    for key, (first, closure) in (measures or {}).items():
        FactMeasure.objects.create(fact=made, measure=key, first_score=first, closure_score=closure)
    for statement, agreement in (feedback or {}).items():
        FactFeedback.objects.create(fact=made, statement=statement, agreement=agreement)
    return made
