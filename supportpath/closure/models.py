"""The doctor's exit feedback: their own account of what changed, how the support felt, and whether they
would like to be a peer supporter one day. The closure itself (``progress.models.Closure``) stays with the
targets it ends."""

from django.db import models

from supportpath.casework.models import Case
from supportpath.core.encryption import EncryptedTextField


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
    # The account of what changed is the doctor's: the case manager reads it only if the doctor agreed.
    team_may_read = models.BooleanField(default=True)
    given_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "progress_exitfeedback"  # made by progress before closure was an app of its own
