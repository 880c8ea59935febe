"""How support is going and how it ends: reviews of the plan's goals, milestones met, reassessments, revised
dates when a target will be missed, and closure with the doctor's own account and feedback."""

from django.conf import settings
from django.db import models

from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedJSONField, EncryptedTextField
from supportpath.plans.models import PlanVersion
from supportpath.referrals.models import HandoverDestination

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


class MilestoneDone(models.Model):
    """A milestone of the plan marked as reached. Milestones are matched by their text and due date, so a new
    plan version that keeps a milestone keeps its progress."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones_done")
    text = models.CharField(max_length=500)
    due = models.DateField()
    done_on = models.DateField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "text", "due"], name="milestone_done_once")]


class Target(models.TextChoices):
    INITIAL_CONVERSATION = "initial_conversation", "First conversation"
    PLAN_AGREED = "plan_agreed", "Support plan agreed"
    MILESTONE = "milestone", "Milestone"
    REVIEW = "review", "Review"


class RevisedDate(models.Model):
    """A target that was missed, and the new date the doctor was told. One per target and original date, so
    running the checks again never tells anyone twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revised_dates")
    target = models.CharField(max_length=32, choices=Target.choices)
    label = models.CharField(max_length=500)
    original_due = models.DateField()
    new_due = models.DateField()
    noticed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_due", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "target", "label", "original_due"], name="revised_once")]


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
    doctor_consented_to_handover = models.BooleanField(default=False)
    closed_on = models.DateField()
    final_t_score = models.FloatField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class Agreement(models.IntegerChoices):
    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DISAGREE = 2, "Disagree"
    NEUTRAL = 3, "Neither agree nor disagree"
    AGREE = 4, "Agree"
    STRONGLY_AGREE = 5, "Strongly agree"


# Exit feedback statements, in our own words, drawn from what the evidence says makes support work.
STATEMENTS = {
    "safe_to_be_open": "I felt safe to be open",
    "knew_what_next": "I knew what would happen next",
    "understood": "The people supporting me understood my situation",
    "my_goals": "The goals were mine, not someone else's",
    "would_recommend": "I would suggest this service to a colleague",
}


class PeerSupport(models.TextChoices):
    YES = "yes", "Yes, please get in touch"
    LATER = "later", "Maybe later"
    NO = "no", "No, thank you"


class ExitFeedback(models.Model):
    """The doctor's own account of what changed, and how the support felt. Given after closure, by the doctor."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="exit_feedback")
    what_changed = EncryptedTextField(blank=True)
    answers = models.JSONField(default=dict)  # statement key -> 1..5
    peer_supporter = models.CharField(max_length=16, choices=PeerSupport.choices, blank=True)
    given_at = models.DateTimeField(auto_now=True)
