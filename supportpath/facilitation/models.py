"""Facilitators' profiles, the doctor's preferences about them, and allocations of facilitators to cases."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from supportpath.accounts.models import Organisation
from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedTextField

REASON_LIMIT = 1000


class FacilitatorRole(models.TextChoices):
    COACH = "coach", "Coach"
    MENTOR = "mentor", "Mentor"
    EDUCATIONAL_SUPERVISOR = "educational_supervisor", "Educational supervisor"
    CAREERS_ADVISER = "careers_adviser", "Careers adviser"
    WELLBEING_PRACTITIONER = "wellbeing_practitioner", "Well-being practitioner"


class Specialism(models.TextChoices):
    """What a facilitator is experienced in. Most match the reasons doctors give for asking for support."""

    MENTAL_HEALTH = "mental_health", "Well-being and mental health"
    CAREER = "career", "Careers and career planning"
    RETURN_TO_WORK = "return_to_work", "Return to work after time away"
    EXAMINATIONS = "examinations", "Examinations"
    PERFORMANCE = "performance", "Performance and progress concerns"
    CONFIDENCE = "confidence", "Confidence and assertiveness"
    BULLYING = "bullying", "Difficult relationships, bullying and harassment"
    INTERNATIONAL_GRADUATES = "international_graduates", "International medical graduates"


class Gender(models.TextChoices):
    WOMAN = "woman", "A woman"
    MAN = "man", "A man"


class FacilitatorProfile(models.Model):
    """How a facilitator works with a service: what they offer, how many cases they can hold, and who they
    must not support."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitator_profiles")
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="facilitator_profiles")
    role = models.CharField(max_length=32, choices=FacilitatorRole.choices)
    accreditation = models.CharField(max_length=200, blank=True)
    about = models.TextField("About me, for doctors", max_length=600, blank=True)
    specialisms = models.JSONField(default=list)  # Specialism codes
    capacity = models.PositiveSmallIntegerField("Most active cases at once", default=4)
    conflicted_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    # Attributes a doctor may state a preference about.
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    trained_outside_uk = models.BooleanField(default=False)
    meets_in_person = models.BooleanField(default=True)
    accepting_cases = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    # The form whose save made the latest version: the same form sent again is a repeat, not a conflict.
    last_submission_token = models.UUIDField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="one_profile_per_service")]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_role_display()})"

    @property
    def specialism_labels(self) -> list[str]:
        return [Specialism(code).label for code in self.specialisms if code in Specialism.values]

    def attributes(self) -> dict[str, str]:
        """The attributes matching compares with the doctor's preferences (same keys as MatchingPreferences)."""
        attrs = {"in_person": "yes" if self.meets_in_person else "no"}
        if self.gender:
            attrs["gender"] = self.gender
        attrs["trained_outside_uk"] = "yes" if self.trained_outside_uk else "no"
        return attrs


class MatchingPreferences(models.Model):
    """What the doctor would like in a facilitator. Every part is optional."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="matching_preferences")
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    in_person = models.BooleanField(default=False)
    trained_outside_uk = models.BooleanField(default=False)
    anything_else = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def as_dict(self) -> dict[str, str]:
        prefs = {}
        if self.gender:
            prefs["gender"] = self.gender
        if self.in_person:
            prefs["in_person"] = "yes"
        if self.trained_outside_uk:
            prefs["trained_outside_uk"] = "yes"
        return prefs


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the facilitator"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined by the facilitator"
    ENDED = "ended", "Ended"


OPEN_STATUSES = [AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED]


class EndReason(models.TextChoices):
    DOCTOR_CHANGED = "doctor_changed", "The doctor chose to change facilitator"
    CASE_CLOSED = "case_closed", "The case closed"
    WITHDRAWN = "withdrawn", "Withdrawn by the case manager"
    NOT_GOING_AHEAD = "not_going_ahead", "The doctor chose not to go ahead after the introduction"


class IntroductionOutcome(models.TextChoices):
    HELD = "held", "It took place"
    NOT_GOING_AHEAD = "not_going_ahead", "The doctor decided not to go ahead"


class Allocation(models.Model):
    """A facilitator proposed for a case, and what came of it. At most one open allocation per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    status = models.CharField(max_length=16, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED)
    fit_score = models.FloatField(default=0)
    fit_reasons = models.JSONField(default=list)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(max_length=REASON_LIMIT, blank=True)
    # The short introductory conversation the doctor may ask for first, and what came of it (the facilitator
    # records it).
    intro_requested_at = models.DateTimeField(null=True, blank=True)
    intro_outcome = models.CharField(max_length=32, choices=IntroductionOutcome.choices, blank=True)
    intro_held_on = models.DateField(null=True, blank=True)
    intro_recorded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            # A facilitator's offers, newest first (their work list's earlier offers).
            models.Index(fields=["facilitator", "-proposed_at", "-id"], name="allocation_facilitator_recent"),
            # Each facilitator's open allocations, counted on the facilitators and staff pages.
            models.Index(
                fields=["facilitator"], condition=Q(status__in=["proposed", "accepted"]), name="allocation_open"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=["proposed", "accepted"]), name="one_open_allocation_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} for {self.case}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MatchingRun(models.Model):
    """The latest allocation of one service's waiting list worked out in the background, and whether it is
    still current.

    Working out the allocation takes seconds at national scale, so the waiting list page never does it: every
    change that can alter it (a case assessed, closed or allocated, a facilitator's capacity, conflicts or
    membership) moves ``generation`` on, and the page queues a new run when the one it shows is older.
    """

    service = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="matching_run")
    generation = models.PositiveBigIntegerField(default=1)
    computed_generation = models.PositiveBigIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # The generation a run has been queued for, so the page queues one run per change, not one per view.
    queued_generation = models.PositiveBigIntegerField(null=True, blank=True)

    @property
    def is_current(self) -> bool:
        return self.computed_generation == self.generation


class ProposedMatch(models.Model):
    """One waiting case's place in the latest worked-out allocation: the facilitator proposed (or nobody free),
    and why, as codes. Nothing is asked of anyone until a case manager confirms it."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="matches")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="proposed_match")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    score = models.FloatField(null=True)
    needs_met = models.JSONField(default=list)  # Specialism codes
    preferences_met = models.JSONField(default=list)  # preference keys
    continuity = models.BooleanField(default=False)
    load = models.PositiveIntegerField(default=0)  # the facilitator's active cases when it was worked out
