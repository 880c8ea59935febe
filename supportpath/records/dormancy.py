"""Unused doctors' accounts: warn the doctor some weeks before the ``dormant_accounts`` rule closes theirs.

Part of the daily retention run (``retention.dormant_accounts``): each run first warns every account that will
pass its period within ``DORMANT_ACCOUNT_WARNING_DAYS``, then closes those past their period whose warning went
at least that many days ago. So nobody's account is closed without a warning, and a doctor who signs in after
the warning keeps their account (the warning named the quiet spell their sign-in ended).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import STAFF_ROLES, DoctorProfile, Membership
from supportpath.core.dates import long_date
from supportpath.referrals.emails import email_doctor
from supportpath.referrals.models import SupportRequest

from .models import DormancyWarning, ErasureRequest, ErasureStatus
from .policy import BY_KEY

# No mailbox can receive at these (a placeholder made for an invitation, an erased account): nobody to warn.
UNREACHABLE_SUFFIX = ".invalid"


def warning_period() -> dt.timedelta:
    return dt.timedelta(days=settings.DORMANT_ACCOUNT_WARNING_DAYS)


def candidates() -> QuerySet[DoctorProfile]:
    """Doctors' accounts the rule applies to: no support record left, no erasure request waiting, no staff
    role, not already closed; annotated with ``last_seen`` (the last sign-in, or when the account was made)."""
    return (
        DoctorProfile.objects.filter(~Exists(SupportRequest.objects.filter(doctor=OuterRef("pk"))))
        .filter(~Exists(ErasureRequest.objects.filter(doctor=OuterRef("pk"), status=ErasureStatus.WAITING)))
        .filter(~Exists(Membership.objects.filter(user=OuterRef("user"), role__in=STAFF_ROLES)))
        .filter(user__erased_at__isnull=True)
        .annotate(last_seen=Coalesce("user__last_login", "user__date_joined"))
    )


def due_for_closing(now: dt.datetime) -> QuerySet[DoctorProfile]:
    """Past the period, and warned about this quiet spell long enough ago (or with no address to warn)."""
    cutoff = BY_KEY["dormant_accounts"].cutoff(now)
    warned_in_time = DormancyWarning.objects.filter(
        doctor=OuterRef("pk"), last_seen=OuterRef("last_seen"), warned_at__lte=now - warning_period()
    )
    return (
        candidates()
        .filter(last_seen__lt=cutoff)
        .filter(Q(Exists(warned_in_time)) | Q(user__email__endswith=UNREACHABLE_SUFFIX))
    )


def closes_on(last_seen: dt.datetime, now: dt.datetime) -> dt.date:
    """The day the account will be closed if nobody signs in: its period's end, or the end of the warning."""
    period_ends = last_seen + (now - BY_KEY["dormant_accounts"].cutoff(now))
    return timezone.localdate(max(period_ends, now + warning_period()) + dt.timedelta(days=1))


def warn(now: dt.datetime, *, dry_run: bool = False) -> int:
    """Warn, once per quiet spell, every account that will pass its period within the warning period.
    Returns how many were warned (in a dry run: would be)."""
    soon = BY_KEY["dormant_accounts"].cutoff(now) + warning_period()
    already = DormancyWarning.objects.filter(doctor=OuterRef("pk"), last_seen=OuterRef("last_seen"))
    to_warn = (
        candidates()
        .filter(last_seen__lt=soon)
        .exclude(user__email__endswith=UNREACHABLE_SUFFIX)
        .filter(~Exists(already))
        .select_related("user")
        .order_by("pk")
    )
    if dry_run:
        return to_warn.count()
    warned = 0
    for profile in to_warn.iterator():
        try:
            with transaction.atomic():
                warning = DormancyWarning.objects.create(
                    doctor=profile,
                    last_seen=profile.last_seen,
                    warned_at=now,
                    closes_on=closes_on(profile.last_seen, now),
                )
                email_doctor(
                    profile,
                    key=f"dormancy-warning:{warning.pk}",
                    subject="Your supportpath account will be closed unless you sign in",
                    template="records/email/dormancy_warning.txt",
                    context={
                        "last_seen": long_date(profile.last_seen),
                        "closes_on": long_date(warning.closes_on),
                        "sign_in_link": settings.SITE_URL + reverse("accounts:sign_in"),
                        "reset_link": settings.SITE_URL + reverse("accounts:password_reset"),
                        "help_email": settings.HELP_EMAIL,
                    },
                )
        except IntegrityError:
            continue  # another run warned this spell a moment ago
        warned += 1
    return warned
