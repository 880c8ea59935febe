"""The erasure ledger's copy outside the database, one JSON file per entry in ``ERASURE_LEDGER_DIR``.

A restore from backup brings back the database as it was, ledger table included, so the table alone would
forget every erasure made since that backup. The files are written when an erasure commits and checked by every
retention run (which writes any that are missing); ``reapply_erasures`` reads both and applies the union.
One file per entry, named by its id, so several app servers can write to a shared folder without ever
appending to the same file.
"""

import json
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_datetime

from .models import ErasureLedgerEntry

logger = logging.getLogger(__name__)

FIELDS = [
    "by_role",
    "service_id",
    "erasure_request_id",
    "doctor_profile_id",
    "user_id",
    "gmc_number_hash",
    "hash_key_check",
    "support_request_ids",
    "records",
    "account_closed",
]


def folder() -> Path:
    return Path(settings.ERASURE_LEDGER_DIR)


def as_dict(entry: ErasureLedgerEntry) -> dict:
    data = {"entry_id": str(entry.entry_id), "erased_at": entry.erased_at.isoformat()}
    data.update({name: getattr(entry, name) for name in FIELDS})
    return data


def from_dict(data: dict) -> ErasureLedgerEntry:
    return ErasureLedgerEntry(
        entry_id=uuid.UUID(data["entry_id"]),
        erased_at=parse_datetime(data["erased_at"]),
        **{name: data[name] for name in FIELDS},
    )


def write(entry: ErasureLedgerEntry) -> Path:
    """Write the entry's file (atomically: a half-written file is never seen under the real name)."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{entry.entry_id}.json"
    temporary = target / f".{entry.entry_id}.json.tmp"
    temporary.write_text(json.dumps(as_dict(entry), sort_keys=True, indent=2))
    os.replace(temporary, path)
    return path


def write_after_commit(entry: ErasureLedgerEntry) -> None:
    try:
        write(entry)
    except OSError:
        # The erasure itself has happened; the next retention run writes the file again. Say so loudly.
        logger.exception("Could not write erasure ledger entry %s to %s", entry.entry_id, folder())


def read_all() -> list[dict]:
    target = folder()
    if not target.is_dir():
        return []
    entries = []
    for path in sorted(target.glob("*.json")):
        try:
            entries.append(json.loads(path.read_text()))
        except (OSError, ValueError):
            logger.error("Erasure ledger file %s cannot be read; it was left as it is", path)
    return entries


def write_missing() -> int:
    """Write a file for every entry in the database that has none (after a failed write, or a new folder)."""
    present = {path.stem for path in folder().glob("*.json")} if folder().is_dir() else set()
    written = 0
    for entry in ErasureLedgerEntry.objects.order_by("id").iterator():
        if str(entry.entry_id) not in present:
            write(entry)
            written += 1
    return written
