"""The only ways a view may reach a thread of messages or a doctor's contact details. Each returns what was asked
for or raises Http404, and logs every read by a member of staff for the doctor to see.

Who may, asked of the existing rules so that access ends when the relationship ends
(``supportpath.accounts.relationships``, ``supportpath.casework.relationships``):

- the **doctor** whose request it is: always (it is their own record), writing while it is open;
- a **case manager**: a current case-manager membership of the request's service, before and after it
  becomes a case, and after it closes (read only, as for the case itself);
- the case's **facilitator**: once they accepted, while they support the doctor (an open case, a current
  facilitator membership). A former facilitator, and anyone once the case is closed, reaches nothing.

Referrers, responsible officers, employers, service admins and evaluators never reach a message.

A thread takes messages while its request is open: received, contacted, or accepted with its case open. Once the
case closes (or the request was handed over or ended), the thread is read only, to everyone: the doctor still
reads their messages (and has them in "Download my data"), but is pointed to the service's contact details
instead of writing into a closed record."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids, holds_role_at
from supportpath.accounts.roles import is_doctor
from supportpath.audit.log import record_access
from supportpath.casework import relationships
from supportpath.casework.models import Case, Stage
from supportpath.referrals.models import Status, SupportRequest

OPEN_REQUEST_STATUSES = (Status.RECEIVED, Status.CONTACTED, Status.ACCEPTED)


@dataclass(frozen=True)
class Thread:
    request: SupportRequest
    case: Case | None
    role: str  # the viewer's: doctor, case_manager or facilitator
    can_write: bool


def _case_of(support_request: SupportRequest) -> Case | None:
    return Case.objects.filter(request=support_request).select_related("case_manager", "facilitator").first()


def is_open(support_request: SupportRequest, case: Case | None) -> bool:
    if support_request.status not in OPEN_REQUEST_STATUSES:
        return False
    return case is None or relationships.is_open(case)


def staff_role(user: User, support_request: SupportRequest, case: Case | None) -> str | None:
    """The member of staff's relationship with the request today, or None."""
    if not user.is_authenticated:
        return None
    if holds_role_at(user, Role.CASE_MANAGER, support_request.service_id):
        return Role.CASE_MANAGER
    if case is not None and relationships.is_facilitating(user, case):
        return Role.FACILITATOR
    return None


def requests_for_staff(user: User) -> QuerySet[SupportRequest]:
    """Every request whose thread this member of staff may open today (for their list of messages)."""
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    facilitated = Q(
        case__facilitator_id=user.pk,
        service_id__in=current_organisation_ids(user, Role.FACILITATOR),
    ) & ~Q(case__stage=Stage.CLOSED)
    return SupportRequest.objects.filter(
        Q(service_id__in=current_organisation_ids(user, Role.CASE_MANAGER)) | facilitated
    )


def requests_for_doctor(user: User) -> QuerySet[SupportRequest]:
    if not is_doctor(user):
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(doctor=user.doctor_profile)


def get_own_thread(user: User, reference: str) -> Thread:
    """The doctor's own thread. Not logged: a doctor reading their own record is not an access by others."""
    try:
        support_request = requests_for_doctor(user).select_related("service").get(reference=reference)
    except SupportRequest.DoesNotExist:
        raise Http404("No such request") from None
    case = _case_of(support_request)
    return Thread(support_request, case, Role.DOCTOR, is_open(support_request, case))


def _staff_request(user: User, reference: str) -> tuple[SupportRequest, Case | None, str]:
    try:
        support_request = SupportRequest.objects.select_related("doctor__user", "service").get(reference=reference)
    except SupportRequest.DoesNotExist:
        raise Http404("No such request") from None
    case = _case_of(support_request)
    role = staff_role(user, support_request, case)
    if role is None:
        raise Http404("No such request")
    return support_request, case, role


def get_thread_for(user: User, reference: str, *, action: str = "viewed") -> Thread:
    """A thread, for a member of staff in a relationship with the request today; the read (or, with
    ``action="changed"``, the message they sent) is logged. Checked before anything is logged or written."""
    support_request, case, role = _staff_request(user, reference)
    record_access(
        actor=user,
        role=role,
        organisation=support_request.service.name,
        doctor=support_request.doctor,
        action=action,
        what=f"Messages about request {support_request.reference}",
        obj=support_request,
        purpose="Messaging the doctor they support",
    )
    return Thread(support_request, case, role, is_open(support_request, case))


@dataclass(frozen=True)
class DoctorContact:
    request: SupportRequest
    case: Case | None
    role: str


def get_doctor_contact_for(user: User, reference: str) -> DoctorContact:
    """The doctor's contact details (email, phone, preferred times), for their case manager or their facilitator
    once accepted; each read logged."""
    support_request, case, role = _staff_request(user, reference)
    record_access(
        actor=user,
        role=role,
        organisation=support_request.service.name,
        doctor=support_request.doctor,
        action="viewed",
        what=f"Contact details ({support_request.reference})",
        obj=support_request,
        purpose="Contacting the doctor they support",
    )
    return DoctorContact(support_request, case, role)
