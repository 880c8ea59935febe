"""Rules for referrals by someone else: making one (and inviting an unregistered doctor), telling the doctor,
and what the referrer may see."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Membership, Organisation, Role, User
from supportpath.core.dates import long_date
from supportpath.notifications.tasks import queue_email
from supportpath.sharing import agreement as sharing
from supportpath.sharing import wall

from .models import ReferralInvitation, SupportRequest, SupportRequestReason
from .services import first_contact_due


def shared_status(referral: SupportRequest) -> str:
    """What the referrer sees as the status: received, and when support ends, always; the stage between only
    when the sharing agreement gives it to them (a mandated referral always does)."""
    return wall.referrer_status(referral)


def referrer_organisation(user: User) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=user, role__in=[Role.REFERRER, Role.RESPONSIBLE_OFFICER])
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _invite(*, gmc_number: str, full_name: str, email: str, employer: Organisation | None) -> DoctorProfile:
    user = User.objects.create_user(email=email.lower(), password=None, full_name=full_name)
    return DoctorProfile.objects.create(user=user, gmc_number=gmc_number, employer=employer)


def make_referral(*, referrer: User, doctor: dict, details: dict, token: uuid.UUID) -> SupportRequest:
    existing = SupportRequest.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    organisation = referrer_organisation(referrer)
    now = timezone.now()
    try:
        with transaction.atomic():
            if doctor.get("doctor_id"):
                profile = DoctorProfile.objects.select_related("user", "employer").get(pk=doctor["doctor_id"])
                invited = False
            else:
                profile = _invite(
                    gmc_number=doctor["gmc_number"],
                    full_name=doctor["full_name"],
                    email=doctor["email"],
                    employer=organisation,
                )
                invited = True
            home = profile.employer or organisation
            referral = SupportRequest.objects.create(
                doctor=profile,
                service=home.serving_service,
                route=details["route"],
                referrer=referrer,
                referrer_organisation=organisation,
                referral_description=details["description"],
                discussed_with_doctor=details["discussed"],
                mandated=details["mandated"] == "yes",
                submitted_at=now,
                first_contact_due=first_contact_due(timezone.localdate(now)),
                doctor_told_at=now,
                submission_token=token,
            )
            SupportRequestReason.objects.bulk_create(
                SupportRequestReason(request=referral, reason=r) for r in details["reasons"]
            )
            sharing.start(referral)
            invitation = ReferralInvitation.objects.create(request=referral) if invited else None
            link = (
                f"{settings.SITE_URL}/referrals/invitation/{invitation.token}/"
                if invitation
                else f"{settings.SITE_URL}/referrals/{referral.reference}/about-your-referral/"
            )
            queue_email(
                key=f"referral-made:{referral.pk}",
                to=profile.user.email,
                subject="Someone has referred you for professional support",
                template="referrals/email/referral_made.txt",
                context={
                    "name": profile.user.full_name,
                    "referrer": referrer.full_name,
                    "organisation": organisation.name if organisation else "",
                    "service": referral.service.name,
                    "due": long_date(referral.first_contact_due),
                    "link": link,
                    "invited": invited,
                },
            )
    except IntegrityError:
        return SupportRequest.objects.get(submission_token=token)
    return referral


def accept_invitation(invitation: ReferralInvitation, password: str) -> User:
    with transaction.atomic():
        user = invitation.request.doctor.user
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        employer = invitation.request.doctor.employer
        if employer is not None:
            Membership.objects.get_or_create(user=user, organisation=employer, role=Role.DOCTOR)
    return user
