"""Rules for referrals by someone else: making one (and inviting an unregistered doctor), telling the doctor,
and what the referrer may see."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Membership, Organisation, Role, User
from supportpath.accounts.roles import has_role
from supportpath.audit.log import record_access
from supportpath.core.dates import long_date, long_datetime
from supportpath.notifications.tasks import queue_email

from . import seams, urgent
from .models import DoctorComment, Reason, ReferralInvitation, Resend, Status, SupportRequest, SupportRequestReason
from .services import first_contact_due


def shared_status(referral: SupportRequest) -> str:
    """What the referrer sees as the status: received, and when support ends, always; the stage between only
    when the sharing agreement gives it to them (a mandated referral always does)."""
    return seams.referrer_status(referral)


def referrer_organisation(user: User) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=user, role__in=[Role.REFERRER, Role.RESPONSIBLE_OFFICER])
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _placeholder_email() -> str:
    # ".invalid" is reserved (RFC 2606): this can never be a real mailbox, nor anyone else's address.
    return f"invited-{uuid.uuid4().hex}@invitations.invalid"


def _invite(*, gmc_number: str, full_name: str, email: str, employer: Organisation | None) -> DoctorProfile:
    """A new doctor's account, with no usable password until they accept the invitation.

    If the address typed is already some other account's (the GMC number matched nobody, so it is not this
    doctor's account, or the referrer mistyped the number), the new account gets a placeholder address and
    the invitation keeps the typed one. Refusing would tell the referrer that the address has an account
    here, which is exactly what must not leak (it would say someone has used a support service); so the
    referral goes ahead as for anyone else, the invitation still reaches the mailbox the referrer named,
    and only the owner of that mailbox, on following the link, learns that it already has an account.
    """
    address = email.lower()
    if User.objects.filter(email__iexact=address).exists():
        address = _placeholder_email()
    user = User.objects.create_user(email=address, password=None, full_name=full_name)
    return DoctorProfile.objects.create(user=user, gmc_number=gmc_number, employer=employer)


def _invitation_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('referrals:accept_invitation', args=[token])}"


def _referral_link(referral: SupportRequest) -> str:
    return f"{settings.SITE_URL}{reverse('referrals:referral_for_doctor', args=[referral.reference])}"


def _email_context(referral: SupportRequest, *, link: str, invited: bool, expires=None) -> dict:
    organisation = referral.referrer_organisation
    waiting = referral.status == Status.RECEIVED and referral.first_contact_due >= timezone.localdate()
    return {
        "name": referral.doctor.user.full_name,
        "referrer": referral.referrer.full_name if referral.referrer else "",
        "organisation": organisation.name if organisation else "",
        "service": referral.service.name,
        "due": long_date(referral.first_contact_due) if waiting else "",
        "referred_on": long_date(referral.submitted_at),
        "link": link,
        "invited": invited,
        "expires": long_date(expires) if expires else "",
    }


def make_referral(
    *,
    referrer: User,
    doctor: dict,
    details: dict,
    token: uuid.UUID,
    submitted_at: dt.datetime | None = None,
    reference: str = "",
    notify: bool = True,
    invite: bool = True,
) -> SupportRequest:
    """Make the referral once. The doctor is found by GMC number only, inside this function, so nothing the
    referrer sees depends on whether the doctor already has an account.

    For the fictional demo's history: ``submitted_at`` (when it was made, and when the access log says the
    referrer made it), ``reference`` (its fixed reference), ``notify=False`` (nobody emailed or alerted) and
    ``invite=False`` (no invitation for a doctor who has not registered yet; the demo issues its own)."""
    existing = SupportRequest.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    organisation = referrer_organisation(referrer)
    now = timezone.now() if submitted_at is None else submitted_at
    try:
        with transaction.atomic():
            profile = (
                DoctorProfile.objects.select_related("user", "employer").with_gmc_number(doctor["gmc_number"]).first()
            )
            invited_now = profile is None
            if invited_now and not invite:
                raise ValueError("A doctor new to the service is always invited")
            if profile is None:
                profile = _invite(
                    gmc_number=doctor["gmc_number"],
                    full_name=doctor["full_name"],
                    email=doctor["email"],
                    employer=organisation,
                )
                invite_to = doctor["email"].lower()
            elif not profile.user.has_usable_password():
                # Invited by an earlier referral and not registered yet: invite again, at their own address.
                invite_to = _invitation_address(profile)
            else:
                invite_to = ""
            home = profile.employer or organisation
            reasons = details["reasons"]
            referral = SupportRequest.objects.create(
                doctor=profile,
                service=home.serving_service,
                route=details["route"],
                other_reason=details.get("other_reason", "") if Reason.OTHER in reasons else "",
                referrer=referrer,
                referrer_organisation=organisation,
                referral_description=details["description"],
                discussed_with_doctor=details["discussed"],
                mandated=details["mandated"] == "yes",
                urgent=details.get("urgent") == "yes",
                urgency_details=details.get("urgency_details", "") if details.get("urgent") == "yes" else "",
                referred_name=doctor["full_name"],
                referred_email=doctor["email"],
                submitted_at=now,
                first_contact_due=first_contact_due(timezone.localdate(now), urgent=details.get("urgent") == "yes"),
                doctor_told_at=now,
                submission_token=token,
                **({"reference": reference} if reference else {}),
            )
            SupportRequestReason.objects.bulk_create(SupportRequestReason(request=referral, reason=r) for r in reasons)
            seams.start_agreement(referral)
            # Logged for a doctor who already has a profile here. An account made just now for an invited
            # doctor is a placeholder that goes if its owner turns out to have an account already
            # (``claim_invitation``), which a row in the append-only log would stop; the doctor is told who
            # referred them by email and on the referral's page all the same.
            if not invited_now:
                record_access(
                    actor=referrer,
                    role=Role.REFERRER if has_role(referrer, Role.REFERRER) else Role.RESPONSIBLE_OFFICER,
                    organisation=organisation.name if organisation else "",
                    doctor=profile,
                    action="created",
                    what=f"Referral {referral.reference}",
                    obj=referral,
                    purpose="Referring the doctor for professional support",
                    at=submitted_at,
                )
            if not invite:
                invite_to = ""
            if invite_to:
                invitation, secret = _issue_invitation(referral, email=invite_to, now=now)
                link, to = _invitation_link(secret), invite_to
            else:
                invitation, link, to = None, _referral_link(referral), profile.user.email
            if not notify:
                return referral
            queue_email(
                key=f"referral-made:{referral.pk}",
                to=to,
                subject="Someone has referred you for professional support",
                template="referrals/email/referral_made.txt",
                context=_email_context(
                    referral, link=link, invited=invitation is not None, expires=invitation and invitation.expires_at
                ),
            )
            if referral.urgent:
                urgent.tell_case_managers(referral)
    except IntegrityError:
        # Two presses at once: the other one made it (the token is unique).
        done = SupportRequest.objects.filter(submission_token=token).first()
        if done is None:
            raise
        return done
    return referral


def _issue_invitation(
    referral: SupportRequest, *, email: str, now: dt.datetime, secret: str = ""
) -> tuple[ReferralInvitation, str]:
    invitation = ReferralInvitation(request=referral, email=email)
    secret = invitation.issue_token(now, secret=secret)
    invitation.save()
    return invitation, secret


def invite_to_register(
    referral: SupportRequest, *, at: dt.datetime | None = None, secret: str = ""
) -> tuple[ReferralInvitation, str]:
    """Invite the doctor of a referral made without an invitation (``make_referral(invite=False)``), who has
    not registered yet, to finish their account, at their own address (or an earlier invitation's): the
    invitation and its secret, for the link. Nobody is emailed here. For the fictional demo's history: ``at``
    (when it was sent; the invitation is dated then) and ``secret`` (its one fixed, published link)."""
    if referral.doctor.user.has_usable_password():
        raise ValueError("Only a doctor who has not registered yet is invited")
    with transaction.atomic():
        invitation, secret = _issue_invitation(
            referral,
            email=_invitation_address(referral.doctor),
            now=timezone.now() if at is None else at,
            secret=secret,
        )
        if at is not None:
            # created_at is set on insert: date it when it was sent, as it would have been then.
            ReferralInvitation.objects.filter(pk=invitation.pk).update(created_at=at)
            invitation.created_at = at
    return invitation, secret


def _invitation_address(profile: DoctorProfile) -> str:
    earlier = (
        ReferralInvitation.objects.filter(request__doctor=profile).exclude(email="").order_by("-created_at").first()
    )
    return earlier.email if earlier else profile.user.email


def invitation_for(referral: SupportRequest) -> ReferralInvitation | None:
    try:
        return referral.invitation
    except ReferralInvitation.DoesNotExist:
        return None


class SendAgain:
    """Whether the person who referred is offered "Email the doctor again", and what a press of it does.

    Emailing the doctor again helps only while the referral is waiting for them: received, and the service
    has not reached them yet. Once the doctor has been reached, accepted or the referral has ended, another
    reminder is noise at best. But the button must not tell the referrer more than the doctor shares: when the
    stage is not shared with them, hiding the button the moment the doctor is accepted would tell them so. So
    for those referrers it stays until the referral ends (which they always see), a press emails the doctor
    only if they are still waiting, and the message says exactly that, whichever happened."""

    def __init__(self, referral: SupportRequest):
        self.referral = referral
        self.ended = referral.status in (Status.CLOSED, Status.HANDED_OVER)
        self.waiting = referral.status == Status.RECEIVED
        # A doctor who has read the referral needs no reminder of it.
        self.read = referral.doctor_seen_referral_at is not None
        self.sees_stage = seams.referrer_sees_stage(referral)

    @property
    def offered(self) -> bool:
        if self.ended:
            return False
        return self.sends or not self.sees_stage

    @property
    def sends(self) -> bool:
        return self.waiting and not self.read

    def refusal(self) -> str:
        name = self.referral.name_for_referrer
        if self.ended:
            return "This referral is closed, so there is nothing to send again."
        if self.waiting and self.read:
            return f"{name} has already read the referral, so we have not emailed them again."
        return f"{name} has already been in touch with the support service, so we have not emailed them again."

    def done(self) -> str:
        name = self.referral.name_for_referrer
        if self.sees_stage:
            return f"We have emailed {name} again about the referral."
        return f"Thank you. If {name} has not replied to the support service yet, we have emailed them again."


class AlreadySent(Exception):
    """This press of "send again" was already handled (a double click or a reload)."""


class TooManyResends(Exception):
    """The referral's email has been sent again as often as ``REFERRAL_RESENDS_PER_DAY`` allows in 24 hours."""

    def __init__(self, next_allowed_at):
        super().__init__(next_allowed_at)
        self.next_allowed_at = next_allowed_at

    @property
    def message(self) -> str:
        """The same words for the referrer and the case manager, whether or not the doctor has an account."""
        times = settings.REFERRAL_RESENDS_PER_DAY
        return (
            f"The email was not sent. It has already been sent again {times} time{'s' if times != 1 else ''} in "
            "the last 24 hours, which is as often as we email a doctor about one referral. "
            f"You can send it again from {long_datetime(self.next_allowed_at)}."
        )


RESEND_WINDOW = dt.timedelta(hours=24)


def send_again(referral: SupportRequest, *, by: User, token: uuid.UUID) -> ReferralInvitation | None:
    """Email the doctor about the referral again, once per press.

    For a doctor still to register, a new invitation link replaces the old one (which stops working at
    once) and runs for the full number of days again. For a registered doctor, the email points to the
    referral page. The referrer sees the same either way, so they never learn whether the doctor has an
    account. Returns the renewed invitation, if there is one.

    At most ``REFERRAL_RESENDS_PER_DAY`` presses, by anyone, in any 24 hours: one more raises
    ``TooManyResends`` (with when the next may go) and changes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = (
            SupportRequest.objects.select_for_update().select_related("doctor__user", "service").get(pk=referral.pk)
        )
        if Resend.objects.filter(submission_token=token).exists():
            raise AlreadySent()
        recent = Resend.objects.filter(request=locked, at__gt=now - RESEND_WINDOW).order_by("-at")
        recent = list(recent.values_list("at", flat=True))
        if len(recent) >= settings.REFERRAL_RESENDS_PER_DAY:
            # The press that frees a place is the oldest of the last allowed number.
            raise TooManyResends(recent[settings.REFERRAL_RESENDS_PER_DAY - 1] + RESEND_WINDOW)
        try:
            with transaction.atomic():
                Resend.objects.create(request=locked, by=by, submission_token=token)
        except IntegrityError:
            raise AlreadySent() from None
        invitation = invitation_for(locked)
        if invitation is not None and invitation.accepted_at is None:
            secret = invitation.issue_token(now)
            invitation.times_sent += 1
            invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "times_sent"])
            link, to = _invitation_link(secret), invitation.email or locked.doctor.user.email
        else:
            invitation, link, to = None, _referral_link(locked), locked.doctor.user.email
        queue_email(
            key=f"referral-sent-again:{locked.pk}:{token}",
            to=to,
            subject="A reminder: you have been referred for professional support",
            template="referrals/email/referral_sent_again.txt",
            context=_email_context(
                locked, link=link, invited=invitation is not None, expires=invitation and invitation.expires_at
            ),
        )
    return invitation


def accept_invitation(invitation: ReferralInvitation, *, password: str, profile: dict) -> User:
    """The invited doctor sets a password and tells us about themselves; the link stops working."""
    with transaction.atomic():
        doctor = invitation.request.doctor
        user = doctor.user
        user.set_password(password)
        user.save(update_fields=["password"])
        doctor.career_stage = profile["career_stage"]
        doctor.contract_type = profile["contract_type"]
        doctor.qualification_region = profile["qualification_region"]
        doctor.save(update_fields=["career_stage", "contract_type", "qualification_region"])
        invitation.accepted_at = finish_invitations(doctor)
    return user


def finish_invitations(doctor: DoctorProfile):
    """The invited doctor has shown the address is theirs (by the invitation link, or by a password reset link
    to the same account): every open invitation of theirs is used up (more than one referral may have invited
    them), and they become a doctor of their employer, as registering would have made them. Returns when."""
    now = timezone.now()
    ReferralInvitation.objects.filter(request__doctor=doctor, accepted_at__isnull=True).update(accepted_at=now)
    if doctor.employer is not None:
        Membership.objects.get_or_create(user=doctor.user, organisation=doctor.employer, role=Role.DOCTOR)
    return now


def finish_invitations_on_password_chosen(sender, *, user: User, **kwargs) -> None:
    """A doctor who was invited by a referral but chose their password through "Forgotten your password?"
    (perhaps after trying to create an account with the invited address) ends up exactly where following the
    invitation would have put them. Only their own account's invitations: a referral whose invitation went to
    an address that belongs to someone else's account still needs its link (``claim_invitation``)."""
    doctor = DoctorProfile.objects.select_related("user", "employer").filter(user=user).first()
    if doctor is None:
        return
    if ReferralInvitation.objects.filter(request__doctor=doctor, accepted_at__isnull=True).exists():
        finish_invitations(doctor)


def address_taken_by_another_account(invitation: ReferralInvitation) -> bool:
    """Whether the mailbox this invitation went to already signs in to another account (see ``_invite``).
    Only the holder of the link is ever told."""
    user = invitation.request.doctor.user
    return bool(invitation.email) and invitation.email != user.email and not user.has_usable_password()


def claim_invitation(invitation: ReferralInvitation, user: User) -> SupportRequest:
    """The owner of the invited address already had a doctor's account: the referral (and any other made
    for the same invited person) moves to that account, and the placeholder account made for it goes.

    Following the emailed link and signing in to the account of that address shows it is theirs; their own
    profile (and its GMC number) stays as it is, and the case manager sees what the referrer typed.
    """
    with transaction.atomic():
        placeholder = invitation.request.doctor
        own = user.doctor_profile
        now = timezone.now()
        SupportRequest.objects.filter(doctor=placeholder).update(doctor=own)
        ReferralInvitation.objects.filter(request__doctor=own, accepted_at__isnull=True).update(accepted_at=now)
        # The access log is append-only and keeps its rows against the placeholder when staff read the
        # referral before it was claimed; the placeholder then stays (it cannot sign in) so no row is lost.
        if not placeholder.access_records.exists():
            placeholder_user = placeholder.user
            placeholder.delete()
            placeholder_user.delete()
    invitation.request.refresh_from_db()
    return invitation.request


def add_doctor_comment(referral: SupportRequest, *, text: str, token: uuid.UUID | None) -> DoctorComment:
    """The doctor's own account, once per submission: a second press of "Save" (same token) adds nothing."""
    token = token or uuid.uuid4()
    existing = referral.doctor_comments.filter(submission_token=token).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return DoctorComment.objects.create(request=referral, text=text, submission_token=token)
    except IntegrityError:
        # The same press arriving twice at once; a token belongs to one referral's page, so this is that one.
        done = DoctorComment.objects.filter(submission_token=token, request=referral).first()
        if done is None:
            raise
        return done
