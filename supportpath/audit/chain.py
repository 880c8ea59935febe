"""The access log's hash chain: checking it, and trimming its oldest rows without losing the ability to check.

Each row's hash covers the hash of the row before it in its lane (``audit.log``: one chain per lane, so that
logging never takes a lock across the whole log) and its own content, so a changed, deleted or inserted row
breaks its lane's chain from that point on. Verification walks every row once in id order, following each lane
on its own. When retention removes the oldest rows, it removes only a contiguous run of ids from the start and
first records a checkpoint (the records app's ``ChainCheckpoint``, handed to ``register_checkpoint_model`` in
its ready(), so the log does not import the app above it): the id of the last row removed
and, for each lane, the hash of its last removed row, which the lane's first remaining row follows.
Verification starts from the latest checkpoint, or from the genesis when there is none. Checkpoints are
chained to each other in the same way.

On PostgreSQL the database refuses UPDATE and DELETE on the access log (audit migration 0002). The one seam is
``purge_through``: it sets the transaction-local ``supportpath.audit_purge`` and the trigger then allows a
DELETE of rows a checkpoint already covers, only from the start of the chain (records migration 0002).
UPDATE is refused always.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .log import GENESIS, LEGACY_LANE, chain_hash, checkpoint_start, lock_chain
from .models import AccessRecord

BATCH = 2000
PURGE_SETTING = "supportpath.audit_purge"


@dataclass(frozen=True)
class ChainResult:
    rows: int
    broken_at: AccessRecord | None = None
    problem: str = ""
    checkpoint: object = None  # the ChainCheckpoint verification started from, if any
    broken_checkpoint: object = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None and self.broken_checkpoint is None and not self.problem


def checkpoint_hash(previous_checkpoint_hash: str, checkpoint) -> str:
    content = {
        "created_at": checkpoint.created_at.isoformat(),
        "removed_through_id": checkpoint.removed_through_id,
        "last_removed_hash": checkpoint.last_removed_hash,
        "rows_removed": checkpoint.rows_removed,
    }
    if checkpoint.lane_hashes:  # checkpoints from before lanes hash as they always did
        content["lane_hashes"] = checkpoint.lane_hashes
    content = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((previous_checkpoint_hash + content).encode()).hexdigest()


_checkpoint_model = None


def register_checkpoint_model(model) -> None:
    """Where checkpoints are kept: the records app (retention) owns them and registers its model here."""
    global _checkpoint_model
    _checkpoint_model = model


def _checkpoints():
    if _checkpoint_model is None:  # no app that trims the log is installed: the chain starts at the genesis
        return []
    return _checkpoint_model.objects.order_by("id")


def latest_checkpoint():
    if _checkpoint_model is None:
        return None
    return _checkpoint_model.objects.order_by("id").last()


def _verify_checkpoints() -> ChainResult | None:
    previous = GENESIS
    last_through = 0
    for checkpoint in _checkpoints():
        if checkpoint.previous_checkpoint_hash != previous or checkpoint_hash(previous, checkpoint) != (
            checkpoint.checkpoint_hash
        ):
            return ChainResult(0, problem="a checkpoint was changed, removed or added", broken_checkpoint=checkpoint)
        if checkpoint.removed_through_id <= last_through:
            return ChainResult(0, problem="a checkpoint goes backwards", broken_checkpoint=checkpoint)
        previous = checkpoint.checkpoint_hash
        last_through = checkpoint.removed_through_id
    return None


def verify_chain(*, through_id: int | None = None) -> ChainResult:
    """Walk the chain in id order from the latest checkpoint, in batches, so memory stays flat however long the
    log is. ``through_id`` stops the walk after that row (the purge checks what it is about to remove)."""
    broken = _verify_checkpoints()
    if broken is not None:
        return broken
    start = latest_checkpoint()
    last_id = start.removed_through_id if start else 0
    if start is not None:
        leftover = AccessRecord.objects.filter(id__lte=last_id).order_by("id").first()
        if leftover is not None:
            return ChainResult(
                0, leftover, "it should have been removed with the rows before the latest checkpoint", start
            )
    tips: dict[int, str] = {}  # lane -> the hash of the last row seen in it
    count = 0
    while True:
        rows = AccessRecord.objects.filter(id__gt=last_id).order_by("id")
        if through_id is not None:
            rows = rows.filter(id__lte=through_id)
        batch = list(rows[:BATCH])
        if not batch:
            return ChainResult(rows=count, checkpoint=start)
        for record in batch:
            if record.lane not in tips:
                tips[record.lane] = (
                    checkpoint_start(record.lane, start.lane_hashes, start.last_removed_hash) if start else GENESIS
                )
            if record.previous_hash != tips[record.lane]:
                return ChainResult(
                    count, record, "it does not follow the row before it (a row is missing or inserted)", start
                )
            if chain_hash(tips[record.lane], record) != record.row_hash:
                return ChainResult(count, record, "its content no longer matches its hash (it was changed)", start)
            tips[record.lane] = record.row_hash
            count += 1
            last_id = record.id


class ChainBroken(Exception):
    """The rows about to be removed do not verify: removing them would hide the damage, so nothing is removed."""


def purge_through(last_id: int, *, run=None):
    """Remove every access-log row with an id up to ``last_id`` (a contiguous run from the start of the chain),
    after checking them, and record the checkpoint the rest of the chain then starts from.

    Returns the new checkpoint, or None when there was nothing to remove."""
    if _checkpoint_model is None:
        raise RuntimeError("No checkpoint model is registered (records.apps registers it).")
    with transaction.atomic():
        lock_chain()
        result = verify_chain(through_id=last_id)
        if not result.intact:
            raise ChainBroken(f"row {result.broken_at.id if result.broken_at else '-'}: {result.problem}")
        last_removed = AccessRecord.objects.filter(id__lte=last_id).order_by("-id").only("id", "row_hash").first()
        if last_removed is None:
            return None
        rows = AccessRecord.objects.filter(id__lte=last_removed.id)
        previous = latest_checkpoint()
        # Each lane's last removed row, whose hash the lane's first remaining row follows; lanes emptied before
        # keep the hash their earlier checkpoint gave them.
        lane_hashes = dict(previous.lane_hashes) if previous else {}
        if previous and not previous.lane_hashes:
            lane_hashes[str(LEGACY_LANE)] = previous.last_removed_hash
        last_of_lane = rows.values("lane").annotate(last=Max("id")).values("last")
        for lane, row_hash in AccessRecord.objects.filter(id__in=last_of_lane).values_list("lane", "row_hash"):
            lane_hashes[str(lane)] = row_hash
        checkpoint = _checkpoint_model(
            created_at=timezone.now(),
            removed_through_id=last_removed.id,
            last_removed_hash=last_removed.row_hash,
            lane_hashes=lane_hashes,
            rows_removed=rows.count(),
            previous_checkpoint_hash=previous.checkpoint_hash if previous else GENESIS,
            run=run,
        )
        checkpoint.checkpoint_hash = checkpoint_hash(checkpoint.previous_checkpoint_hash, checkpoint)
        checkpoint.save()
        with _purge_allowed():
            rows.delete()
    return checkpoint


class _purge_allowed:
    """Within the current transaction only, let PostgreSQL's trigger allow the purge's DELETE; switched back
    off straight after, so nothing else in the same transaction can use it."""

    def __enter__(self):
        self._set("on")

    def __exit__(self, exc_type, exc, tb):
        # After an error the transaction is rolled back, and the setting with it.
        if exc_type is None:
            self._set("off")

    @staticmethod
    def _set(value: str) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, value])
