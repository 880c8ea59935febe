"""The only ways a view may reach facilitator profiles and allocations. Each raises Http404 for anything the
person may not see; reads of a doctor's case go through casework.access and are logged there.

An offer is the facilitator's to read while it waits for their answer, and once accepted while they support
the doctor (``casework.relationships``: an open case, at a service they are still a facilitator of). A
declined or ended offer, an offer on a closed case, or any offer after their role at the service ended, is
refused: afterwards their list says only that it happened ("Earlier"), with the case's reference and nothing
of the doctor."""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.audit.log import record_access
from supportpath.casework import relationships
from supportpath.casework.models import Stage

from .models import OPEN_STATUSES, Allocation, AllocationStatus, FacilitatorProfile

# The people who run a service's facilitator pool.
POOL_ROLES = (Role.CASE_MANAGER, Role.SERVICE_ADMIN)


def services_managed_by(user: User) -> set[int]:
    ids: set[int] = set()
    for role in POOL_ROLES:
        ids |= current_organisation_ids(user, role)
    return ids


def manages_a_service(user: User) -> bool:
    """Whether this person manages the facilitators of any service (its case managers and service admins)."""
    return bool(services_managed_by(user))


def get_profile_for_editing(user: User, pk: int) -> tuple[FacilitatorProfile, bool]:
    """A profile and whether this person edits it as the service (True) or as its own facilitator (False)."""
    profile = FacilitatorProfile.objects.select_related("user", "service").filter(pk=pk).first()
    if profile is None:
        raise Http404("No such profile")
    if profile.service_id in services_managed_by(user):
        return profile, True
    if profile.user_id == user.pk and profile.service_id in current_organisation_ids(user, Role.FACILITATOR):
        return profile, False
    raise Http404("No such profile")


def allocations_for_facilitator(user: User) -> QuerySet[Allocation]:
    """Every offer made to this facilitator at a service they are still a facilitator of: the open ones to
    open, the others for the list of what happened (reference and outcome only)."""
    return Allocation.objects.filter(
        facilitator_id=user.pk, case__request__service_id__in=current_organisation_ids(user, Role.FACILITATOR)
    )


def current_offers(user: User) -> QuerySet[Allocation]:
    """The offers this facilitator may open: waiting for their answer, or accepted, on an open case."""
    return allocations_for_facilitator(user).filter(status__in=OPEN_STATUSES).exclude(case__stage=Stage.CLOSED)


def get_allocation_for_facilitator(user: User, pk: int, *, action: str = "viewed") -> Allocation:
    """An offer to this facilitator that is still current. Reading it is reading part of the doctor's record:
    logged. Anything else is 404, and nothing is logged: the person saw nothing."""
    allocation = (
        current_offers(user)
        .select_related("case__request__doctor__user", "case__request__service", "case__case_manager")
        .filter(pk=pk)
        .first()
    )
    if allocation is None or not relationships.may_answer_offer(
        user, facilitator_id=allocation.facilitator_id, case=allocation.case
    ):
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
