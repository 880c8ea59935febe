"""Records management in the demo: two doctors have asked the unit to erase their record (one is waiting for a
decision, one was answered: the record is kept because a mandated process needs it), and a first retention
run has happened, so the service admin's "Records and retention" page has something to show."""

import datetime as dt
import uuid

from supportpath.records import erasure
from supportpath.records.models import ErasureRequest, RetentionRun
from supportpath.records.retention import apply_retention
from supportpath.referrals.models import Status

from .people import NAMED_DOCTORS

DEMO_NAMESPACE = uuid.UUID("5b1f8c3e-4a52-4c8e-9d33-6f2a1e7c0b41")


def seed_erasure_requests_and_a_retention_run(demo) -> None:

    psu = demo.organisations["psu"]
    named = {spec.key for spec in NAMED_DOCTORS}
    unit = {k: r for k, r in sorted(demo.requests.items()) if k not in named and r.service_id == psu.pk}
    handed_over = [k for k, r in unit.items() if r.status == Status.HANDED_OVER]
    mandated = [k for k, r in unit.items() if r.mandated and r.status == Status.ACCEPTED]
    if not ErasureRequest.objects.filter(service=psu).exists() and handed_over and mandated:
        # Through the product's own rules, as history (nobody emailed): ``ask`` asks every service holding records.
        waiting = erasure.ask(
            demo.doctors[handed_over[0]],
            note="Practitioner Health are helping me now. I would rather nothing was kept here.",
            token=uuid.uuid5(DEMO_NAMESPACE, "waiting"),
            notify=False,
            at=demo.now - dt.timedelta(days=3),
        )
        asked = erasure.ask(
            demo.doctors[mandated[0]],
            note="",
            token=uuid.uuid5(DEMO_NAMESPACE, "declined"),
            notify=False,
            at=demo.now - dt.timedelta(days=20),
        )
        for erasure_request in (r for r in asked if r.service_id == psu.pk):  # the unit's admin answers the unit's
            erasure.decline(
                erasure_request,
                by=demo.staff["service_admin"],
                reason=(
                    "Your support is part of a process your responsible officer asked for, and that process needs "
                    "the record until it ends. We will keep only what it needs. When your case closes, you can ask "
                    "again and we will look at it afresh."
                ),
                notify=False,
                at=demo.now - dt.timedelta(days=12),
            )
        demo.created["requests to erase a record"] += len(waiting) + len(asked)
    if not RetentionRun.objects.exists():
        apply_retention(trigger=RetentionRun.Trigger.COMMAND)
        demo.created["retention runs"] += 1
