"""Write the access log. Every scoped accessor calls ``record_access`` when someone other than the
doctor reaches the doctor's record.

The log is tamper-evident: each row's hash covers the hash of the row before it in its lane and its own
content (``audit.chain`` checks it). There is no lock across the whole log: each doctor's rows go in one of
``LANES`` lanes, each with its own lock, so reads of different doctors' records are logged side by side
(issue "national scale": one installation-wide lock serialised every record view in the country)."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, User
from supportpath.core.written_out import database_for, rows

from .models import AccessRecord

GENESIS = "0" * 64
# The PostgreSQL advisory locks that give each lane of the chain a single order across writers: the pair
# (CHAIN_LOCK, lane). Any fixed number.
CHAIN_LOCK = 748_201
# The log is not one chain but LANES + 1 chains ("lanes"), so that logging a read of one doctor's record never
# waits for a read of another's: a doctor's rows go in lane 1 + (doctor id mod LANES), each lane chained on its
# own, each row saying its lane. Lane 0 holds the rows written before lanes existed (one chain, as they were).
# Changing LANES later is safe: every row keeps the lane it was written in.
LANES = 64
LEGACY_LANE = 0
ALL_LANES = range(LANES + 1)


def lane_of(doctor_id: int) -> int:
    return 1 + doctor_id % LANES


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


def lock_lanes(lanes: Iterable[int]) -> None:
    """Serialise everyone who extends or trims these lanes, so each has one order. Call inside a transaction.
    The locks are taken in lane order in one statement (so two writers never wait for each other in a circle);
    on SQLite the database's write lock, taken at the start of each transaction, already does this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # unnest returns the sorted array's elements in order, and each row takes its lock as it comes.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::int, lane) FROM unnest(%s::int[]) AS lane",
                [CHAIN_LOCK, sorted(set(lanes))],
            )


def lock_chain() -> None:
    """Lock every lane: for whoever trims the whole log (retention) or writes across it (the demo)."""
    lock_lanes(ALL_LANES)


# One query, however many lanes, so that logging costs the same whether or not retention has emptied the log:
# each lane's last row (by the index on lane and id), and the latest checkpoint's hashes for lanes it emptied.
LANE_TIP_SQL = """
SELECT lanes.lane,
    (SELECT row_hash FROM audit_accessrecord a WHERE a.lane = lanes.lane ORDER BY a.id DESC LIMIT 1),
    (SELECT lane_hashes FROM records_chaincheckpoint ORDER BY id DESC LIMIT 1),
    (SELECT last_removed_hash FROM records_chaincheckpoint ORDER BY id DESC LIMIT 1)
FROM ({lanes}) AS lanes
"""


def checkpoint_start(lane: int, lane_hashes: dict | None, last_removed_hash: str | None) -> str:
    """The hash a lane's first remaining row follows after the checkpoint: the lane's last removed row's, kept in
    the checkpoint; for a checkpoint made before lanes existed, its one hash is lane 0's."""
    if lane_hashes and str(lane) in lane_hashes:
        return lane_hashes[str(lane)]
    if not lane_hashes and lane == LEGACY_LANE and last_removed_hash:
        return last_removed_hash
    return GENESIS


def chain_tips(lanes: Iterable[int]) -> dict[int, str]:
    """The hash each lane's next row follows: its last row's, or, when retention has removed every row of the
    lane, the hash of its last row removed (kept in the latest checkpoint), or the genesis."""
    lanes = sorted(set(lanes))
    union = " UNION ALL ".join(["SELECT %s AS lane"] * len(lanes))
    with connection.cursor() as cursor:
        cursor.execute(LANE_TIP_SQL.format(lanes=union), lanes)
        rows = cursor.fetchall()
    tips = {}
    for lane, row_hash, lane_hashes, last_removed_hash in rows:
        if isinstance(lane_hashes, str):
            lane_hashes = json.loads(lane_hashes)
        tips[int(lane)] = row_hash or checkpoint_start(int(lane), lane_hashes, last_removed_hash)
    return tips


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
    at: dt.datetime | None = None,
) -> AccessRecord | None:
    """Log an access to ``doctor``'s record. Nothing is logged when doctors read their own record. ``at`` is
    when it happened, for the demo's history (now, otherwise): the chain follows the order rows are written."""
    if doctor.user_id == actor.pk:
        return None
    lane = lane_of(doctor.pk)
    with transaction.atomic():
        lock_lanes([lane])
        previous_hash = chain_tips([lane])[lane]
        record = AccessRecord(
            lane=lane,
            # UTC, as timezone.now() gives: the hash covers the moment as text, and the database gives it back in UTC.
            at=timezone.now() if at is None else at.astimezone(dt.UTC),
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


# Asked on every load of every list (``core.written_out``: building it with the ORM cost more than running it).
_SEEN_TODAY_SQL = """
SELECT doctor_id FROM audit_accessrecord
WHERE actor_id = %s AND object_type = %s AND object_id = %s AND at >= %s AND doctor_id IN ({ids})"""


def _drop_seen_today(chosen: dict[int, "Entry"], actor: User, list_name: str) -> None:
    if not chosen:
        return  # nobody to look for: no query
    db = database_for(AccessRecord)
    since = db.ops.adapt_datetimefield_value(_start_of_today())  # as the ORM sends a time (SQLite: naive UTC)
    for (doctor_id,) in rows(db, _SEEN_TODAY_SQL, list(chosen), actor.pk, LIST, list_name, since):
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
    """Log accesses to several doctors' records at once: one transaction, one statement locking their lanes, the hashes
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
    lanes = {lane_of(doctor_id) for doctor_id in chosen}
    with transaction.atomic():
        lock_lanes(lanes)
        if list_name:
            _drop_seen_today(chosen, actor, list_name)
            if not chosen:
                return []
        tips = chain_tips(lanes)
        now = timezone.now()
        records = []
        for entry in chosen.values():
            lane = lane_of(entry.doctor.pk)
            record = AccessRecord(
                lane=lane,
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
                previous_hash=tips[lane],
            )
            record.row_hash = tips[lane] = chain_hash(tips[lane], record)
            records.append(record)
        # The ids follow the order of the list, which is the order of each lane's chain.
        AccessRecord.objects.bulk_create(records)
    return records
