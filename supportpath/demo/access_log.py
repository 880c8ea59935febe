"""Access-log rows for what the demo's staff did before the demo was seeded.

A real read writes its row at the moment it happens (``supportpath.audit.log.record_access``). The demo's
history happened before the moment of seeding, so each of its rows is written through that same service with
``at=`` the moment the read would have happened, oldest first, so that each lane's chain follows time,
``verify_audit_chain`` passes and the doctor's "Who has seen my record" reads as it would in real life.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from supportpath.accounts.models import DoctorProfile, User
from supportpath.audit.log import record_access


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
    """Log ``accesses`` through ``record_access``, oldest first; returns how many rows were written (a doctor's
    read of their own record is not logged, as in real life)."""
    written = 0
    with transaction.atomic():  # one commit for the whole history, not one a row
        for access in sorted(accesses, key=lambda a: a.at):
            row = record_access(
                actor=access.actor,
                role=access.role,
                organisation=access.organisation,
                doctor=access.doctor,
                action=access.action,
                what=access.what,
                obj=access.obj,
                purpose=access.purpose,
                at=access.at,
            )
            written += row is not None
    return written
