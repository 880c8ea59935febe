"""Emails sent, one row each, so that a task that runs twice still sends once."""

from django.db import models


class SentEmail(models.Model):
    # A key that names the message's purpose and object, e.g. "request-confirmation:42".
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)
