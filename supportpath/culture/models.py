"""Organisational culture: the culture pulse (anonymous waves of a short survey), the self-assessment against
the guide with its action plan, and signposts given at appraisal.

Anonymity of the pulse is a property of these tables, not of the code that reads them:

- ``PulseResponse`` holds the answers with only the wave, the staff group the person chose (or none) and the
  month the wave opened (the wave's own date, the same for every answer): no user, no address, no network
  address, no time of answering. Its key is a random UUID, so even the order of answers is not kept.
- ``PulseLink`` is a single-use invitation: only a hash of its token, the wave, and whether it has been used.
  It has no time and no link to any answer, so which link was used cannot be lined up with which answer.
- The list of addresses is never stored here: it is used to queue the emails and then discarded (the sent
  emails' rows are removed once the mail server has them, ``services.forget_invitation_addresses``).
"""

import uuid

from django.conf import settings
from django.db import models

from supportpath.accounts.models import Organisation


class Agreement(models.TextChoices):
    STRONGLY_DISAGREE = "1", "Strongly disagree"
    DISAGREE = "2", "Disagree"
    NEITHER = "3", "Neither agree nor disagree"
    AGREE = "4", "Agree"
    STRONGLY_AGREE = "5", "Strongly agree"


AGREEING = {Agreement.AGREE.value, Agreement.STRONGLY_AGREE.value}


class OwnItem(models.Model):
    """A statement an organisation adds to its pulse, beside the five standard ones."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pulse_items")
    text = models.CharField(max_length=300)
    active = models.BooleanField(default=True)
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class Wave(models.Model):
    """One run of the pulse at one organisation."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pulse_waves")
    title = models.CharField(max_length=120)
    opened_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # The staff groups a person may choose from (one per line), e.g. "Consultants".
    staff_groups = models.JSONField(default=list, blank=True)
    # The shared link: off unless the lead turns it on, with a cap on how many answers it may bring.
    shared_link_cap = models.PositiveIntegerField(default=0)
    shared_answers = models.PositiveIntegerField(default=0)
    invitations_sent = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submission_token = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class WaveItem(models.Model):
    """A statement as it was asked in one wave (the wording is kept, so later edits change nothing)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40)  # a standard statement's key, or "own-<pk>"
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()
    standard = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["wave", "key"], name="one_item_per_key_per_wave")]


class PulseLink(models.Model):
    """A single-use invitation: the hash of its token and whether it has been used. Nothing else."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)


class PulseResponse(models.Model):
    """One person's answers. Deliberately nothing that could identify who gave them (see the module's note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    staff_group = models.CharField(max_length=80, blank=True)


class PulseAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(WaveItem, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=1, choices=Agreement.choices)


class Rating(models.Model):
    """An organisation's rating of itself on one statement of the guide; append-only, so the history stays."""

    class Level(models.TextChoices):
        NOT_YET = "not_yet", "Not yet"
        PARTLY = "partly", "Partly"
        FULLY = "fully", "Fully"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="guide_ratings")
    statement = models.CharField(max_length=40)  # a key of guide.content.STATEMENTS
    level = models.CharField(max_length=8, choices=Level.choices)
    evidence = models.TextField(blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-rated_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "statement", "-rated_at"])]


class Action(models.Model):
    """One action of an organisation's plan to close a gap against the guide."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="guide_actions")
    statement = models.CharField(max_length=40)
    description = models.CharField(max_length=300)
    owner_name = models.CharField(max_length=120)
    owner_email = models.EmailField()
    due_on = models.DateField()
    progress = models.CharField(max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    progress_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(auto_now_add=True)
    # The due date a reminder was last sent for: a new date earns a new reminder, the same one never two.
    reminded_for = models.DateField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class Signpost(models.Model):
    """A signpost to support given at appraisal or supervision. It records who gave it and when, and nothing
    about the doctor it was given to: no name, no note, and nothing about whether it was followed."""

    class GivenAs(models.TextChoices):
        APPRAISER = "appraiser", "Appraiser"
        SUPERVISOR = "supervisor", "Supervisor"
        COLLEAGUE = "colleague", "Colleague"

    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signposts")
    given_as = models.CharField(max_length=12, choices=GivenAs.choices)
    token = models.CharField(max_length=64, unique=True)
    made_on = models.DateField(auto_now_add=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-made_on", "-pk"]
