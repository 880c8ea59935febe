"""Write the access log. Every scoped accessor calls ``record_access`` when someone other than the
doctor reaches the doctor's record."""

import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, User

from .models import AccessRecord

GENESIS = "0" * 64
# Any fixed number: the PostgreSQL advisory lock that gives the chain a single order across writers.
CHAIN_LOCK = 748_201


def canonical_content(record: AccessRecord) -> str:
    """The content a row's hash covers, in a fixed order and format."""
    return json.dumps(
        {
            "at": record.at.isoformat(),
            "actor_id": record.actor_id,
            "actor_name": record.actor_name,
            "actor_role": record.actor_role,
            "actor_organisation": record.actor_organisation,
            "doctor_id": record.doctor_id,
            "action": record.action,
            "what": record.what,
            "object_type": record.object_type,
            "object_id": record.object_id,
            "purpose": record.purpose,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def chain_hash(previous_hash: str, record: AccessRecord) -> str:
    return hashlib.sha256((previous_hash + canonical_content(record)).encode()).hexdigest()


def lock_chain() -> None:
    """Serialise everyone who extends or trims the chain, so it has one order. Call inside a transaction. On
    SQLite the database's write lock, taken at the start of each transaction, already does this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


# One query, so that logging an access costs the same whether or not retention has emptied the log.
CHAIN_TIP_SQL = """
SELECT COALESCE(
    (SELECT row_hash FROM audit_accessrecord ORDER BY id DESC LIMIT 1),
    (SELECT last_removed_hash FROM records_chaincheckpoint ORDER BY id DESC LIMIT 1)
)
"""


def chain_tip() -> str:
    """The hash the next row follows: the last row's, or, when retention has removed every row, the hash of
    the last row removed (kept in the latest checkpoint, ``records.ChainCheckpoint``), or the genesis."""
    with connection.cursor() as cursor:
        cursor.execute(CHAIN_TIP_SQL)
        (tip,) = cursor.fetchone()
    return tip or GENESIS


def record_access(
    *,
    actor: User,
    role: str,
    organisation: str,
    doctor: DoctorProfile,
    action: str,
    what: str,
    obj,
    purpose: str,
) -> AccessRecord | None:
    """Log an access to ``doctor``'s record. Nothing is logged when doctors read their own record."""
    if doctor.user_id == actor.pk:
        return None
    with transaction.atomic():
        lock_chain()
        previous_hash = chain_tip()
        record = AccessRecord(
            at=timezone.now(),
            actor=actor,
            actor_name=actor.full_name,
            actor_role=role,
            actor_organisation=organisation,
            doctor=doctor,
            action=action,
            what=what,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            purpose=purpose,
            previous_hash=previous_hash,
        )
        record.row_hash = chain_hash(previous_hash, record)
        record.save()
    return record
