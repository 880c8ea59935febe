"""The interventions catalogue and the support plan, made with the doctor and kept in versions.

Each version keeps its whole content as a validated snapshot (see ``content.py``), so an earlier version reads
exactly as the doctor saw it, whatever happens to the catalogue or later versions.
"""

from django.conf import settings
from django.db import models

from supportpath.accounts.models import Organisation
from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedJSONField, EncryptedTextField

from .content import DESCRIPTION_LIMIT, NAME_LIMIT


class InterventionType(models.TextChoices):
    COACHING = "coaching", "Coaching"
    MENTORING = "mentoring", "Mentoring"
    SUPERVISED_PRACTICE = "supervised_practice", "Supervised practice"
    TRAINING_COURSE = "training_course", "Training course"
    CLINICAL_PLACEMENT = "clinical_placement", "Clinical placement"
    OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"
    CAREERS_ADVICE = "careers_advice", "Careers advice"
    EXAM_SUPPORT = "exam_support", "Exam support"
    COMMUNICATION_SKILLS = "communication_skills", "Communication skills"
    WELLBEING = "wellbeing", "Psychological and well-being support"
    PEER_GROUP = "peer_group", "Peer group"
    RETURN_TO_WORK = "return_to_work", "Return-to-work programme"


class Intervention(models.Model):
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interventions")
    type = models.CharField(max_length=32, choices=InterventionType.choices)
    name = models.CharField(max_length=NAME_LIMIT)
    provider = models.CharField(max_length=NAME_LIMIT, blank=True)
    description = models.TextField("Description for doctors", max_length=DESCRIPTION_LIMIT, blank=True)
    active = models.BooleanField(default=True)
    # The "add" form that made this entry, so pressing the button twice adds it once.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["type", "name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="plans_intervention_unique_name")]

    def __str__(self) -> str:
        return self.name


class SupportPlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="support_plan")
    # Optimistic lock: every saved change adds one. A form carries the number it was based on.
    edit_count = models.PositiveIntegerField(default=0)
    # The editing form whose save made the latest edit: the same form sent again is a repeat, not a conflict.
    last_submission_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Support plan for {self.case}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with the doctor"
    AGREED = "agreed", "Agreed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    SUPERSEDED = "superseded", "Replaced by a later version"


class PlanVersion(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=32, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    # The whole plan is the doctor's own words: stored encrypted (see supportpath/core/encryption.py).
    content = EncryptedJSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    changes_requested_at = models.DateTimeField(null=True, blank=True)
    doctor_comment = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_version_unique_number")]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_status_display()})"
