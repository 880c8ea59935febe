"""Scoped access for the plans app. Cases are reached only through casework.access; the catalogue only by the
service's own service admins. Each returns the object or raises Http404."""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Organisation, Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.accounts.roles import membership_for

from .models import Intervention


def admin_service(user: User) -> Organisation:
    membership = membership_for(user, Role.SERVICE_ADMIN)
    if membership is None:
        raise Http404("Not a service admin")
    return membership.organisation


HOME_ROLES = (Role.SERVICE_ADMIN, Role.CASE_MANAGER)


def home_service(user: User) -> tuple[Organisation, set[str]]:
    """The service whose "Your service" page this person opens, and the roles they hold there: its service
    admins and its case managers (a service admin's own service first). Anyone else gets 404."""
    for role in HOME_ROLES:
        membership = membership_for(user, role)
        if membership is not None:
            service = membership.organisation
            return service, {r for r in HOME_ROLES if service.pk in current_organisation_ids(user, r)}
    raise Http404("Not a service admin or case manager")


def interventions_for_admin(user: User) -> QuerySet[Intervention]:
    return Intervention.objects.filter(service_id__in=current_organisation_ids(user, Role.SERVICE_ADMIN))


def get_intervention_for_admin(user: User, pk: int) -> Intervention:
    try:
        return interventions_for_admin(user).select_related("service").get(pk=pk)
    except Intervention.DoesNotExist:
        raise Http404("No such intervention") from None
