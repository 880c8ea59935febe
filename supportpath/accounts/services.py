import hashlib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from supportpath.notifications.tasks import enqueue_with_transaction, queue_email

from . import throttle
from .models import AccountEmailKind, DoctorProfile, Membership, Organisation, Role, User


def register_doctor(
    *,
    full_name: str,
    email: str,
    password: str | None,
    gmc_number: str,
    career_stage: str,
    contract_type: str,
    qualification_region: str,
    employer: Organisation | None,
    specialty: str = "",
    password_hash: str = "",
) -> User:
    """A doctor's account, profile and membership of their employer. ``password`` None: an account with no usable
    password yet; ``password_hash``: one hashed already (the fictional demo's, hashed once for all its people)."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name, password_hash=password_hash)
    DoctorProfile.objects.create(
        user=user,
        gmc_number=gmc_number,
        career_stage=career_stage,
        contract_type=contract_type,
        specialty=specialty,
        qualification_region=qualification_region,
        employer=employer,
    )
    if employer is not None:
        Membership.objects.create(user=user, organisation=employer, role=Role.DOCTOR)
    return user


def end_all_sessions(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)


def users_for_password_reset(email: str) -> list[User]:
    """Who may be sent a reset link for this address: an active account, including one with no usable
    password yet (a doctor whose account a referral invitation made), which Django's own form leaves out."""
    return list(User.objects.filter(email__iexact=email.strip(), is_active=True, erased_at__isnull=True))


@task()
def send_password_reset_links(*, email: str) -> int:
    """Email a reset link (Django's token: it works once, and for PASSWORD_RESET_TIMEOUT) to each account that
    uses the address: usually one, often none."""
    sent = 0
    with transaction.atomic():
        for user in users_for_password_reset(email):
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            queue_email(
                # The key names the token by its hash: the token itself is a credential.
                key=f"password-reset:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:32]}",
                to=user.email,
                subject=(
                    "Reset your supportpath password"
                    if user.has_usable_password()
                    else "Set a password for your supportpath account"
                ),
                template="accounts/email/password_reset.txt",
                context={
                    "name": user.full_name,
                    "link": settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token]),
                    "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                    "has_password": user.has_usable_password(),
                    "help_email": settings.HELP_EMAIL,
                },
            )
            sent += 1
    return sent


def ask_for_password_reset(request: HttpRequest, email: str) -> None:
    """Queue the reset email, within the hourly limits. Whether an account uses the address is decided in the
    background task, so this request does the same work, and takes the same time, for any address."""
    email = email.strip().lower()
    if throttle.allow(request, AccountEmailKind.PASSWORD_RESET, email):
        enqueue_with_transaction(send_password_reset_links, email=email)


def set_new_password(user: User, password: str) -> User:
    """A new password from a reset link: every session the account had ends (a reset is often because someone
    else may know the old password), and a pause on signing in for this address lifts, since whoever
    followed the link has shown they own the address. For the same reason anything waiting for that proof
    (``signals.password_chosen``: a referred doctor's invitation) is finished now."""
    from axes.utils import reset as lift_sign_in_pause

    from .signals import password_chosen

    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        end_all_sessions(user)
        password_chosen.send(sender=User, user=user)
    lift_sign_in_pause(username=user.email)
    return user


def update_doctor_detail(profile: DoctorProfile, attribute: str, value) -> None:
    """A doctor changes one of their own details. A new employer moves their doctor membership with it; support
    already asked for stays with the service that has it."""
    with transaction.atomic():
        setattr(profile, attribute, value)
        profile.save(update_fields=[attribute])
        if attribute == "employer":
            Membership.objects.filter(user=profile.user, role=Role.DOCTOR).exclude(organisation=value).delete()
            if value is not None:
                Membership.objects.get_or_create(user=profile.user, organisation=value, role=Role.DOCTOR)
