"""The only ways the service admin's pages reach people, invitations and organisations: each is scoped to the
admin's own service (the memberships of its staff, and of the referrers and responsible officers of the
organisations it serves) and raises Http404 for anything else."""

from django.db.models import Q, QuerySet
from django.http import Http404

from supportpath.accounts.models import Membership, Organisation, Role, User
from supportpath.accounts.roles import membership_for

from .models import StaffInvitation
from .services import ORGANISATION_ROLES, STAFF_ROLES


def admin_service(user: User) -> Organisation:
    membership = membership_for(user, Role.SERVICE_ADMIN)
    if membership is None:
        raise Http404("Not a service admin")
    return membership.organisation


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
