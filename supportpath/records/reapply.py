"""Applying the erasure ledger again, after the database has been restored from a backup.

Run it straight after the restore, before the service opens again. It reads the ledger from the database and
from ``ERASURE_LEDGER_DIR`` (the restored table knows nothing of erasures made after the backup was taken),
puts any missing entries back in the table, and applies each entry in order. Running it again changes nothing.

The doctor is found by the keyed hash of their GMC number, not by id alone: ids are not a safe key across a
restore (a row made after the restore can reuse an id that belonged to a row the backup never had). If
``LOOKUP_HASH_KEY`` has changed since an erasure, its hash can no longer be matched; such entries are reported
and left for a person to check, unless ``match_by_id`` is given.
"""

from dataclasses import dataclass, field

from django.db import transaction

from supportpath.accounts.models import DoctorProfile
from supportpath.referrals.models import SupportRequest

from . import ledger
from .erasure import close_account, is_tombstone, key_check
from .models import ErasureLedgerEntry, ErasureRequest, ErasureStatus
from .removal import remove_whole


@dataclass
class ReapplyReport:
    entries: int = 0
    restored_to_table: int = 0
    applied: int = 0  # entries that found something to erase again
    rows_removed: int = 0
    accounts_closed: int = 0
    to_check: list[str] = field(default_factory=list)


def all_entries() -> tuple[list[ErasureLedgerEntry], int]:
    """The union of the table and the files, the table completed from the files."""
    known = {str(e.entry_id): e for e in ErasureLedgerEntry.objects.all()}
    restored = 0
    for data in ledger.read_all():
        if data["entry_id"] not in known:
            entry = ledger.from_dict(data)
            entry.save()
            known[data["entry_id"]] = entry
            restored += 1
    return sorted(known.values(), key=lambda e: (e.erased_at, str(e.entry_id))), restored


def reapply_all(*, match_by_id: bool = False) -> ReapplyReport:
    report = ReapplyReport()
    with transaction.atomic():
        entries, report.restored_to_table = all_entries()
    report.entries = len(entries)
    current_key = key_check()
    for entry in entries:
        with transaction.atomic():
            _reapply(entry, report, same_key=entry.hash_key_check == current_key, match_by_id=match_by_id)
    return report


def _find_doctor(entry: ErasureLedgerEntry, *, same_key: bool, match_by_id: bool) -> DoctorProfile | None | str:
    by_id = DoctorProfile.objects.select_related("user").filter(pk=entry.doctor_profile_id).first()
    if same_key:
        by_hash = DoctorProfile.objects.select_related("user").filter(gmc_number_hash=entry.gmc_number_hash).first()
        if by_hash is not None:
            return by_hash
        # Already anonymised (the hash is the tombstone's now): the account part is done; requests may remain.
        if by_id is not None and is_tombstone(by_id):
            return by_id
        return None
    if match_by_id:
        return by_id
    return "check"


def _reapply(entry: ErasureLedgerEntry, report: ReapplyReport, *, same_key: bool, match_by_id: bool) -> None:
    profile = _find_doctor(entry, same_key=same_key, match_by_id=match_by_id)
    if profile == "check":
        report.to_check.append(
            f"Entry {entry.entry_id}: LOOKUP_HASH_KEY has changed since this erasure, so the doctor cannot be "
            "matched by GMC number. Check doctor profile "
            f"{entry.doctor_profile_id} by hand, or run again with --match-by-id."
        )
        return
    if profile is None:
        return  # nothing of this doctor is in the restored data
    roots = SupportRequest.objects.filter(doctor=profile, pk__in=entry.support_request_ids).values_list("pk", flat=True)
    removed = remove_whole(SupportRequest, roots).total
    changed = removed > 0
    if entry.account_closed and not is_tombstone(profile):
        removed += close_account(profile).total
        report.accounts_closed += 1
        changed = True
    elif entry.erasure_request_id:
        changed |= bool(
            ErasureRequest.objects.filter(
                pk=entry.erasure_request_id, doctor=profile, status=ErasureStatus.WAITING
            ).update(status=ErasureStatus.CARRIED_OUT, decided_at=entry.erased_at)
        )
    report.rows_removed += removed
    report.applied += changed
