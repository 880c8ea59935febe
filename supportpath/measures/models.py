"""Questionnaires (FHIR R4 ``Questionnaire`` definitions, kept whole), the points on the pathway where a service
offers them, the doctor's answers, and the safety net's alerts."""

from django.conf import settings
from django.db import models

from supportpath.accounts.models import DoctorProfile, Organisation
from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedTextField
from supportpath.progress.models import Review
from supportpath.referrals.models import SupportRequest


class Questionnaire(models.Model):
    """One version of one definition. Shipped ones (``service`` empty) come from ``definitions/`` in the
    repository; a service admin may load another for their own service."""

    key = models.SlugField(max_length=64)
    version = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    definition = models.JSONField()  # the FHIR Questionnaire, as loaded
    service = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="questionnaires"
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "version", "service"], name="measures_one_version"),
            models.UniqueConstraint(
                fields=["key", "version"], condition=models.Q(service__isnull=True), name="measures_one_shipped_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def canonical(self) -> str:
        return f"{self.definition['url']}|{self.version}"


class Point(models.TextChoices):
    FIRST_CONVERSATION = "first", "After your first conversation"
    REVIEW = "review", "At a review"
    CLOSURE = "closure", "When your support ends"
    AFTER_3_MONTHS = "after_3_months", "Three months after your support ended"
    AFTER_6_MONTHS = "after_6_months", "Six months after your support ended"


class ServicePoints(models.Model):
    """Which questionnaires a service offers at which points; a service without a row offers the defaults
    (``offers.DEFAULT_POINTS``)."""

    service = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="measure_points")
    points = models.JSONField(default=dict)  # {point: [questionnaire key, ...]}
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)


class ResponseStatus(models.TextChoices):
    # FHIR R4 QuestionnaireResponse.status codes.
    IN_PROGRESS = "in-progress", "Started"
    COMPLETED = "completed", "Finished"
    STOPPED = "stopped", "Chose not to answer"


class Response(models.Model):
    """A doctor's answers to one questionnaire at one point of one support request, saved as they go."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="measure_responses")
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="measure_responses")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="measure_responses")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    point = models.CharField(max_length=32, choices=Point.choices)
    # The point made unique: "first", "review-12", "closure" ... so one answer per questionnaire per point.
    point_key = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS)
    answers = models.JSONField(default=dict)  # {linkId: score}
    skipped = models.JSONField(default=list)  # linkIds the doctor chose to skip
    total = models.IntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "questionnaire", "point_key"], name="measures_one_response_per_point"
            ),
        ]
        indexes = [models.Index(fields=["doctor", "completed_at"], name="measures_response_by_doctor")]


class AlertReason(models.TextChoices):
    ITEM_9 = "item_9", "An answer above 0 to PHQ-9 question 9"
    TOTAL = "total", "A PHQ-9 total of 20 or more"


class SafetyAlert(models.Model):
    """A safety answer waiting for a case manager to follow it up. The case shows it until they record what
    they did; unfollowed, it goes to the service admin after one working day (once)."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="safety_alert")
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="safety_alerts")
    reason = models.CharField(max_length=16, choices=AlertReason.choices)
    raised_at = models.DateTimeField()
    escalate_after = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)  # when the case manager recorded it
    followed_up_on = models.DateField(null=True, blank=True)  # when they followed it up
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    what_was_done = EncryptedTextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["followed_up_at", "escalate_after"], name="measures_alert_open")]


class ResultsSharing(models.Model):
    """The doctor's choice to let their facilitator read their results, one row per change (the latest
    decides). Nobody else outside the case manager ever reads them on these pages."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="results_sharing")
    with_facilitator = models.BooleanField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]


class FollowUpInvitation(models.Model):
    """The email inviting a doctor to answer again 3 or 6 months after their support ended, sent once."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="measure_follow_ups")
    point = models.CharField(max_length=32, choices=Point.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "point"], name="measures_one_follow_up_email")]
