"""The only ways a view reaches a doctor's answers. Each returns the record or raises Http404, and logs every
read by someone other than the doctor (through ``casework.access.get_case_for``).

Who reads what: the doctor their own; the case's case managers, on the case; the case's facilitator only while
the doctor shares their results with them (``ResultsSharing``); nobody else, ever, on these pages: referrers,
responsible officers, employers, evaluators and the service admin are refused as if nothing existed."""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import is_doctor, organisation_ids_for
from supportpath.audit.log import record_access
from supportpath.casework.access import cases_for_staff, get_case_for, staff_role_on_case
from supportpath.casework.models import Case
from supportpath.referrals.models import SupportRequest

from .models import Response, ResultsSharing, SafetyAlert


def own_response(user: User, pk: int) -> Response:
    if not is_doctor(user):
        raise Http404("No such response")
    response = (
        Response.objects.filter(pk=pk, doctor=user.doctor_profile)
        .select_related("questionnaire", "request__service", "case")
        .first()
    )
    if response is None:
        raise Http404("No such response")
    return response


def own_request(user: User, reference: str) -> SupportRequest:
    if not is_doctor(user):
        raise Http404("No such request")
    request = SupportRequest.objects.filter(reference=reference, doctor=user.doctor_profile).first()
    if request is None:
        raise Http404("No such request")
    return request


def shared_with_facilitator(request_id: int) -> bool:
    latest = ResultsSharing.objects.filter(request_id=request_id).order_by("-changed_at", "-id").first()
    return bool(latest and latest.with_facilitator)


def may_read_results(user: User, case: Case) -> bool:
    role = staff_role_on_case(user, case)
    if role == Role.CASE_MANAGER:
        return True
    return case.facilitator_id == user.pk and shared_with_facilitator(case.request_id)


def get_case_results_for(user: User, pk: int, *, what: str, action: str = "viewed") -> Case:
    """A case whose results this member of staff may read; the read is logged for the doctor."""
    case = cases_for_staff(user).select_related("request").filter(pk=pk).first()
    if case is None or not may_read_results(user, case):
        raise Http404("No such case")  # refused before anything is logged: they saw nothing
    return get_case_for(
        user,
        pk,
        purpose="Reading the doctor's questionnaire results",
        action=action,
        what=f"{what} ({case.request.reference})",
    )


def get_alert_for(user: User, pk: int) -> SafetyAlert:
    """A safety alert, for a case manager of its service; the follow-up is a change to the doctor's record."""
    alert = (
        SafetyAlert.objects.filter(pk=pk, request__service_id__in=organisation_ids_for(user, Role.CASE_MANAGER))
        .select_related("request__doctor__user", "request__service", "response__case", "followed_up_by")
        .first()
    )
    if alert is None:
        raise Http404("No such alert")
    return alert


def alerts_waiting_for_case_manager(user: User) -> QuerySet[SafetyAlert]:
    """Safety alerts of this case manager's services not yet followed up, oldest first (the inbox, which
    chooses the columns it shows)."""
    return SafetyAlert.objects.filter(
        request__service_id__in=organisation_ids_for(user, Role.CASE_MANAGER), followed_up_at__isnull=True
    ).order_by("raised_at")


def log_alert(user: User, alert: SafetyAlert, *, action: str) -> None:
    record_access(
        actor=user,
        role=Role.CASE_MANAGER,
        organisation=alert.request.service.name,
        doctor=alert.request.doctor,
        action=action,
        what=f"Safety follow-up on {alert.request.reference}",
        obj=alert,
        purpose="Following up a safety answer",
    )
