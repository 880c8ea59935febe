"""The programme theory as data: a service's context-mechanism-outcome configurations (CMOCs), every version of
each (who, when, why, what changed), and the research exports made from the service's records.

A read-model app: it reads the fact record (``facts``) and the check-ins; no domain app imports it."""

from django.conf import settings
from django.db import models

from supportpath.accounts.models import Organisation


class OutcomeGroup(models.IntegerChoices):
    ROUTES_IN = 1, "Routes into support and self-referral"
    TRUST = 2, "Trust through psychological safety"
    AWARENESS = 3, "Self-awareness and situational awareness"
    ENGAGEMENT = 4, "Engagement and motivation"
    GROWTH = 5, "Personal and professional growth"
    CULTURE = 6, "Organisational culture"


class Status(models.TextChoices):
    INITIAL = "initial", "Initial"
    REFINED = "refined", "Refined"
    SUPPORTED = "supported", "Supported"
    QUESTIONED = "questioned", "Questioned"
    RETIRED = "retired", "Retired"


class Cmoc(models.Model):
    """One configuration as it stands now. Every change is made by ``registry`` and leaves a ``CmocVersion``."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cmocs")
    reference = models.CharField(max_length=16)  # the paper's numbering, e.g. "2.5"; the evaluator's own for new ones
    outcome_group = models.PositiveSmallIntegerField(choices=OutcomeGroup.choices)
    context = models.TextField()
    mechanism = models.TextField()
    outcome = models.TextField()
    citation = models.CharField(max_length=400, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INITIAL)
    evidence_notes = models.TextField(blank=True)
    # Indicators the product records (``indicators``): a context (a fact-record field and the value that means
    # "with"), a mechanism (a check-in statement's linkId) and an outcome; each may be left empty.
    context_field = models.CharField(max_length=40, blank=True)
    context_value = models.CharField(max_length=40, blank=True)
    mechanism_item = models.CharField(max_length=8, blank=True)
    outcome_indicator = models.CharField(max_length=40, blank=True)
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "reference"], name="theory_one_reference")]
        ordering = ["outcome_group", "id"]

    def __str__(self) -> str:
        return f"CMOC {self.reference}"

    @property
    def linked(self) -> bool:
        return bool(self.outcome_indicator and (self.context_field or self.mechanism_item))


class Change(models.TextChoices):
    SHIPPED = "shipped", "Loaded from the paper"
    ADDED = "added", "Added"
    REFINED = "refined", "Refined"
    JUDGED = "judged", "Judged from the report"
    RETIRED = "retired", "Retired"


class CmocVersion(models.Model):
    """One version of one CMOC: the whole of it as it was then (``snapshot``), and what changed from the one before."""

    cmoc = models.ForeignKey(Cmoc, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Change.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=150)  # kept as text so the history reads truly if the account goes
    why = models.TextField()
    changes = models.JSONField(default=list)  # [{"field", "label", "before", "after"}]
    snapshot = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cmoc", "number"], name="theory_one_version_number")]
        ordering = ["-number"]


class ResearchExport(models.Model):
    """A de-identified data set made for an approved purpose. The pseudonyms' key is made for it and thrown away,
    so nobody can link its rows back to a doctor; the package is kept so it can be downloaded again."""

    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="research_exports")
    purpose = models.TextField()
    approval_reference = models.CharField(max_length=120)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    people = models.PositiveIntegerField()  # doctors in the package
    suppressed = models.PositiveIntegerField()  # doctors left out so that every combination holds k or more
    k = models.PositiveSmallIntegerField()
    generalised = models.JSONField(default=list)  # [{"field", "label", "level", "how"}]
    package = models.BinaryField()  # the zip: CSV files and datapackage.json
    submission_token = models.UUIDField(unique=True, null=True)  # a form sent twice makes one export

    class Meta:
        ordering = ["-at", "-id"]
