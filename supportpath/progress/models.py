"""How support is going and how it ends: reviews of the plan's goals, milestones met, reassessments, revised
dates when a target will be missed, and closure (the doctor's exit feedback is in ``closure``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedJSONField, EncryptedTextField
from supportpath.plans.models import PlanVersion
from supportpath.referrals.models import HandoverDestination, SupportRequest

TEXT_LIMIT = 3000


class Review(models.Model):
    """A review at one of the plan's review dates: each goal of the agreed plan scored on its GAS scale."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    # [{"goal": text, "level": -2..2, "importance": n, "difficulty": n}], encrypted: goals are the doctor's words.
    scores = EncryptedJSONField()
    t_score = models.FloatField()
    notes = EncryptedTextField(blank=True)  # shared with the doctor
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    doctor_reflection = EncryptedTextField(blank=True)
    doctor_reflected_at = models.DateTimeField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["held_on", "id"]


class ReviewVersion(models.Model):
    """An earlier version of a review, kept when its author corrects it: the review row holds the latest; these,
    numbered from 1, hold what it said before each correction (``pathway.SessionVersion``'s pattern)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="earlier_versions")
    number = models.PositiveIntegerField()
    held_on = models.DateField()
    scores = EncryptedJSONField()
    t_score = models.FloatField()
    notes = EncryptedTextField(blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="one_review_version_number")]


class MilestoneDone(models.Model):
    """A milestone of the plan marked as reached. Milestones are matched by their text and due date, so a new
    plan version that keeps a milestone keeps its progress. The text is the doctor's plan, so it is encrypted
    and matched in Python (``services.mark_milestone_done`` locks the case so a double click marks it once)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones_done")
    text = EncryptedTextField()
    due = models.DateField()
    done_on = models.DateField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class Target(models.TextChoices):
    """The dated steps of the pathway. First contact belongs to the request; the others to its case."""

    FIRST_CONTACT = "first_contact", "First contact"
    INITIAL_CONVERSATION = "initial_conversation", "First conversation"
    PLAN_AGREED = "plan_agreed", "Support plan agreed"
    MILESTONE = "milestone", "Milestone"
    REVIEW = "review", "Review"


REASON_LIMIT = 300


class RevisedDate(models.Model):
    """A new date for one target of a case, set by the case manager with a reason the doctor reads. A target
    is named by its kind, its planned date and (for a milestone) its words; the latest new date is the one in
    force, and earlier ones stay as its history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revised_dates")
    target = models.CharField(max_length=32, choices=Target.choices)
    # A milestone's own words (the doctor's plan, so encrypted and matched in Python); blank for other targets.
    label = EncryptedTextField(blank=True)
    original_due = models.DateField()  # the date the target had in the plan or the service's timeline
    new_due = models.DateField()
    reason = EncryptedTextField(blank=True)  # for the doctor, in plain words
    # Empty for dates the first version of the stage checks set by itself.
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    noticed_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["noticed_at", "id"]


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", "Staff reminded that a target is due soon"
    AT_RISK = "at_risk", "Staff told that a target will be missed"
    LATE = "late", "The doctor and staff told that a target was missed"
    STILL_LATE = "still_late", "Staff reminded again to set a new date"


class TargetNotice(models.Model):
    """What the daily checks told someone about one target on one day, so that nobody is told the same thing
    twice: each kind once per target and date in force, and a reminder to set a new date at most every few
    working days. Kept on the request, because first contact comes before any case."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="target_notices")
    target = models.CharField(max_length=32, choices=Target.choices)
    label = EncryptedTextField(blank=True)  # as RevisedDate.label
    planned = models.DateField()
    due = models.DateField()  # the date in force the notice was about
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    sent_on = models.DateField()

    class Meta:
        ordering = ["sent_on", "id"]


class PauseReason(models.TextChoices):
    SICK_LEAVE = "sick_leave", "Sick leave"
    EXAMS = "exams", "Exams"
    LEAVE = "leave", "Parental or other leave"
    OTHER = "other", "Another reason"


class Pause(models.Model):
    """Support paused for a while (sick leave, exams), at the doctor's wish or with their agreement. While it
    lasts the case's targets wait; afterwards each open target's date moves on by the working days it lasted
    (``targets.py``). The doctor reads the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=16, choices=PauseReason.choices)
    explanation = EncryptedTextField(blank=True)  # for the doctor, in plain words
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["started_on", "id"]


class ReassessmentOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue with the current plan"
    CHANGE_PLAN = "change_plan", "Change the plan"
    NO_FURTHER_CONCERN = "no_further_concern", "No further concern"
    FURTHER_ASSESSMENT = "further_assessment", "Further assessment needed"


class Reassessment(models.Model):
    """A formal reassessment, for performance and remediation cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reassessments")
    held_on = models.DateField()
    assessed_by = models.CharField("Who carried it out", max_length=200)
    outcome = models.CharField(max_length=32, choices=ReassessmentOutcome.choices)
    details = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["held_on", "id"]


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", "The goals were met"
    HANDED_OVER = "handed_over", "Handed over to another service"
    DOCTOR_WITHDREW = "doctor_withdrew", "The doctor chose to stop"
    OTHER = "other", "Another reason"


class Closure(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="closure")
    reason = models.CharField(max_length=32, choices=ClosureReason.choices)
    other_reason = models.CharField(max_length=500, blank=True)
    handed_over_to = models.CharField(max_length=32, choices=HandoverDestination.choices, blank=True)
    handed_over_to_name = models.CharField(max_length=200, blank=True)  # the service's name, for "another service"
    handover_reason = EncryptedTextField(blank=True)
    doctor_consented_to_handover = models.BooleanField(default=False)
    closed_on = models.DateField()
    final_t_score = models.FloatField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    @property
    def handed_over_to_label(self) -> str:
        """Where the doctor went: the service's own name when it is not one of the usual ones."""
        if not self.handed_over_to:
            return ""
        if self.handed_over_to == HandoverDestination.OTHER and self.handed_over_to_name:
            return self.handed_over_to_name
        return self.get_handed_over_to_display()
