"""The only ways the service admin's pages reach people, invitations, organisations and the interventions
catalogue: each is scoped to the admin's own service (the memberships of its staff, and of the referrers,
responsible officers and organisation leads of the organisations it serves) and raises Http404 for anything else."""

from django.db.models import Q, QuerySet
from django.http import Http404

from supportpath.accounts.models import Membership, Organisation, Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.accounts.roles import membership_for
from supportpath.plans.models import Intervention

from .models import StaffInvitation
from .services import ORGANISATION_ROLES, STAFF_ROLES


def admin_service(user: User) -> Organisation:
    membership = membership_for(user, Role.SERVICE_ADMIN)
    if membership is None:
        raise Http404("Not a service admin")
    return membership.organisation


HOME_ROLES = (Role.SERVICE_ADMIN, Role.CASE_MANAGER)


def may_open_home(user: User) -> bool:
    """Whether "Your service" is for this person: a service admin or a case manager, in a current membership."""
    return any(membership_for(user, role) is not None for role in HOME_ROLES)


def home_service(user: User) -> tuple[Organisation, set[str]]:
    """The service whose "Your service" page this person opens, and the roles they hold there: its service
    admins and its case managers (a service admin's own service first). Anyone else gets 404."""
    for role in HOME_ROLES:
        membership = membership_for(user, role)
        if membership is not None:
            service = membership.organisation
            return service, {r for r in HOME_ROLES if service.pk in current_organisation_ids(user, r)}
    raise Http404("Not a service admin or case manager")


def memberships_for_admin(user: User) -> QuerySet[Membership]:
    service = admin_service(user)
    return Membership.objects.filter(
        Q(organisation=service, role__in=STAFF_ROLES)
        | Q(organisation__support_service=service, role__in=ORGANISATION_ROLES)
    )


def get_membership_for_admin(user: User, pk: int) -> Membership:
    membership = memberships_for_admin(user).select_related("user", "organisation").filter(pk=pk).first()
    if membership is None:
        raise Http404("No such member")
    return membership


def get_organisation_for_admin(user: User, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk, support_service=admin_service(user)).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def get_invitation_for_admin(user: User, pk: int) -> StaffInvitation:
    invitation = (
        StaffInvitation.objects.select_related("organisation")
        .filter(pk=pk, service=admin_service(user), accepted_at__isnull=True, withdrawn_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def interventions_for_admin(user: User) -> QuerySet[Intervention]:
    return Intervention.objects.filter(service_id__in=current_organisation_ids(user, Role.SERVICE_ADMIN))


def get_intervention_for_admin(user: User, pk: int) -> Intervention:
    try:
        return interventions_for_admin(user).select_related("service").get(pk=pk)
    except Intervention.DoesNotExist:
        raise Http404("No such intervention") from None
