"""The de-identified fact record: one row per support request (and its case), written as the pathway moves,
made for counting in the database (see docs/insights.md for every field).

Nothing here names anyone: no name, email, GMC number or free text, and no exact date (the month of the
request and whole days from it). The row's key is random, and its only tie to the identifiable record is a
separate ``FactLink`` row, which hangs off the request and goes with it when the request is erased or reaches
the end of its retention period; the fact stays, and nothing can join it back."""

import uuid

from django.db import models

from supportpath.accounts.models import Organisation
from supportpath.referrals.models import SupportRequest


class Stage(models.TextChoices):
    """Where the request stands (or stood when it ended)."""

    RECEIVED = "received", "Received, no contact yet"
    CONTACTED = "contacted", "First contact made"
    FIRST_CONVERSATION = "initial_conversation", "Waiting for the first conversation"
    PLANNING = "planning", "Agreeing a support plan"
    SUPPORT = "support", "Support under way"
    ENDED = "ended", "Ended"


class Ending(models.TextChoices):
    """How it ended: a request before it became a case (referrals.EndedAs, or handed over), or a case
    (progress.ClosureReason)."""

    WITHDRAWN = "withdrawn", "Request withdrawn by the doctor"
    DECLINED = "declined", "Request declined by the doctor"
    NO_RESPONSE = "no_response", "Request closed: no response"
    NOT_ELIGIBLE = "not_eligible", "Request closed: not for this service"
    REQUEST_HANDED_OVER = "request_handed_over", "Request handed over to another service"
    GOALS_MET = "goals_met", "Case closed: the goals were met"
    CASE_HANDED_OVER = "handed_over", "Case handed over to another service"
    DOCTOR_WITHDREW = "doctor_withdrew", "Case closed: the doctor chose to stop"
    OTHER = "other", "Case closed: another reason"


class Fact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    # The context at referral, taken from the doctor's profile and equality answers when the request was made.
    employer = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    employer_kind = models.CharField(max_length=32, blank=True)
    career_stage = models.CharField(max_length=32, blank=True)
    contract_type = models.CharField(max_length=32, blank=True)
    qualification_region = models.CharField(max_length=32, blank=True)
    age_band = models.CharField(max_length=32, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    ethnic_group = models.CharField(max_length=64, blank=True)

    # The request.
    referred_month = models.DateField(db_index=True)  # the first day of the month the request was made
    route = models.CharField(max_length=32)
    self_referred = models.BooleanField()
    mandated = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)

    # Stage dates, as whole days after the request was made (empty until the stage is reached).
    days_to_first_contact = models.IntegerField(null=True, blank=True)
    days_to_case_opened = models.IntegerField(null=True, blank=True)
    days_to_first_conversation = models.IntegerField(null=True, blank=True)
    days_to_plan_agreed = models.IntegerField(null=True, blank=True)
    days_to_first_session = models.IntegerField(null=True, blank=True)
    days_to_ended = models.IntegerField(null=True, blank=True)
    # The targets, as whole days after the request was made, when they were set.
    first_contact_due_days = models.IntegerField(null=True, blank=True)
    first_conversation_due_days = models.IntegerField(null=True, blank=True)
    plan_agreed_due_days = models.IntegerField(null=True, blank=True)

    stage = models.CharField(max_length=32, choices=Stage.choices, db_index=True)
    is_case = models.BooleanField(default=False)
    ended_month = models.DateField(null=True, blank=True, db_index=True)
    ending = models.CharField(max_length=32, choices=Ending.choices, blank=True)
    handed_over_to = models.CharField(max_length=32, blank=True)  # a referrals.HandoverDestination code

    # Goal attainment (GAS T-scores): every goal of the agreed plan at its baseline, and at closure.
    goals = models.PositiveSmallIntegerField(default=0)
    gas_start = models.FloatField(null=True, blank=True)
    gas_end = models.FloatField(null=True, blank=True)

    sessions_held = models.PositiveIntegerField(default=0)
    sessions_cancelled = models.PositiveIntegerField(default=0)
    sessions_missed = models.PositiveIntegerField(default=0)
    reviews_held = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["service", "referred_month"], name="insights_fact_service_month")]


class FactLink(models.Model):
    """The one tie between a fact and its request, removed with the request (retention, erasure). Its own key is
    not the fact's, so what a removal lists (the erasure ledger) names no fact."""

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="+")
    fact = models.OneToOneField(Fact, on_delete=models.CASCADE, related_name="link")


class FactReason(models.Model):
    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=32)  # a referrals.Reason code

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fact", "reason"], name="insights_one_reason_row")]


class FactIntervention(models.Model):
    """The types of the interventions in the latest agreed plan, as codes (plans.InterventionType)."""

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="interventions")
    code = models.CharField(max_length=64)
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fact", "code"], name="insights_one_intervention_row")]


class FactMeasure(models.Model):
    """One questionnaire's totals for the request: the first completed, the one at closure, and the follow-ups."""

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(max_length=64)  # the questionnaire key: who-5, phq-9, gad-7, gse, check-in
    first_score = models.IntegerField(null=True, blank=True)
    closure_score = models.IntegerField(null=True, blank=True)
    after_3_months_score = models.IntegerField(null=True, blank=True)
    after_6_months_score = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fact", "measure"], name="insights_one_measure_row")]


class FactFeedback(models.Model):
    """The exit-feedback statements, each answered 1 (strongly disagree) to 5 (strongly agree)."""

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="feedback")
    statement = models.CharField(max_length=64)  # a closure.models.STATEMENTS key
    agreement = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fact", "statement"], name="insights_one_feedback_row")]


class WorkforceFile(models.Model):
    """The headcount of one organisation's doctors, loaded by the service admin from a CSV (an ESR or GMC
    extract's shape): the denominators of the equity report. The latest file of each organisation counts."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="workforce_files")
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    doctors = models.PositiveIntegerField()
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-loaded_at", "-id"]


class WorkforceCount(models.Model):
    """One group's headcount in a workforce file, summed from its rows: career_stage / contract_type /
    qualification_region / ethnic_group / gender / age_band, and the group's code ("" when not known)."""

    file = models.ForeignKey(WorkforceFile, on_delete=models.CASCADE, related_name="counts")
    dimension = models.CharField(max_length=32)
    group = models.CharField(max_length=64, blank=True)
    headcount = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "dimension", "group"], name="insights_one_workforce_count")
        ]
