"""The early conversation, the needs it identifies, and the support sessions that follow."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedTextField

TEXT_LIMIT = 3000


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"


class InitialConversation(models.Model):
    """The first, candid conversation about the doctor's own account of what is happening."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="initial_conversation")
    scheduled_for = models.DateTimeField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arranged_at = models.DateTimeField(auto_now=True)
    # The doctor may ask for another time; staff see the request and re-arrange.
    doctor_asked_for_another_time = models.BooleanField(default=False)
    doctor_suggested_times = models.CharField(max_length=500, blank=True)

    @property
    def has_happened(self) -> bool:
        """Once the time has passed there is nothing to move: the doctor is no longer offered another time."""
        return self.scheduled_for <= timezone.now()


class NeedsAssessment(models.Model):
    """What the initial conversation found, in the doctor's words where they are the doctor's.

    Contributing factors are recorded at four levels so that structural, team and cultural causes are
    seen, not only individual ones (DESIGN.md principle 3)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="needs_assessment")
    presenting_issues = models.JSONField(default=list)  # Reason codes
    individual_factors = EncryptedTextField(blank=True)
    team_factors = EncryptedTextField(blank=True)
    structural_factors = EncryptedTextField(blank=True)
    cultural_factors = EncryptedTextField(blank=True)
    strengths = EncryptedTextField(blank=True)
    doctor_goals = EncryptedTextField(blank=True)
    mandated = models.BooleanField(default=False)
    # Working notes for the support team only; every other part is shown to the doctor.
    staff_notes = EncryptedTextField(blank=True)
    doctor_comment = EncryptedTextField(blank=True)
    doctor_commented_at = models.DateTimeField(null=True, blank=True)
    conversation_held_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a save based on an older version is refused, never silently applied.
    version = models.PositiveIntegerField(default=1)
    # The form whose save made this version: the same form sent again is a repeat, not someone else's change.
    last_submission_token = models.UUIDField(null=True, blank=True, editable=False)


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Doctor did not attend"
    CANCELLED_BY_DOCTOR = "cancelled_by_doctor", "Cancelled by the doctor"
    CANCELLED_BY_FACILITATOR = "cancelled_by_facilitator", "Cancelled by the facilitator"


class SupportSession(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    attendance = models.CharField(max_length=32, choices=Attendance.choices)
    shared_summary = EncryptedTextField(blank=True)  # the doctor sees this
    agreed_actions = EncryptedTextField(blank=True)  # the doctor sees this
    private_notes = EncryptedTextField(blank=True)  # only its author can ever read this
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        # A case's sessions, newest first: the case page shows a page of them.
        indexes = [models.Index(fields=["case", "-held_on", "-id"], name="session_case_recent")]


class SessionVersion(models.Model):
    """An earlier version of a session record, kept when its author corrects it: the session row holds the
    latest; these, numbered from 1, hold what it said before each correction."""

    session = models.ForeignKey(SupportSession, on_delete=models.CASCADE, related_name="earlier_versions")
    number = models.PositiveIntegerField()
    held_on = models.DateField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    attendance = models.CharField(max_length=32, choices=Attendance.choices)
    shared_summary = EncryptedTextField(blank=True)
    agreed_actions = EncryptedTextField(blank=True)
    private_notes = EncryptedTextField(blank=True)  # only the session's author ever reads these
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="one_session_version_number")]


class NeedsAssessmentVersion(models.Model):
    """An earlier version of the needs assessment, kept when the case manager corrects it: the assessment row
    holds the latest; these, numbered from 1, hold what it said before each correction (``SessionVersion``'s
    pattern)."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="earlier_versions")
    number = models.PositiveIntegerField()
    conversation_held_on = models.DateField()
    presenting_issues = models.JSONField(default=list)
    individual_factors = EncryptedTextField(blank=True)
    team_factors = EncryptedTextField(blank=True)
    structural_factors = EncryptedTextField(blank=True)
    cultural_factors = EncryptedTextField(blank=True)
    strengths = EncryptedTextField(blank=True)
    doctor_goals = EncryptedTextField(blank=True)
    mandated = models.BooleanField(default=False)
    staff_notes = EncryptedTextField(blank=True)  # the team's working notes: never the doctor's
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_needs_assessment_version_number")
        ]
