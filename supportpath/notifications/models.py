"""Emails, one row each, so that a task that runs twice still sends once."""

from django.db import models


class EmailStatus(models.TextChoices):
    SENDING = "sending", "Being sent"
    WAITING = "waiting", "Waiting to try again"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class SentEmail(models.Model):
    # A key that names the message's purpose and object, e.g. "request-confirmation:42".
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)
    sent_at = models.DateTimeField(null=True, blank=True)
