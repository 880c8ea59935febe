"""Emails, one row each, so that a task that runs twice still sends once; and the runs of the daily jobs, so
that each job has at most one run waiting however many workers or start-ups there are."""

from django.db import models
from django.db.models import Q


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


class RunOutcome(models.TextChoices):
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped: the job is no longer configured"
    LOST = "lost", "Lost: its task was gone, so another run was scheduled"
    REPLACED = "replaced", "Replaced: the job's time was changed"


class ScheduledRun(models.Model):
    """One run of a daily job (settings.DAILY_JOBS), queued as a task to run after ``run_at``.

    The database enforces that a job has at most one run not yet started, so starting the scheduler twice,
    or on several machines at once, queues one run."""

    job = models.CharField(max_length=64)
    run_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=RunOutcome.choices, blank=True)
    result = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["run_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job"], condition=Q(started_at__isnull=True), name="one_waiting_run_per_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.run_at:%Y-%m-%d %H:%M}"
