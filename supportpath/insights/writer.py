"""Keeping the fact record up to date as the pathway moves, from Django's own ``post_save`` signals of the
domain models (which therefore know nothing of this app).

Each save asks for the fact of its request to be written afresh once the transaction commits (nothing is
written for work that is rolled back), and a failure to write it never fails the work itself: it is logged,
and the ``backfill_insights`` command (by hand, or after a restore) puts every fact right."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save

from supportpath.casework.models import Case
from supportpath.closure.models import ExitFeedback
from supportpath.measures.models import Response
from supportpath.pathway.models import InitialConversation, NeedsAssessment, SupportSession
from supportpath.plans.models import PlanVersion, SupportPlan
from supportpath.progress.models import Closure, Review
from supportpath.referrals.models import SupportRequest, SupportRequestReason

from . import facts

log = logging.getLogger(__name__)
_state = threading.local()

# model -> how to find the request from one of its rows: ("request", field) or ("case", field)
SOURCES = {
    SupportRequest: ("request", "pk"),
    SupportRequestReason: ("request", "request_id"),
    Response: ("request", "request_id"),
    Case: ("request", "request_id"),
    InitialConversation: ("case", "case_id"),
    NeedsAssessment: ("case", "case_id"),
    SupportSession: ("case", "case_id"),
    Review: ("case", "case_id"),
    Closure: ("case", "case_id"),
    ExitFeedback: ("case", "case_id"),
    PlanVersion: ("plan", "plan_id"),
}


def paused() -> bool:
    return getattr(_state, "paused", False)


@contextlib.contextmanager
def pause() -> Iterator[None]:
    """No facts written inside (the demo builds its history, then backfills once)."""
    before = paused()
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def _request_id(kind: str, pk: int) -> int | None:
    if kind == "request":
        return pk
    if kind == "case":
        return Case.objects.filter(pk=pk).values_list("request_id", flat=True).first()
    return SupportPlan.objects.filter(pk=pk).values_list("case__request_id", flat=True).first()


def write(kind: str, pk: int) -> None:
    request_id = _request_id(kind, pk)
    if request_id is not None:
        facts.refresh(request_id)


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or paused():
        return
    kind, attribute = SOURCES[sender]
    pk = getattr(instance, attribute)
    if pk is not None:
        transaction.on_commit(partial(write, kind, pk), robust=True)


def connect() -> None:
    for model in SOURCES:
        post_save.connect(_saved, sender=model, dispatch_uid=f"insights-fact-{model._meta.label_lower}")
