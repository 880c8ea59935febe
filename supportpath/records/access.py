"""The only ways a view may reach an erasure request, or the records it is about. Each returns what was asked
for or raises Http404; a service admin's read is logged for the doctor to see (if their account remains)."""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Organisation, Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.accounts.roles import is_doctor
from supportpath.audit.log import record_access
from supportpath.referrals.models import SupportRequest

from .models import ErasureRequest


def admin_services(user: User) -> list[Organisation]:
    """The services the person is a service admin of; 404 for anyone else."""
    ids = current_organisation_ids(user, Role.SERVICE_ADMIN)
    if not ids:
        raise Http404("Not a service admin")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def erasure_requests_for_admin(user: User) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(service_id__in=current_organisation_ids(user, Role.SERVICE_ADMIN))


def own_erasure_requests(user: User) -> QuerySet[ErasureRequest]:
    if not is_doctor(user):
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.filter(doctor=user.doctor_profile)


def get_erasure_request_for_admin(user: User, pk: int, *, purpose: str) -> ErasureRequest:
    try:
        erasure_request = (
            erasure_requests_for_admin(user).select_related("doctor__user", "doctor__employer", "service").get(pk=pk)
        )
    except ErasureRequest.DoesNotExist:
        raise Http404("No such erasure request") from None
    record_access(
        actor=user,
        role=Role.SERVICE_ADMIN,
        organisation=erasure_request.service.name,
        doctor=erasure_request.doctor,
        action="viewed",
        what=f"Request to erase their record ({erasure_request.reference}) and the records it covers",
        obj=erasure_request,
        purpose=purpose,
    )
    return erasure_request


def records_covered(erasure_request: ErasureRequest) -> QuerySet[SupportRequest]:
    """What carrying out the request would erase: the doctor's requests held by that one service. Reached only
    through a request already fetched (and its reading logged) by ``get_erasure_request_for_admin``."""
    return (
        SupportRequest.objects.filter(doctor_id=erasure_request.doctor_id, service_id=erasure_request.service_id)
        .select_related("case__closure")
        .order_by("submitted_at")
    )
