"""The rules of emergency access: opening a grant once, ending it, telling the case manager and the doctor,
and acknowledging the alert.

Opening a grant locks the request row, so a double submission (or two tabs) makes one grant: the same
submission token, or an admin who already has an open grant to the record, gets the grant that exists.
"""

import datetime as dt
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import Membership, Role, User
from supportpath.audit.log import record_access
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.core.dates import long_datetime
from supportpath.notifications.tasks import queue_email
from supportpath.referrals.emails import email_doctor
from supportpath.referrals.models import SupportRequest

from .models import EmergencyAccess


def duration() -> dt.timedelta:
    return dt.timedelta(minutes=settings.EMERGENCY_ACCESS_MINUTES)


def open_grant(
    *,
    admin: User,
    support_request: SupportRequest,
    purpose: str,
    reason: str,
    submission_token: uuid.UUID,
    notify: bool = True,
    at: dt.datetime | None = None,
) -> tuple[EmergencyAccess, bool]:
    """A grant for ``admin`` to read ``support_request``, and whether it is new. Only a new grant alerts
    the case manager and tells the doctor. The demo writes history: ``at`` is when it was opened (logged then
    too), and ``notify=False`` sends nobody an email (the alert and the doctor's notice still show on their
    pages)."""
    try:
        with transaction.atomic():
            locked = (
                SupportRequest.objects.select_for_update()
                .select_related("doctor__user", "service")
                .get(pk=support_request.pk)
            )
            existing = EmergencyAccess.objects.filter(submission_token=submission_token, admin=admin).first()
            if existing is None:
                existing = EmergencyAccess.objects.active().filter(admin=admin, support_request=locked).first()
            if existing is not None:
                return existing, False
            now = at or timezone.now()
            grant = EmergencyAccess.objects.create(
                support_request=locked,
                service=locked.service,
                admin=admin,
                purpose=purpose,
                reason=reason,
                opened_at=now,
                expires_at=now + duration(),
                submission_token=submission_token,
            )
            record_access(
                actor=admin,
                role=Role.SERVICE_ADMIN,
                organisation=locked.service.name,
                doctor=locked.doctor,
                action=AccessRecord.Action.CREATED,
                what=f"Emergency access to support request {locked.reference}, opened",
                obj=grant,
                purpose=grant.stated_purpose,
                at=at,
            )
            if notify:
                _alert_case_managers(grant, locked)
                _tell_doctor(grant, locked)
    except IntegrityError:
        # The same submission, committed by a request that ran at the same moment.
        return EmergencyAccess.objects.get(submission_token=submission_token, admin=admin), False
    return grant, True


def end_grant(grant: EmergencyAccess, *, at: dt.datetime | None = None) -> EmergencyAccess:
    """The admin ends the grant before it expires (``at``: when, for the demo's history; now, otherwise)."""
    when = at or timezone.now()
    if grant.ended_at is None and when < grant.expires_at:
        grant.ended_at = when
        grant.save(update_fields=["ended_at"])
    return grant


def mark_seen(grant: EmergencyAccess, *, by: User, at: dt.datetime | None = None) -> EmergencyAccess:
    """The first case manager to mark it seen is remembered; later clicks change nothing. (``at``: when, for
    the demo's history.)"""
    EmergencyAccess.objects.filter(pk=grant.pk, seen_at__isnull=True).update(seen_by=by, seen_at=at or timezone.now())
    grant.refresh_from_db(fields=["seen_by", "seen_at"])
    return grant


def mark_read_by_doctor(grant: EmergencyAccess) -> EmergencyAccess:
    EmergencyAccess.objects.filter(pk=grant.pk, doctor_read_at__isnull=True).update(doctor_read_at=timezone.now())
    grant.refresh_from_db(fields=["doctor_read_at"])
    return grant


def people_to_alert(support_request: SupportRequest) -> tuple[list[User], bool]:
    """The case's case manager; if there is no case yet, every case manager of the service. The flag says
    whether it is the case's own case manager."""
    case = Case.objects.select_related("case_manager").filter(request=support_request).first()
    if case is not None:
        return [case.case_manager], True
    memberships = (
        Membership.objects.filter(organisation_id=support_request.service_id, role=Role.CASE_MANAGER)
        .select_related("user")
        .order_by("user__full_name")
    )
    return [m.user for m in memberships], False


def _alert_case_managers(grant: EmergencyAccess, support_request: SupportRequest) -> None:
    people, own_case = people_to_alert(support_request)
    for person in people:
        queue_email(
            key=f"emergency-access-case-manager:{grant.pk}:{person.pk}",
            to=person.email,
            subject=f"Emergency access to {support_request.reference}",
            template="emergency_access/email/case_manager.txt",
            context={
                "admin": grant.admin.full_name,
                "reference": support_request.reference,
                "service": support_request.service.name,
                "purpose": grant.get_purpose_display(),
                "opened": long_datetime(grant.opened_at),
                "until": long_datetime(grant.expires_at),
                "own_case": own_case,
                "site_url": settings.SITE_URL,
            },
        )


def _tell_doctor(grant: EmergencyAccess, support_request: SupportRequest) -> None:
    has_case = Case.objects.filter(request=support_request).exists()
    email_doctor(
        support_request,
        key=f"emergency-access-doctor:{grant.pk}",
        subject="Someone opened your support record using emergency access",
        template="emergency_access/email/doctor.txt",
        context={
            "admin": grant.admin.full_name,
            "service": support_request.service.name,
            "opened": long_datetime(grant.opened_at),
            "until": long_datetime(grant.expires_at),
            "has_case": has_case,
            "site_url": settings.SITE_URL,
        },
    )


def reads_by_grant(grants: list[EmergencyAccess]) -> dict[int, list[AccessRecord]]:
    """The access-log rows written under each grant, newest first, in one query for the whole page.

    A read belongs to a grant when it is the grant's admin reading the grant's record, as emergency access,
    while the grant was open (grants of one admin to one record never overlap: see ``open_grant``)."""
    result: dict[int, list[AccessRecord]] = defaultdict(list)
    if not grants:
        return result
    admin_ids = {g.admin_id for g in grants}
    records = AccessRecord.objects.filter(
        actor_id__in=admin_ids,
        action=AccessRecord.Action.EMERGENCY,
        object_type=SupportRequest._meta.label_lower,
        object_id__in={str(g.support_request_id) for g in grants},
        at__gte=min(g.opened_at for g in grants),
        at__lte=max(g.closed_at for g in grants),
    ).only("at", "actor_id", "object_id")
    for record in records.order_by("-at", "-id"):
        for grant in grants:
            if (
                record.actor_id == grant.admin_id
                and record.object_id == str(grant.support_request_id)
                and grant.opened_at <= record.at <= grant.closed_at
            ):
                result[grant.pk].append(record)
                break
    return result
