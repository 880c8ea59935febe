"""Who may read the insights: the evaluators and service admins of a support service, of that service only.
Everything here is about many doctors at once and passes the disclosure rule, so nothing is logged as a read
of anyone's record; but nobody sees another service's numbers."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Organisation, Role, User
from supportpath.accounts.roles import memberships

READER_ROLES = (Role.EVALUATOR, Role.SERVICE_ADMIN)


def services_for(user: User) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for membership in memberships(user):
        if membership.role in READER_ROLES and membership.organisation.runs_support_service:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return sorted(seen.values(), key=lambda o: o.name)


def may_read(user: User) -> bool:
    return bool(services_for(user))


def is_admin_of(user: User, service: Organisation) -> bool:
    return any(m.role == Role.SERVICE_ADMIN and m.organisation_id == service.pk for m in memberships(user))


def service_for(user: User, chosen: str | None = None) -> Organisation:
    """The service whose insights the person asked for (``?service=``), or their only (first) one. Refused
    (403) for anyone who reads no service's insights; 404 for a service that is not theirs."""
    services = services_for(user)
    if not services:
        raise PermissionDenied
    if not chosen:
        return services[0]
    for service in services:
        if str(service.pk) == chosen:
            return service
    raise Http404("Not a service whose insights you read")


def served_organisations(service: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(support_service=service).order_by("name")
