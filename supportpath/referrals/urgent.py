"""Urgent requests: every case manager of the service hears of one at once, and its service admin if its
first-contact target passes with nobody in touch. The emails say only that an urgent request waits, with its
reference and a link: nothing about who the doctor is or why they asked."""

from django.conf import settings
from django.urls import reverse

from supportpath.accounts.models import Membership, Role, User
from supportpath.core.dates import long_date
from supportpath.notifications.tasks import queue_email

from .models import SupportRequest


def _people(service_id: int, role: str) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation_id=service_id, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def _link(support_request: SupportRequest) -> str:
    return settings.SITE_URL + reverse("casework:request_detail", args=[support_request.reference])


def tell_case_managers(support_request: SupportRequest) -> int:
    """Email every case manager of the request's service, once each (call inside the transaction that makes
    the request: the emails go when it commits)."""
    people = _people(support_request.service_id, Role.CASE_MANAGER)
    for person in people:
        queue_email(
            key=f"urgent-request:{support_request.pk}:{person.pk}",
            to=person.email,
            subject="An urgent request for support is waiting",
            template="referrals/email/urgent_waiting.txt",
            context={
                "name": person.full_name,
                "reference": support_request.reference,
                "service": support_request.service.name,
                "due": long_date(support_request.first_contact_due),
                "link": _link(support_request),
            },
        )
    return len(people)


def tell_service_admins(support_request: SupportRequest) -> int:
    """Email the service's admins that an urgent request has missed its first-contact target."""
    people = _people(support_request.service_id, Role.SERVICE_ADMIN)
    for person in people:
        queue_email(
            key=f"urgent-missed:{support_request.pk}:{person.pk}",
            to=person.email,
            subject="An urgent request has not been contacted in time",
            template="referrals/email/urgent_missed.txt",
            context={
                "name": person.full_name,
                "reference": support_request.reference,
                "service": support_request.service.name,
                "due": long_date(support_request.first_contact_due),
                "link": settings.SITE_URL + reverse("service:home"),
            },
        )
    return len(people)
