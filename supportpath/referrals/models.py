"""Routes into support: a doctor's own request, or a referral by someone else."""

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from supportpath.accounts.models import DoctorProfile, Organisation
from supportpath.core.choices import choice_display
from supportpath.core.encryption import EncryptedJSONField, EncryptedTextField
from supportpath.core.written_out import records

from . import seams

ACCOUNT_MAX_LENGTH = 5000
SHORT_TEXT_MAX_LENGTH = 500
OTHER_REASON_MAX_LENGTH = 200


class Reason(models.TextChoices):
    """What the doctor would like help with (the paper's Table 2 reasons)."""

    MENTAL_HEALTH = "mental_health", "Mental health or well-being"
    CAREER = "career", "Career advice or planning"
    RETURN_TO_WORK = "return_to_work", "Returning to work or training after time away"
    EXAMINATIONS = "examinations", "Exams"
    PERFORMANCE = "performance", "Concerns about my work or progress"
    CONFIDENCE = "confidence", "Assertiveness and confidence"
    BULLYING = "bullying", "Bullying, harassment or difficult relationships at work"
    OTHER = "other", "Something else"


# The same reasons in the words a referrer would use about someone else (the codes are the same, so reports
# count them together).
REFERRER_REASON_LABELS = {
    Reason.MENTAL_HEALTH: "Their mental health or well-being",
    Reason.CAREER: "Career advice or planning",
    Reason.RETURN_TO_WORK: "Returning to work or training after time away",
    Reason.EXAMINATIONS: "Exams",
    Reason.PERFORMANCE: "Concerns about their work or progress",
    Reason.CONFIDENCE: "Assertiveness and confidence",
    Reason.BULLYING: "Bullying, harassment or difficult relationships at work",
    Reason.OTHER: "Something else",
}


class Route(models.TextChoices):
    SELF = "self", "Asked for support themselves"
    SUPERVISOR = "supervisor", "Referred by a supervisor"
    APPRAISER = "appraiser", "Referred by an appraiser"
    RESPONSIBLE_OFFICER = "responsible_officer", "Referred by a responsible officer"
    OCCUPATIONAL_HEALTH = "occupational_health", "Referred by occupational health"
    # The doctor asked for support themselves after following a signpost given at appraisal or supervision
    # (supportpath/culture): a self-referral in every way, counted apart so the insights can see the route.
    SIGNPOSTED = "signposted", "Asked for support themselves, after a signpost"


# Routes where the doctor asked for support themselves: nobody referred them.
SELF_ROUTES = (Route.SELF, Route.SIGNPOSTED)
REFERRER_ROUTES = [r for r in Route if r not in SELF_ROUTES]


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    EITHER = "either", "Either is fine"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    CONTACTED = "contacted", "First contact made"
    ACCEPTED = "accepted", "Accepted for support"
    HANDED_OVER = "handed_over", "Handed over to another service"
    CLOSED = "closed", "Closed"


class HandoverDestination(models.TextChoices):
    OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"
    PRACTITIONER_HEALTH = "practitioner_health", "Practitioner Health"
    GP = "gp", "The doctor's own GP"
    PPA = "ppa", "Practitioner Performance Advice"
    UNION = "union", "A union or professional body support line"
    OTHER = "other", "Another service"


class EndedAs(models.TextChoices):
    """How a request ended before it became a case (a case ends with its own closure)."""

    WITHDRAWN = "withdrawn", "Withdrawn by the doctor"
    DECLINED = "declined", "Declined by the doctor"
    NO_RESPONSE = "no_response", "Closed: no response"
    NOT_ELIGIBLE = "not_eligible", "Closed: not for this service"


def new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone
    body = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"SP-{body[:4]}-{body[4:]}"


