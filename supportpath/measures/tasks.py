"""The measures' daily job (``measures`` in ``DAILY_JOBS``): invite doctors to answer again 3 and 6 months
after their support ended (one email each, with a link to their own questionnaire pages), and hand any safety
alert still not followed up after one working day to the service admin (``safety.escalate_due``; each alert
also has its own task queued for that moment, so the daily run is the safety net's safety net)."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from supportpath.progress.models import Closure
from supportpath.referrals.emails import email_doctor

from . import safety
from .models import FollowUpInvitation
from .offers import FOLLOW_UP_MONTHS, add_months, points_for_service

# A follow-up is sent in the month after it falls due, not for support that ended long before.
SEND_WITHIN_DAYS = 30


def _months_before(day: dt.date, months: int) -> dt.date:
    return add_months(day, -months)


def send_follow_up_invitations(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for point, months in FOLLOW_UP_MONTHS.items():
        latest = _months_before(today, months)
        earliest = latest - dt.timedelta(days=SEND_WITHIN_DAYS)
        closures = (
            Closure.objects.filter(closed_on__gt=earliest, closed_on__lte=latest)
            .exclude(case__request__measure_follow_ups__point=point)
            .select_related("case__request__doctor__user", "case__request__service")
        )
        service_points: dict[int, dict] = {}
        for closure in closures:
            request = closure.case.request
            if request.service_id not in service_points:
                service_points[request.service_id] = points_for_service(request.service_id)
            if not service_points[request.service_id].get(point):
                continue
            user = request.doctor.user
            if not user.is_active or not user.email:
                continue
            try:
                with transaction.atomic():
                    FollowUpInvitation.objects.create(request=request, point=point, sent_at=timezone.now())
                    email_doctor(
                        request,
                        key=f"measures-follow-up-{request.pk}-{point}",
                        subject="How are you now? A short, optional questionnaire",
                        template="measures/email/follow_up.txt",
                        context={
                            "months": months,
                            "service": request.service.name,
                            "link": settings.SITE_URL + reverse("measures:my_measures"),
                        },
                    )
            except IntegrityError:
                continue
            sent += 1
    return sent


def run_daily(today: dt.date | None = None) -> dict:
    return {"follow_ups": send_follow_up_invitations(today), "escalated": safety.escalate_due()}


@task()
def run_measures_daily() -> dict:
    return run_daily()
