"""Access-log rows for what the demo's staff did before the demo was seeded.

A real read writes its row at the moment it happens (``supportpath.audit.log.record_access``). The demo's
history happened before the moment of seeding, so its rows are written here with the moment each read would
have happened, chained exactly as ``record_access`` chains them (the same lock, tip and hash), so that
``verify_audit_chain`` passes and the doctor's "Who has seen my record" reads as it would in real life.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from supportpath.accounts.models import DoctorProfile, User
from supportpath.audit.log import ALL_LANES, chain_hash, chain_tips, lane_of, lock_chain
from supportpath.audit.models import AccessRecord


@dataclass(frozen=True)
class PastAccess:
    at: dt.datetime
    actor: User
    role: str
    organisation: str
    doctor: DoctorProfile
    action: str
    what: str
    obj: object  # the model instance read, as record_access's ``obj``
    purpose: str


def write(accesses: list[PastAccess]) -> int:
    """Append ``accesses`` to the access log, oldest first; returns how many rows were written."""
    accesses = sorted(accesses, key=lambda a: a.at)
    if not accesses:
        return 0
    with transaction.atomic():
        lock_chain()
        tips = chain_tips(ALL_LANES)
        rows = []
        for access in accesses:
            lane = lane_of(access.doctor.pk)
            row = AccessRecord(
                lane=lane,
                # UTC, as timezone.now() gives record_access: the hash covers the moment as text, and the
                # database gives it back in UTC.
                at=access.at.astimezone(dt.UTC),
                actor=access.actor,
                actor_name=access.actor.full_name,
                actor_role=access.role,
                actor_organisation=access.organisation,
                doctor=access.doctor,
                action=access.action,
                what=access.what,
                object_type=access.obj._meta.label_lower,
                object_id=str(access.obj.pk),
                purpose=access.purpose,
                previous_hash=tips[lane],
            )
            row.row_hash = tips[lane] = chain_hash(tips[lane], row)
            rows.append(row)
        AccessRecord.objects.bulk_create(rows)
    return len(rows)
