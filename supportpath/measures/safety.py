"""The safety net (docs/hazard-log-safety-net.md): a PHQ-9 answer above 0 to question 9, or a PHQ-9 total of
20 or more, at once shows the doctor urgent help (the page does that), and here: records an alert, emails the
case manager (before a case exists, every case manager of the service) that a safety answer waits, never the
answer itself, and makes sure that an alert nobody follows up reaches the service admin after one working day.

Every email is keyed, so it goes once however often this runs; an alert is raised once per response."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task, task_backends

from supportpath.accounts.models import Membership, Role, User
from supportpath.core.working_days import add_working_days
from supportpath.notifications.tasks import queue_email

from .models import Response, SafetyAlert

ESCALATE_AFTER_WORKING_DAYS = 1


def escalation_time(raised_at: dt.datetime) -> dt.datetime:
    """The same time of day, one working day later (UK time)."""
    local = timezone.localtime(raised_at)
    day = add_working_days(local.date(), ESCALATE_AFTER_WORKING_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def case_managers_for(alert: SafetyAlert) -> tuple[list[User], bool]:
    """Who is told: the case's case manager, or every case manager of the service before a case exists."""
    case = getattr(alert.response, "case", None)
    if case is not None and case.case_manager.is_active:
        return [case.case_manager], True
    members = Membership.objects.filter(
        organisation_id=alert.request.service_id, role=Role.CASE_MANAGER, user__is_active=True
    ).select_related("user")
    return [m.user for m in members], False


def raise_alert(response: Response, reason: str, *, at: dt.datetime | None = None, notify: bool = True) -> bool:
    """Record the alert and tell the case manager(s). True if this call raised it (False: already raised).

    ``notify=False`` is for the fictional demo only, which sends no email while seeding."""
    now = at or timezone.now()
    try:
        with transaction.atomic():
            alert = SafetyAlert.objects.create(
                response=response,
                request=response.request,
                reason=reason,
                raised_at=now,
                escalate_after=escalation_time(now),
            )
    except IntegrityError:
        return False
    alert.response = response
    if not notify:
        return True
    recipients, own_case = case_managers_for(alert)
    reference = response.request.reference
    link = settings.SITE_URL + (
        reverse("measures:case_results", args=[response.case_id]) if response.case_id else reverse("casework:inbox")
    )
    for user in recipients:
        queue_email(
            key=f"measures-safety-alert-{alert.pk}-to-{user.pk}",
            to=user.email,
            subject=f"A safety answer waits for you: {reference}",
            template="measures/email/safety_alert.txt",
            context={
                "name": user.full_name,
                "reference": reference,
                "raised": timezone.localtime(now).strftime("%d %B %Y at %H:%M"),
                "own_case": own_case,
                "service": response.request.service.name,
                "link": link,
            },
        )
    if task_backends["default"].supports_defer:
        transaction.on_commit(lambda: escalate_alert.using(run_after=alert.escalate_after).enqueue(alert_pk=alert.pk))
    return True


def follow_up(alert: SafetyAlert, *, by: User, on: dt.date, what: str, at: dt.datetime | None = None) -> SafetyAlert:
    """Record what the case manager did; the alert is closed. A second press records nothing more."""
    with transaction.atomic():
        locked = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.followed_up_at is None:
            locked.followed_up_at = at or timezone.now()
            locked.followed_up_on = on
            locked.followed_up_by = by
            locked.what_was_done = what
            locked.save(update_fields=["followed_up_at", "followed_up_on", "followed_up_by", "what_was_done"])
    return locked


def escalate(alert_pk: int, now: dt.datetime | None = None) -> bool:
    """Tell the service admins about an alert still not followed up once its time has come. Once only."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            SafetyAlert.objects.select_for_update()
            .filter(pk=alert_pk, followed_up_at__isnull=True, escalated_at__isnull=True, escalate_after__lte=now)
            .first()
        )
        if alert is None:
            return False
        alert.escalated_at = now
        alert.save(update_fields=["escalated_at"])
        request = alert.request
        admins = Membership.objects.filter(
            organisation_id=request.service_id, role=Role.SERVICE_ADMIN, user__is_active=True
        ).select_related("user")
        for membership in admins:
            queue_email(
                key=f"measures-safety-escalation-{alert.pk}-to-{membership.user_id}",
                to=membership.user.email,
                subject=f"Not yet followed up: a safety answer on {request.reference}",
                template="measures/email/safety_escalation.txt",
                context={
                    "name": membership.user.full_name,
                    "reference": request.reference,
                    "raised": timezone.localtime(alert.raised_at).strftime("%d %B %Y at %H:%M"),
                    "service": request.service.name,
                },
            )
    return True


def escalate_due(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = SafetyAlert.objects.filter(
        followed_up_at__isnull=True, escalated_at__isnull=True, escalate_after__lte=now
    ).values_list("pk", flat=True)
    return sum(escalate(pk, now) for pk in list(due))


@task()
def escalate_alert(alert_pk: int) -> bool:
    return escalate(alert_pk)
