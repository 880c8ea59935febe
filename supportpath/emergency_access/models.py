"""Emergency ("break-glass") access: a service admin's time-limited, read-only access to one record of their
own service, for a stated reason, shown to the doctor and alerted to the case manager.

Nobody else's work goes through here: case managers and facilitators reach their cases through
casework.access because of their relationship with the doctor. A service admin has no such relationship, so
they must say why, every time.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from supportpath.accounts.models import Organisation
from supportpath.core.encryption import EncryptedTextField
from supportpath.referrals.models import SupportRequest

REASON_MIN_LENGTH = 20
REASON_MAX_LENGTH = 200


class Purpose(models.TextChoices):
    """What counts as a reason. Kept short so that, with the admin's own words, it fits the access log."""

    SAFETY = "safety", "A concern for the doctor's safety, or someone else's"
    URGENT_REQUEST = "urgent_request", "The doctor needs something urgently and nobody on their case can be reached"
    COMPLAINT = "complaint", "Looking into a complaint or incident about how this case was handled"
    LEGAL_DUTY = "legal_duty", "A legal duty, such as a court order"


class EmergencyAccessQuerySet(models.QuerySet):
    def active(self) -> "EmergencyAccessQuerySet":
        return self.filter(ended_at__isnull=True, expires_at__gt=timezone.now())


class EmergencyAccess(models.Model):
    """One grant: who, to which record, why, from when until when."""

    support_request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="emergency_accesses")
    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    admin = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    # The admin's own words about why: free text about a doctor's record, so encrypted at rest.
    reason = EncryptedTextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The admin may end the grant before it expires.
    ended_at = models.DateTimeField(null=True, blank=True)
    # A case manager of the service has seen the alert (one acknowledgement for the whole service).
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    # The doctor has read the notice on My support (the access log keeps every read regardless).
    doctor_read_at = models.DateTimeField(null=True, blank=True)
    # One grant per submission, however many times the button is pressed.
    submission_token = models.UUIDField(unique=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["admin", "-opened_at"], name="emergency_by_admin"),
            models.Index(fields=["service", "seen_at"], name="emergency_unseen_by_service"),
        ]

    def __str__(self) -> str:
        return f"Emergency access to {self.support_request_id} by {self.admin_id} at {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()

    @property
    def closed_at(self):
        """When access stopped (or will stop)."""
        return self.ended_at or self.expires_at

    @property
    def stated_purpose(self) -> str:
        """The purpose written into the access log for every read under this grant, as the doctor reads it."""
        return f"{self.get_purpose_display()}: {self.reason}"
