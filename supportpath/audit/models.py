"""The access log: every read or change of a doctor's record by someone other than that doctor."""

from django.conf import settings
from django.db import models


class AccessRecord(models.Model):
    """One access. Append-only: rows are never updated or deleted by the application."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CHANGED = "changed", "Changed"
        CREATED = "created", "Created"
        EXPORTED = "exported", "Downloaded"
        # A read by a service admin under a time-limited emergency grant (supportpath.emergency_access),
        # shown apart on the doctor's "Who has seen my record".
        EMERGENCY = "emergency", "Emergency access"

    at = models.DateTimeField(db_index=True)
    # Who: kept as text as well as a link, so the record still reads truly if the account changes.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=32)
    actor_organisation = models.CharField(max_length=200, blank=True)
    # Whose record it was.
    doctor = models.ForeignKey("accounts.DoctorProfile", on_delete=models.PROTECT, related_name="access_records")
    action = models.CharField(max_length=16, choices=Action.choices)
    # What: a plain description ("support request SP-ABCD-1234") and a machine-readable pointer.
    what = models.CharField(max_length=200)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=300)
    # Tamper evidence: each row's hash covers the previous row's hash in its lane and its own content. The lane
    # (``audit.log.lane_of``; 0 for rows written before lanes) lets reads of different doctors be logged at once.
    lane = models.PositiveSmallIntegerField(default=0, db_default=0)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["doctor", "-at"], name="access_by_doctor_recent"),
            # Each lane's tip, found by its last id (``audit.log.chain_tips``).
            models.Index(fields=["lane", "-id"], name="access_lane_tip"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.what} at {self.at:%Y-%m-%d %H:%M}"
