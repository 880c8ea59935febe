"""Secure messages between a doctor and the people supporting them, one thread per support request (and so per
case: a case is its request, accepted).

Before a case exists the doctor writes to the service's case managers; once it exists, to its case managers and,
once they have accepted, its facilitator. Who may read and write is ``access``; the text is encrypted at rest
and the email that tells someone of a new message never carries it (``services``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from supportpath.accounts.models import Role
from supportpath.core.encryption import EncryptedTextField
from supportpath.referrals.models import SupportRequest

MESSAGE_MAX_LENGTH = 5000


class Message(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # In which capacity they wrote: the doctor, a case manager or the facilitator (kept, since roles end).
    author_role = models.CharField(max_length=32, choices=Role.choices)
    text = EncryptedTextField()
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    # One message per press of "Send", however many times the button is pressed.
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk} on {self.request_id}"


class ThreadRead(models.Model):
    """How far one person has read a thread: messages after ``read_up_to`` by someone else are new to them."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="one_read_mark_per_thread")]
