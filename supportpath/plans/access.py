"""Scoped access for the plans app. Cases are reached only through casework.access; the catalogue only by the
service's own service admins. Each returns the object or raises Http404."""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Organisation, Role, User
from supportpath.accounts.roles import membership_for, organisation_ids_for

from .models import Intervention


def admin_service(user: User) -> Organisation:
    membership = membership_for(user, Role.SERVICE_ADMIN)
    if membership is None:
        raise Http404("Not a service admin")
    return membership.organisation


def interventions_for_admin(user: User) -> QuerySet[Intervention]:
    return Intervention.objects.filter(service_id__in=organisation_ids_for(user, Role.SERVICE_ADMIN))


def get_intervention_for_admin(user: User, pk: int) -> Intervention:
    try:
        return interventions_for_admin(user).select_related("service").get(pk=pk)
    except Intervention.DoesNotExist:
        raise Http404("No such intervention") from None