class SupportRequest(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    doctor = models.ForeignKey(DoctorProfile, on_delete=models.PROTECT, related_name="support_requests")
    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="support_requests")
    route = models.CharField(max_length=32, choices=Route.choices, db_index=True)

    other_reason = models.CharField(max_length=OTHER_REASON_MAX_LENGTH, blank=True)
    doctor_account = EncryptedTextField(blank=True)

    # Referral by someone else
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referral_description = EncryptedTextField(blank=True)
    discussed_with_doctor = EncryptedTextField(blank=True)
    mandated = models.BooleanField(default=False)
    # The doctor's employer, kept on the request (set as it is made, and again whenever the doctor's employer
    # changes: ``employer_copy``) so the responsible officer's list reads the employer's requests by an index
    # instead of walking every doctor the employer has (docs/scale.md). Who may see a request is still
    # decided by its sharing agreement.
    doctor_employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The responsible officer's list, kept on the request so that its order and its filter are one index
    # (``request_officer_list``) instead of sorting every visible request of a 10,000-doctor employer by a
    # name two joins away (docs/scale.md). ``doctor_name`` is the doctor's account name (``User.full_name``,
    # already plain text), set as the request is made and followed by ``employer_copy`` whenever the name is
    # saved; an erasure removes the request with it. ``visible_to_officer``: mandated, or shared with the
    # responsible officer or the employer in the newest sharing agreement (kept by ``sharing.agreement``
    # whenever its grants change). It only narrows: the list still checks each row's grants, and the request's
    # own page still asks the agreement (``sharing.access``).
    doctor_name = models.CharField(max_length=150, blank=True, default="", editable=False)
    visible_to_officer = models.BooleanField(default=False, editable=False)
    # Who the referrer said they were referring, as typed. The referral is matched to a doctor by GMC number
    # alone; these let the case manager check that the match is the person the referrer meant.
    referred_name = EncryptedTextField(blank=True)
    referred_email = EncryptedTextField(blank=True)
    doctor_told_at = models.DateTimeField(null=True, blank=True)
    doctor_seen_referral_at = models.DateTimeField(null=True, blank=True)

    # Contact
    contact_method = models.CharField(max_length=16, choices=ContactMethod.choices, blank=True)
    contact_phone = EncryptedTextField(blank=True)
    contact_times = models.CharField(max_length=SHORT_TEXT_MAX_LENGTH, blank=True)

    urgent = models.BooleanField(default=False, db_index=True)
    urgency_details = EncryptedTextField(blank=True)
    # How a case manager dealt with the urgency (when, what was done): until then it shows as urgent everywhere.
    urgent_dealt_with_on = models.DateField(null=True, blank=True)
    urgent_dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    urgent_action = EncryptedTextField(blank=True)
    # The day the service admin was told that an urgent request missed its first-contact target (once).
    urgent_escalated_on = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    submitted_at = models.DateTimeField()
    first_contact_due = models.DateField(db_index=True)

    first_contact_on = models.DateField(null=True, blank=True)
    first_contact_method = models.CharField(max_length=16, blank=True)
    first_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    handed_over_to = models.CharField(max_length=32, choices=HandoverDestination.choices, blank=True)
    handover_reason = EncryptedTextField(blank=True)
    handover_consent = models.BooleanField(default=False)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # A request that ended before it became a case (status CLOSED): how, when, who, and in whose words.
    ended_as = models.CharField(max_length=16, choices=EndedAs.choices, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ending_reason = EncryptedTextField(blank=True)  # the doctor's own reason for withdrawing or declining
    # The person who referred reads the doctor's reason only if the doctor says so.
    ending_reason_shared = models.BooleanField(default=False)
    signposted_to = models.CharField(max_length=32, choices=HandoverDestination.choices, blank=True)
    ending_message = EncryptedTextField(blank=True)  # the case manager's words to the doctor

    # One record per submission, however many times the button is pressed.
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    get_route_display = choice_display("route")  # the inbox shows each row's route

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["service", "status", "urgent", "first_contact_due"], name="inbox_order"),
            models.Index(fields=["doctor_employer", "doctor"], name="request_doctor_employer"),
            # The referrer's own list, newest first (read backwards), without sorting all they ever referred.
            models.Index(
                fields=["referrer", "referrer_organisation", "submitted_at", "id"], name="request_referrer_order"
            ),
            # The responsible officer's list: the employer's visible requests by the doctor's name, newest first.
            models.Index(
                fields=["doctor_employer", "doctor_name", "-submitted_at", "id"],
                condition=models.Q(visible_to_officer=True),
                name="request_officer_list",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.doctor_employer_id is None and self.doctor_id is not None:
            self.doctor_employer_id = self.doctor.employer_id
        if self._state.adding and not self.doctor_name and self.doctor_id is not None:
            self.doctor_name = self.doctor.user.full_name
        if self._state.adding and self.mandated:
            self.visible_to_officer = True
        super().save(*args, **kwargs)

    @property
    def urgent_open(self) -> bool:
        """Urgent, and nobody has yet recorded how it was dealt with."""
        return self.urgent and self.urgent_dealt_with_on is None

    @property
    def is_referral(self) -> bool:
        return self.route not in SELF_ROUTES

    @property
    def employer_may_be_told(self) -> bool:
        """Whether the doctor lets their employer know about this request. Who may see what is decided by
        the request's sharing agreement (supportpath/sharing), not by a field here."""
        return seams.employer_may_be_told(self)

    @property
    def name_for_referrer(self) -> str:
        """The doctor's name as the referrer typed it: showing the account's own name instead would tell the
        referrer that the doctor already had an account."""
        return self.referred_name or self.doctor.user.full_name

    @property
    def reason_codes(self) -> list[str]:
        if self.pk is None or "reasons" in getattr(self, "_prefetched_objects_cache", {}):
            return [r.reason for r in self.reasons.all()]
        # Not prefetched (a case page, on every load): read as rows (``core.written_out``).
        return [r.reason for r in records(SupportRequestReason, "request_id IN ({ids})", [self.pk])]

    @property
    def reason_labels(self) -> list[str]:
        return labels_of_reasons(self.reason_codes, self.other_reason)


def labels_of_reasons(codes: Iterable[str], other_reason: str) -> list[str]:
    """The words for each of a request's reasons: "something else" with what was written for it."""
    labels = []
    for code in codes:
        if code == Reason.OTHER and other_reason:
            labels.append(f"Something else: {other_reason}")
        else:
            labels.append(Reason(code).label)
    return labels


class SupportRequestReason(models.Model):
    """Reasons as rows, so reports can count them in the database."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=32, choices=Reason.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "reason"], name="one_row_per_reason")]


class DoctorComment(models.Model):
    """The doctor's own account added to a referral someone else made."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="doctor_comments")
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # One comment per press of "Save", however many times the button is pressed.
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)


