"""Write the access log. Every scoped accessor calls ``record_access`` when someone other than the
doctor reaches the doctor's record."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

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


# Lists. A list page that shows doctors' names or requests is a read of each of those doctors' records too.
# Its rows point at the list (``object_type`` LIST, ``object_id`` the list's URL name) rather than at one record,
# and a person appears at most once per doctor per list per day, so the doctor's "who has seen my record" says
# "saw your name in the case managers' list" once a day, not at every reload.
LIST = "list"


@dataclass(frozen=True)
class Entry:
    """One doctor's record in a batch: whose, at which organisation, and what (when it is not a list)."""

    doctor: DoctorProfile
    organisation: str
    what: str = ""
    obj: object = None


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def _drop_seen_today(chosen: dict[int, "Entry"], actor: User, list_name: str) -> None:
    seen = AccessRecord.objects.filter(
        actor=actor, object_type=LIST, object_id=list_name, doctor_id__in=list(chosen), at__gte=_start_of_today()
    ).values_list("doctor_id", flat=True)
    for doctor_id in set(seen):
        chosen.pop(doctor_id, None)


def record_accesses(
    *,
    actor: User,
    role: str,
    action: str,
    purpose: str,
    entries: Iterable[Entry],
    what: str = "",
    list_name: str = "",
) -> list[AccessRecord]:
    """Log accesses to several doctors' records at once: one transaction, one lock on the chain, the hashes
    computed in order and the rows written in one INSERT (on SQLite, one per 76 rows: its limit of 999
    parameters), so a page costs the same queries however many doctors it shows. Never the actor's own
    record.

    With ``list_name``, the rows are sightings in that list (``what`` says what the list shows) and a doctor
    the actor has already seen in it today is not written again. Otherwise each entry says its own ``what``
    and ``obj``, as ``record_access`` would."""
    chosen: dict[int, Entry] = {}
    for entry in entries:
        if entry.doctor.user_id != actor.pk:
            chosen.setdefault(entry.doctor.pk, entry)
    if list_name:
        # Checked first without the lock, so reloading a list already logged today costs one query and
        # takes no lock; checked again under the lock, so two loads at the same moment write it once.
        _drop_seen_today(chosen, actor, list_name)
    if not chosen:
        return []
    with transaction.atomic():
        lock_chain()
        if list_name:
            _drop_seen_today(chosen, actor, list_name)
            if not chosen:
                return []
        previous_hash = chain_tip()
        now = timezone.now()
        records = []
        for entry in chosen.values():
            record = AccessRecord(
                at=now,
                actor=actor,
                actor_name=actor.full_name,
                actor_role=role,
                actor_organisation=entry.organisation,
                doctor=entry.doctor,
                action=action,
                what=what if list_name else entry.what,
                object_type=LIST if list_name else entry.obj._meta.label_lower,
                object_id=list_name if list_name else str(entry.obj.pk),
                purpose=purpose,
                previous_hash=previous_hash,
            )
            record.row_hash = chain_hash(previous_hash, record)
            previous_hash = record.row_hash
            records.append(record)
        # The ids follow the order of the list, which is the order of the chain.
        AccessRecord.objects.bulk_create(records)
    return records
