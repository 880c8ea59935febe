"""Emails, one row each, so that a task that runs twice still sends once; the runs of the daily jobs, so
that each job has at most one run waiting however many workers or start-ups there are; and the workers'
heartbeats, so that a worker that has gone is noticed and its unfinished task given to another."""

from django.db import models
from django.db.models import Q

from supportpath.core.encryption import EncryptedJSONField


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    WAITING = "waiting", "Waiting to try again"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class SentEmail(models.Model):
    # A key that names the message's purpose and object, e.g. "request-confirmation:42".
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    # What the message says, kept here (encrypted) rather than in the task's arguments, because it may hold a
    # credential (a link to finish an account, reset a password or accept an invitation): the task carries
    # only this row's id. Emptied once the email is sent or has failed for good.
    template = models.CharField(max_length=200, blank=True)
    context = EncryptedJSONField(null=True, blank=True)
    # The idempotency key given to the mail server (the Message-ID header, made from ``key``): a message sent
    # again after a worker stopped mid-send carries the same one, so the recipient's mail system keeps one.
    message_id = models.CharField(max_length=200, blank=True)
    # The task that is sending it (while "sending"): another task finds it busy unless that task has been
    # given up as lost.
    task_id = models.CharField(max_length=64, blank=True)
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


class WorkerHeartbeat(models.Model):
    """A running worker (``manage.py worker``), which says it is alive every ``TASK_WORKER_HEARTBEAT_SECONDS``.
    A worker not heard from for ``TASK_WORKER_LOST_AFTER_SECONDS`` is taken as gone: its unfinished task is
    queued again, and the queue's health check says no worker is running."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host}"
