"""The sharing agreement: for each support request, who outside the support team may see what.

One agreement per request, the single source of truth. Every change makes a new version that keeps the whole
set of grants from then on, what changed, when, and why (the doctor, a plan they agreed, or a formal
process's minimum); versions are never changed afterwards, so an earlier one reads exactly as it was. The
``Grant`` rows mirror the newest version, so that lists (the responsible officer's) can ask the database.
"""

from django.conf import settings
from django.db import models

from supportpath.referrals.models import SupportRequest

from .choices import Audience, Item


class Source(models.TextChoices):
    DOCTOR = "doctor", "Changed by the doctor"
    PLAN = "plan", "Agreed with the support plan"
    MANDATED = "mandated", "The minimum the formal process requires"
    SELF_REFERRAL = "self_referral", "The doctor's answer when asking for support"
    EARLIER_CHOICE = "earlier_choice", "The doctor's earlier choice, recorded before sharing agreements"


class SharingAgreement(models.Model):
    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="sharing_agreement")
    # The newest version's number; a form carries the number it was based on (optimistic lock).
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sharing agreement for {self.request_id}, version {self.version}"


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(SharingAgreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # Every grant from this version on, as sorted "audience:item" keys (choices.grant_key).
    grants = models.JSONField(default=list)
    added = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    source = models.CharField(max_length=32, choices=Source.choices)
    plan_version = models.PositiveIntegerField(null=True, blank=True)  # for Source.PLAN
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the history still reads truly if the account changes.
    made_by_name = models.CharField(max_length=150, blank=True)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="sharing_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_source_display()})"


class Grant(models.Model):
    """One thing one audience may see now (the newest version, row by row)."""

    agreement = models.ForeignKey(SharingAgreement, on_delete=models.CASCADE, related_name="grants")
    audience = models.CharField(max_length=32, choices=Audience.choices)
    item = models.CharField(max_length=32, choices=Item.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "audience", "item"], name="sharing_one_grant_per_item"),
        ]
        indexes = [models.Index(fields=["audience", "agreement"], name="sharing_grant_by_audience")]

    def __str__(self) -> str:
        return f"{self.audience}:{self.item}"
