"""The only ways a view may reach a case. Each returns the case or raises Http404, and logs every read by
someone other than the case's doctor. Who may is ``relationships``: only while the relationship holds."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import is_doctor
from supportpath.audit.log import record_access

from . import relationships
from .models import Case


def cases_for_doctor(user: User) -> QuerySet[Case]:
    if not is_doctor(user):
        return Case.objects.none()
    return Case.objects.filter(request__doctor=user.doctor_profile)


def cases_for_staff(user: User) -> QuerySet[Case]:
    """Cases a member of staff may open today: their service's cases (case managers), or the open cases they
    facilitate at a service they are still a facilitator of (``relationships``)."""
    return Case.objects.filter(relationships.cases_in_relationship(user))


def staff_role_on_case(user: User, case: Case) -> str:
    if relationships.is_case_manager_of(user, case):
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
    user: User,
    pk: int,
    *,
    purpose: str,
    action: str = "viewed",
    what: str = "",
    only: str | None = None,
    writes: bool = False,
    along: tuple[str, ...] = (),
) -> Case:
    """A case for a member of staff who works on it; the read is logged for the doctor to see.

    ``only`` narrows it to the case's case managers (``CASE_MANAGER_ONLY``) or to its facilitator
    (``FACILITATOR_ONLY``); ``writes`` (a page whose form writes into the case) refuses a closed case, to
    everyone. Both are checked before the read is logged: someone refused saw nothing, so the doctor's record
    of who has seen it says nothing about them. ``along`` names records the case has one of (its one-to-one
    relations, such as "closure") for a page that shows them: they are read in the same query, with the same
    checks and the same log."""
    try:
        case = (
            cases_for_staff(user)
            .select_related("request__doctor__user", "request__service", "case_manager", "facilitator", *along)
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    if only == CASE_MANAGER_ONLY and staff_role_on_case(user, case) != Role.CASE_MANAGER:
        raise Http404("Only the case manager does this")
    if only == FACILITATOR_ONLY and not relationships.is_facilitating(user, case):
        raise Http404("Only the case's facilitator does this")
    if writes and not relationships.is_open(case):
        raise Http404("The case is closed: nothing more is written into it")
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


def case_for_page(
    request: HttpRequest,
    pk: int,
    purpose: str,
    *,
    what: str = "",
    only: str | None = None,
    writes: bool = False,
    along: tuple[str, ...] = (),
) -> Case:
    """``get_case_for`` as every staff page asks it: the read logged as "viewed" for a GET and "changed" for a
    POST. The one way a view reaches a case as staff (no app keeps its own copy)."""
    action = "changed" if request.method == "POST" else "viewed"
    if not request.user.is_authenticated:  # never: staff pages are behind LoginRequiredMiddleware
        raise Http404("No such case")
    return get_case_for(
        request.user, pk, purpose=purpose, action=action, what=what, only=only, writes=writes, along=along
    )


def cases_for_case_manager(user: User) -> QuerySet[Case]:
    return Case.objects.filter(relationships.case_manager_cases(user))
