"""Records management: retention runs, the access log's checkpoints, erasure requests and the erasure ledger."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from supportpath.core.encryption import EncryptedTextField

NOTE_LIMIT = 1000


class RetentionRun(models.Model):
    """One run of ``apply_retention``: when, why it ran, and how many records of each type went.

    Holds counts only, never what the records said or whose they were."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Daily schedule"
        COMMAND = "command", "Command line"

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped: another run was under way"

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    dry_run = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.RUNNING)
    # Record type key -> how many records of that type were removed (or, in a dry run, would be); and, under
    # BY_SERVICE, support service id (a string) -> record type key -> how many, for the types that belong to
    # one service (a service's admin sees only their own service's figures).
    counts = models.JSONField(default=dict)
    # Model label -> rows removed, counting everything that hung off the records.
    rows = models.JSONField(default=dict)
    # Short plain notes, e.g. why the access log could not be trimmed further this time.
    notes = models.JSONField(default=list)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.pk} ({self.get_trigger_display()}, {self.get_outcome_display()})"

    BY_SERVICE = "by_service"

    @property
    def records_removed(self) -> int:
        return sum(n for key, n in self.counts.items() if key != self.BY_SERVICE)

    def counts_for_services(self, service_ids) -> dict[str, int]:
        """Record type key -> how many were removed that belonged to any of these services."""
        totals: dict[str, int] = {}
        for service_id, counts in self.counts.get(self.BY_SERVICE, {}).items():
            if int(service_id) in service_ids:
                for key, n in counts.items():
                    totals[key] = totals.get(key, 0) + n
        return totals


class ChainCheckpoint(models.Model):
    """Where the access log's hash chain starts after its oldest rows were removed.

    Every row with an id up to ``removed_through_id`` is gone, and the first row left follows
    ``last_removed_hash``. Checkpoints are chained like the log itself, append-only, and on PostgreSQL the
    database refuses to change or delete them (migration 0002)."""

    created_at = models.DateTimeField()
    removed_through_id = models.BigIntegerField(unique=True)
    last_removed_hash = models.CharField(max_length=64)
    # Lane -> the hash of that lane's last removed row, for every lane any checkpoint has emptied a part of
    # (carried forward from the checkpoint before). Empty on checkpoints made before the log had lanes.
    lane_hashes = models.JSONField(default=dict, blank=True)
    rows_removed = models.PositiveIntegerField()
    previous_checkpoint_hash = models.CharField(max_length=64)
    checkpoint_hash = models.CharField(max_length=64, unique=True)
    run = models.ForeignKey(RetentionRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Checkpoint after access-log row {self.removed_through_id}"


class ErasureStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a decision"
    CARRIED_OUT = "carried_out", "Erased"
    DECLINED = "declined", "Kept"


class ErasureRequest(models.Model):
    """A doctor's request that one service erase the records it holds about them."""

    doctor = models.ForeignKey("accounts.DoctorProfile", on_delete=models.CASCADE, related_name="erasure_requests")
    service = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    doctor_note = EncryptedTextField(blank=True)
    status = models.CharField(max_length=16, choices=ErasureStatus.choices, default=ErasureStatus.WAITING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the record is kept, written for the doctor to read.
    decline_reason = EncryptedTextField(blank=True)
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "service"], condition=Q(status="waiting"), name="one_waiting_erasure_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.reference}"

    @property
    def reference(self) -> str:
        return f"ER-{self.pk:06d}"


class ErasureLedgerEntry(models.Model):
    """What one erasure removed, so it can be applied again after a restore from backup.

    No personal data: ids, record types, the role that decided, and a keyed hash of the GMC number (through
    ``LOOKUP_HASH_KEY``) to find the doctor again in restored data. Plain ids rather than foreign keys, because
    an entry must outlive everything it names. Append-only; copied to ``ERASURE_LEDGER_DIR`` as well."""

    entry_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    erased_at = models.DateTimeField()
    by_role = models.CharField(max_length=32)
    service_id = models.BigIntegerField(null=True, blank=True)
    erasure_request_id = models.BigIntegerField(null=True, blank=True)
    doctor_profile_id = models.BigIntegerField()
    user_id = models.BigIntegerField()
    gmc_number_hash = models.CharField(max_length=64)
    # lookup_hash of a fixed text: tells a later run whether LOOKUP_HASH_KEY has changed since.
    hash_key_check = models.CharField(max_length=64)
    support_request_ids = models.JSONField(default=list)
    # Model label -> ids of every row removed.
    records = models.JSONField(default=dict)
    account_closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["erased_at", "id"]
        verbose_name_plural = "erasure ledger entries"

    def __str__(self) -> str:
        return f"Erasure {self.entry_id}"

    @property
    def rows_removed(self) -> int:
        return sum(len(ids) for ids in self.records.values())


class DormancyWarning(models.Model):
    """The email telling a doctor their unused account will be closed (the ``dormant_accounts`` rule), some
    weeks before it is. One per quiet spell: the spell is named by the last sign-in (or the account's making)
    it is counted from, so a run that happens twice warns once, and a doctor who signs in and later goes quiet
    again is warned again. The account is closed only once it has been warned for ``DORMANT_ACCOUNT_WARNING_DAYS``.
    Goes with the account (CASCADE), as everything that hangs off the profile does."""

    doctor = models.ForeignKey("accounts.DoctorProfile", on_delete=models.CASCADE, related_name="dormancy_warnings")
    last_seen = models.DateTimeField()
    warned_at = models.DateTimeField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["warned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["doctor", "last_seen"], name="one_dormancy_warning_per_quiet_spell")
        ]

    def __str__(self) -> str:
        return f"Dormancy warning {self.pk}"
