"""A case: a support request the service has accepted, followed through the pathway."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from supportpath.core.choices import choice_display
from supportpath.referrals.models import SupportRequest


class Stage(models.TextChoices):
    FIRST_CONTACT = "first_contact", "First contact"
    INITIAL_CONVERSATION = "initial_conversation", "Initial conversation"
    PLANNING = "planning", "Agreeing a support plan"
    SUPPORT = "support", "Support under way"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    request = models.OneToOneField(SupportRequest, on_delete=models.PROTECT, related_name="case")
    case_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_cases")
    # The facilitator who accepted the allocation: supporting the doctor while the case is open; once it closes,
    # the record of who did, which opens nothing to them (casework.relationships).
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="facilitated_cases"
    )
    # The request's service, kept on the case (set as the case is opened; a request never changes service) so
    # that the service's waiting list and its open cases per case manager are one index each instead of a join
    # to every open case's request in the country (docs/scale.md).
    service = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    opened_at = models.DateTimeField()
    stage = models.CharField(max_length=32, choices=Stage.choices, default=Stage.INITIAL_CONVERSATION)
    initial_conversation_due = models.DateField()
    plan_agreed_due = models.DateField()
    # The work lists' dates, kept by ``progress.worklist`` whenever a target changes (and by the daily checks,
    # as a pause moves dates): the soonest date in force of any open target, and the soonest that can be late
    # (not paused, not a first conversation already arranged). Stored so that lists of any length sort and
    # filter in the database; the case page always works them out afresh.
    next_due = models.DateField(null=True, blank=True)
    late_from = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_due", "id"], name="case_next_due"),
            models.Index(fields=["case_manager", "next_due", "id"], name="case_manager_next_due"),
            models.Index(fields=["facilitator", "next_due", "id"], name="case_facilitator_next_due"),
            # The accepted cases list's closed cases, most recently opened first (``progress.worklist``).
            models.Index(fields=["case_manager", "stage", "-opened_at", "-id"], name="case_manager_by_opened"),
            models.Index(fields=["-opened_at", "-id"], name="case_by_opened"),
            # The waiting list, each service's oldest first (``facilitation.pool.waiting_queryset``).
            models.Index(
                fields=["service", "opened_at", "id"],
                condition=Q(facilitator__isnull=True) & ~Q(stage="closed"),
                name="case_service_waiting",
            ),
            # Each case manager's open cases in a service (the staff page: ``service.services.open_work_of``).
            models.Index(
                fields=["service", "case_manager", "id"], condition=~Q(stage="closed"), name="case_service_open"
            ),
        ]

    get_stage_display = choice_display("stage")  # the accepted cases list shows each row's stage

    def __str__(self) -> str:
        return f"Case {self.request.reference}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.service_id is None and self.request_id is not None:
            self.service_id = self.request.service_id
        super().save(*args, **kwargs)


class AttemptMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Left a message"
    NO_REPLY = "no_reply", "Sent, no reply yet"
    DETAILS_WRONG = "details_wrong", "The contact details did not work"


class ContactAttempt(models.Model):
    """One try at reaching the doctor before first contact: when, how, and what happened. After enough tries a
    request may close as "no response"."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="contact_attempts")
    made_on = models.DateField()
    method = models.CharField(max_length=16, choices=AttemptMethod.choices)
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["made_on", "id"]
