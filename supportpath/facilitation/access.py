"""The only ways a view may reach facilitator profiles and allocations. Each raises Http404 for anything the
person may not see; reads of a doctor's case go through casework.access and are logged there."""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import organisation_ids_for
from supportpath.audit.log import record_access

from .models import Allocation, AllocationStatus, FacilitatorProfile

# The people who run a service's facilitator pool.
POOL_ROLES = (Role.CASE_MANAGER, Role.SERVICE_ADMIN)


def services_managed_by(user: User) -> set[int]:
    ids: set[int] = set()
    for role in POOL_ROLES:
        ids |= organisation_ids_for(user, role)
    return ids


def profiles_for_manager(user: User) -> QuerySet[FacilitatorProfile]:
    return FacilitatorProfile.objects.filter(service_id__in=services_managed_by(user))


def get_profile_for_editing(user: User, pk: int) -> tuple[FacilitatorProfile, bool]:
    """A profile and whether this person edits it as the service (True) or as its own facilitator (False)."""
    profile = FacilitatorProfile.objects.select_related("user", "service").filter(pk=pk).first()
    if profile is None:
        raise Http404("No such profile")
    if profile.service_id in services_managed_by(user):
        return profile, True
    if profile.user_id == user.pk and profile.service_id in organisation_ids_for(user, Role.FACILITATOR):
        return profile, False
    raise Http404("No such profile")


def allocations_for_facilitator(user: User) -> QuerySet[Allocation]:
    return Allocation.objects.filter(facilitator=user)


def get_allocation_for_facilitator(user: User, pk: int, *, action: str = "viewed") -> Allocation:
    """An allocation offered to this facilitator. Reading it is reading part of the doctor's record: logged."""
    allocation = (
        allocations_for_facilitator(user)
        .select_related("case__request__doctor__user", "case__request__service", "case__case_manager")
        .filter(pk=pk)
        .first()
    )
    if allocation is None:
        raise Http404("No such allocation")
    request = allocation.case.request
    record_access(
        actor=user,
        role=Role.FACILITATOR,
        organisation=request.service.name,
        doctor=request.doctor,
        action=action,
        what=f"Case summary offered for facilitation ({request.reference})",
        obj=allocation.case,
        purpose="Deciding whether to support the doctor"
        if allocation.status == AllocationStatus.PROPOSED
        else "Supporting the doctor as their facilitator",
    )
    return allocation
