"""Creating an account without saying who already has one.

The public form answers every request with the same "check your email" page and does the same work for
each: it keeps what was typed (``PendingRegistration``) and queues a background task. The task decides, out of
sight, which of three emails to send:

- the address already has an account: "someone tried to create an account with your address; sign in, or
  reset your password";
- the GMC number already belongs to an account: "we could not finish setting up your account", with how to
  get help (the page never says why, because GMC numbers are public and the fact that a named doctor uses a
  support service is confidential);
- otherwise: a link to finish. The account is made only from that link, when its owner chooses a password,
  so nobody can hold an address or a GMC number they have not proved is theirs.
"""

import datetime as dt
import enum

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from supportpath.notifications.tasks import enqueue_with_transaction, queue_email

from . import throttle
from .models import AccountEmailKind, DoctorProfile, PendingRegistration, RegistrationEmail, User
from .services import register_doctor

SALT = "supportpath.accounts.registration"


class Outcome(enum.Enum):
    CREATED = "created"
    LINK_NOT_VALID = "link_not_valid"  # expired, used, or never ours
    ALREADY_SET_UP = "already_set_up"  # the address has an account now (e.g. a second link was used)
    COULD_NOT_FINISH = "could_not_finish"  # the GMC number belongs to an account now


def link_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.REGISTRATION_LINK_HOURS)


def start(request: HttpRequest, answers: dict, next_url: str = "") -> None:
    """Keep what the doctor typed and queue the email. Returns nothing: the page is the same whatever happens."""
    token = answers["submission_token"]
    if PendingRegistration.objects.filter(submission_token=token, email=answers["email"]).exists():
        return  # the same form sent twice
    if not throttle.allow(request, AccountEmailKind.REGISTRATION, answers["email"]):
        return
    PendingRegistration.objects.filter(created_at__lt=timezone.now() - link_lifetime()).delete()
    try:
        with transaction.atomic():
            pending = PendingRegistration.objects.create(
                email=answers["email"],
                full_name=answers["full_name"],
                gmc_number=answers["gmc_number"],
                career_stage=answers["career_stage"],
                contract_type=answers["contract_type"],
                specialty=answers.get("specialty", ""),
                qualification_region=answers["qualification_region"],
                employer=answers["employer"],
                next_url=next_url,
                submission_token=token,
            )
            # Queued with the row, in its transaction: a stop between the two cannot lose the email.
            enqueue_with_transaction(process_registration, pending_id=pending.pk)
    except IntegrityError:
        return  # a double submission that raced the check above


def decide_and_email(pending_id: int) -> None:
    """The background half of ``start``: send the one email that fits. The email is queued, and the registration
    marked as emailed, in one transaction: both happen or neither (a rerun then does it all)."""
    with transaction.atomic():
        pending = PendingRegistration.objects.filter(pk=pending_id).first()
        if pending is None or pending.emailed:
            return  # already done by an earlier run
        common = {"name": pending.full_name, "site_url": settings.SITE_URL, "help_email": settings.HELP_EMAIL}
        holder = User.objects.filter(email__iexact=pending.email).first()
        if holder is not None:
            queue_email(
                key=f"registration-account-exists:{pending.pk}",
                to=pending.email,
                subject="Someone tried to create a supportpath account with your email address",
                template="accounts/email/registration_account_exists.txt",
                context={
                    **common,
                    "name": holder.full_name,  # the account's own name, not what the form said
                    "sign_in_link": settings.SITE_URL + reverse("accounts:sign_in"),
                    "reset_link": settings.SITE_URL + reverse("accounts:password_reset"),
                },
            )
            _settle_without_link(pending, RegistrationEmail.ACCOUNT_EXISTS)
        elif DoctorProfile.objects.with_gmc_number(pending.gmc_number).exists():
            queue_email(
                key=f"registration-could-not-finish:{pending.pk}",
                to=pending.email,
                subject="We could not finish setting up your supportpath account",
                template="accounts/email/registration_could_not_finish.txt",
                context={**common, "reset_link": settings.SITE_URL + reverse("accounts:password_reset")},
            )
            _settle_without_link(pending, RegistrationEmail.GMC_NUMBER_HELD)
        else:
            token = signing.dumps(pending.pk, salt=SALT, compress=True)
            queue_email(
                key=f"registration-link:{pending.pk}",
                to=pending.email,
                subject="Finish setting up your supportpath account",
                template="accounts/email/registration_link.txt",
                context={
                    **common,
                    "link": settings.SITE_URL + reverse("accounts:register_finish", args=[token]),
                    "hours": settings.REGISTRATION_LINK_HOURS,
                },
            )
            pending.emailed = RegistrationEmail.LINK
            pending.save(update_fields=["emailed"])


def _settle_without_link(pending: PendingRegistration, emailed: RegistrationEmail) -> None:
    """Keep only what stops a double submission sending twice: nothing about the doctor is needed any more."""
    pending.emailed = emailed
    pending.full_name = pending.gmc_number = pending.specialty = ""
    pending.employer = None
    pending.save(update_fields=["emailed", "full_name", "gmc_number", "specialty", "employer"])


def pending_for_token(token: str | None) -> PendingRegistration | None:
    """The registration a link is for, if the link is ours, unexpired and not yet used."""
    if not token:
        return None
    try:
        pk = signing.loads(token, salt=SALT, max_age=link_lifetime())
    except signing.BadSignature:
        return None
    return (
        PendingRegistration.objects.select_related("employer")
        .filter(pk=pk, emailed=RegistrationEmail.LINK, created_at__gte=timezone.now() - link_lifetime())
        .first()
    )


def finish(pending: PendingRegistration, password: str) -> tuple[Outcome, User | None]:
    """Make the account from a followed link. One account per address and one profile per GMC number, even when
    two links (or two clicks) race."""
    with transaction.atomic():
        pending = (
            PendingRegistration.objects.select_for_update()
            .filter(pk=pending.pk, emailed=RegistrationEmail.LINK)
            .first()
        )
        if pending is None:
            return Outcome.LINK_NOT_VALID, None
        if User.objects.filter(email__iexact=pending.email).exists():
            PendingRegistration.objects.filter(email=pending.email).delete()
            return Outcome.ALREADY_SET_UP, None
        if DoctorProfile.objects.with_gmc_number(pending.gmc_number).exists():
            pending.delete()
            return Outcome.COULD_NOT_FINISH, None
        try:
            with transaction.atomic():
                user = register_doctor(
                    full_name=pending.full_name,
                    email=pending.email,
                    password=password,
                    gmc_number=pending.gmc_number,
                    career_stage=pending.career_stage,
                    contract_type=pending.contract_type,
                    specialty=pending.specialty,
                    qualification_region=pending.qualification_region,
                    employer=pending.employer,
                )
        except IntegrityError:
            # Another request made the account, or took the GMC number, a moment ago.
            taken = User.objects.filter(email__iexact=pending.email).exists()
            pending.delete()
            return (Outcome.ALREADY_SET_UP if taken else Outcome.COULD_NOT_FINISH), None
        PendingRegistration.objects.filter(email=pending.email).delete()
    return Outcome.CREATED, user


@task()
def process_registration(*, pending_id: int) -> None:
    decide_and_email(pending_id)
