"""The only ways a view may reach a case. Each returns the case or raises Http404, and logs every read by
someone other than the case's doctor."""

from django.db.models import Q, QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import is_doctor, organisation_ids_for
from supportpath.audit.log import record_access

from .models import Case


def cases_for_doctor(user: User) -> QuerySet[Case]:
    if not is_doctor(user):
        return Case.objects.none()
    return Case.objects.filter(request__doctor=user.doctor_profile)


def cases_for_staff(user: User) -> QuerySet[Case]:
    """Cases a member of staff may open: their service's cases (case managers), or cases they facilitate."""
    return Case.objects.filter(
        Q(request__service_id__in=organisation_ids_for(user, Role.CASE_MANAGER)) | Q(facilitator=user)
    )


def staff_role_on_case(user: User, case: Case) -> str:
    if case.request.service_id in organisation_ids_for(user, Role.CASE_MANAGER):
        return Role.CASE_MANAGER
    return Role.FACILITATOR


def get_own_case(user: User, pk: int) -> Case:
    try:
        return cases_for_doctor(user).select_related("request__service", "case_manager", "facilitator").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


CASE_MANAGER_ONLY = "case_manager"
FACILITATOR_ONLY = "facilitator"


def get_case_for(
    user: User, pk: int, *, purpose: str, action: str = "viewed", what: str = "", only: str | None = None
) -> Case:
    """A case for a member of staff who works on it; the read is logged for the doctor to see.

    ``only`` narrows it to the case's case managers (``CASE_MANAGER_ONLY``) or to its facilitator
    (``FACILITATOR_ONLY``), checked before the read is logged: someone refused saw nothing, so the doctor's
    record of who has seen it says nothing about them."""
    try:
        case = (
            cases_for_staff(user)
            .select_related("request__doctor__user", "request__service", "case_manager", "facilitator")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    if only == CASE_MANAGER_ONLY and staff_role_on_case(user, case) != Role.CASE_MANAGER:
        raise Http404("Only the case manager does this")
    if only == FACILITATOR_ONLY and case.facilitator_id != user.pk:
        raise Http404("Only the case's facilitator does this")
    record_access(
        actor=user,
        role=staff_role_on_case(user, case),
        organisation=case.request.service.name,
        doctor=case.request.doctor,
        action=action,
        what=what or f"Case record {case.request.reference}",
        obj=case,
        purpose=purpose,
    )
    return case


def cases_for_case_manager(user: User) -> QuerySet[Case]:
    return Case.objects.filter(request__service_id__in=organisation_ids_for(user, Role.CASE_MANAGER))
