"""Appointments arranged ahead: the first conversation, support sessions and reviews.

One row per appointment. Its ``uid`` and ``sequence`` are the calendar invitation's: every change sends the
same UID with a higher SEQUENCE, so the doctor's calendar moves or cancels the event it already has."""

import uuid

from django.conf import settings
from django.db import models

from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedTextField


class Kind(models.TextChoices):
    FIRST_CONVERSATION = "first_conversation", "First conversation"
    SESSION = "session", "Support session"
    REVIEW = "review", "Review"


class How(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"


class Status(models.TextChoices):
    ARRANGED = "arranged", "Arranged"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    NOT_ATTENDED = "not_attended", "The doctor did not attend"


class CancelledBy(models.TextChoices):
    DOCTOR = "doctor", "The doctor"
    SERVICE = "service", "The support service"


class Appointment(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    how = models.CharField(max_length=16, choices=How.choices)
    # How to join: a video link or a place. Encrypted, as a link may let someone in.
    join_url = EncryptedTextField(blank=True)
    place = EncryptedTextField(blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ARRANGED)
    cancelled_by = models.CharField(max_length=16, choices=CancelledBy.choices, blank=True)
    # The calendar invitation's SEQUENCE: raised by every change the doctor is sent.
    sequence = models.PositiveIntegerField(default=0)
    # The start time the reminder went out for: a re-arranged appointment is reminded again, once.
    reminded_for = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    @property
    def is_arranged(self) -> bool:
        return self.status == Status.ARRANGED

    @property
    def off_the_calendar(self) -> bool:
        """Its invitation is withdrawn: cancelled, or held before the time arranged (a first conversation held
        earlier than arranged), so the doctor's calendar removes the event still to come."""
        if self.status == Status.CANCELLED:
            return True
        return (
            self.status == Status.HELD
            and self.outcome_recorded_at is not None
            and self.starts_at > self.outcome_recorded_at
        )