def hash_token(token: str) -> str:
    """Invitation links are credentials: only a hash is kept, so a copy of the database opens no account.
    The token is long and random, so a plain SHA-256 cannot be reversed by guessing."""
    return hashlib.sha256(token.encode()).hexdigest()


class ReferralInvitation(models.Model):
    """A referral for a doctor not yet registered: an account is made for them, without a usable
    password, and they are invited by email to finish it.

    The link works until ``expires_at`` and only once. Sending it again issues a new token, so the earlier
    link stops working at once.
    """

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="invitation")
    token_hash = models.CharField(max_length=64, unique=True)
    # Where the invitation goes. Usually the new account's own address; when that address already belonged
    # to another account, the new account has a placeholder address and this one is kept here.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    times_sent = models.PositiveSmallIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def issue_token(self, now: dt.datetime, *, secret: str = "") -> str:
        """A fresh token (returned once, for the email), valid for the configured number of days. ``secret`` is
        for the fictional demo only, whose one invitation link is fixed and published."""
        token = secret or secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.sent_at = now
        self.expires_at = now + dt.timedelta(days=settings.REFERRAL_INVITATION_DAYS)
        return token

    def is_usable(self, now: dt.datetime) -> bool:
        return self.accepted_at is None and self.expires_at > now


class Resend(models.Model):
    """One press of "send again" on a referral: pressing twice (or reloading) sends once."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="resends")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(unique=True)


class SelfReferralDraft(models.Model):
    """A doctor's self-referral answers while they are still answering, kept on the server (encrypted) so
    that signing out, or being signed out after a quiet spell, loses nothing. Deleted when the request is
    sent, and treated as gone once older than ``SELF_REFERRAL_DRAFT_DAYS``.

    A doctor without an account yet answers first: their draft has no doctor, only ``browser_key_hash`` (the
    hash of a random key kept in their browser session), until the account made from the emailed link takes
    it over (see ``drafts`` and docs/adr/0002-ask-first-account-last.md)."""

    doctor = models.OneToOneField(
        DoctorProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="self_referral_draft"
    )
    browser_key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    answers = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(db_index=True)
