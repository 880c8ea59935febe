"""Checking the access log's hash chain: each row's hash covers the previous row's hash and its own content,
so a changed, deleted or inserted row breaks the chain from that point on."""

from dataclasses import dataclass

from .log import GENESIS, chain_hash
from .models import AccessRecord

BATCH = 2000


@dataclass(frozen=True)
class ChainResult:
    rows: int
    broken_at: AccessRecord | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainResult:
    """Walk the chain in id order, in batches, so memory stays flat however long the log is."""
    previous_hash = GENESIS
    count = 0
    last_id = 0
    while True:
        batch = list(AccessRecord.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            return ChainResult(rows=count)
        for record in batch:
            if record.previous_hash != previous_hash:
                return ChainResult(count, record, "it does not follow the row before it (a row is missing or inserted)")
            if chain_hash(previous_hash, record) != record.row_hash:
                return ChainResult(count, record, "its content no longer matches its hash (it was changed)")
            previous_hash = record.row_hash
            count += 1
            last_id = record.id
