"""The only ways a view may reach an emergency grant, or a record through one. Each raises Http404 for anyone
the grant is not for, so nobody can learn whether a grant or a record exists.

A record is read only through ``read_record``: it needs an active grant of the person asking, who must still
be a service admin of the record's service, and it logs the read with the grant's stated reason.
"""

from django.db.models import F, QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.accounts.roles import is_doctor
from supportpath.audit.log import record_access
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.referrals.models import SupportRequest

from . import presenters
from .models import EmergencyAccess


def admin_service_ids(user: User) -> set[int]:
    return current_organisation_ids(user, Role.SERVICE_ADMIN)


def is_service_admin(user: User) -> bool:
    return bool(admin_service_ids(user))


def find_request_for_admin(user: User, reference: str) -> SupportRequest | None:
    """The request of one of this admin's services with this reference, or None. Only its existence is
    checked (the form says "no such record" otherwise); nothing of it is shown, so nothing is logged yet."""
    return (
        SupportRequest.objects.filter(service_id__in=admin_service_ids(user), reference=reference)
        .select_related("service")
        .first()
    )


def grants_of_admin(user: User) -> QuerySet[EmergencyAccess]:
    """Every grant this admin has opened, at services they are still an admin of."""
    return EmergencyAccess.objects.filter(admin=user, service_id__in=admin_service_ids(user))


def get_own_grant(user: User, pk: int) -> EmergencyAccess:
    """One of this admin's grants, active or not (to end it, or to be told it has ended)."""
    grant = grants_of_admin(user).select_related("support_request", "service").filter(pk=pk).first()
    if grant is None:
        raise Http404("No such emergency access")
    return grant


def get_active_grant(user: User, pk: int) -> EmergencyAccess:
    grant = (
        grants_of_admin(user)
        .active()
        # The record must still belong to the service the grant was opened at.
        .filter(support_request__service_id=F("service_id"))
        .select_related("service", "admin")
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404("No active emergency access")
    return grant


def record_under(grant: EmergencyAccess) -> tuple[SupportRequest, Case | None]:
    """The request a grant opens and its case, if it has one, for ``presenters.record_view``. Only for a grant
    already reached through ``get_active_grant`` (or the demo's own past reads)."""
    support_request = (
        SupportRequest.objects.select_related("doctor__user", "service", "referrer", "referrer_organisation")
        .prefetch_related("reasons")
        .get(pk=grant.support_request_id)
    )
    case = Case.objects.select_related("case_manager", "facilitator").filter(request=support_request).first()
    return support_request, case


def read_record(user: User, pk: int) -> tuple[EmergencyAccess, "presenters.RecordView"]:
    """The record under an active grant, read-only and without anyone's private notes. Every read is
    logged as emergency access, with the reason the admin stated as its purpose, for the doctor to see."""
    grant = get_active_grant(user, pk)
    view = presenters.record_view(*record_under(grant))
    record_access(
        actor=user,
        role=Role.SERVICE_ADMIN,
        organisation=grant.service.name,
        doctor=view.support_request.doctor,
        action=AccessRecord.Action.EMERGENCY,
        what=view.what_was_read,
        obj=view.support_request,
        purpose=grant.stated_purpose,
    )
    return grant, view


def unseen_alerts_for_case_manager(user: User) -> QuerySet[EmergencyAccess]:
    """Emergency accesses to records of this case manager's services that no case manager has marked seen."""
    return EmergencyAccess.objects.filter(
        service_id__in=current_organisation_ids(user, Role.CASE_MANAGER), seen_at__isnull=True
    )


def get_alert_for_case_manager(user: User, pk: int, *related: str) -> EmergencyAccess:
    grants = EmergencyAccess.objects.filter(service_id__in=current_organisation_ids(user, Role.CASE_MANAGER), pk=pk)
    # select_related() with no names would follow every relation: name them, or none.
    grant = (grants.select_related(*related) if related else grants).first()
    if grant is None:
        raise Http404("No such emergency access")
    return grant


def read_alert_for_case_manager(user: User, pk: int) -> EmergencyAccess:
    """An emergency access to a record of one of this case manager's services, with the admin's reason.

    The inbox shows only that it happened, who, when and the record's reference: nothing from the doctor's
    record, so showing it is not a read. The reason is written about the doctor and can hint at why they need
    support, so opening it is a read of the doctor's record, logged for the doctor to see."""
    grant = get_alert_for_case_manager(user, pk, "admin", "seen_by", "service", "support_request__doctor")
    record_access(
        actor=user,
        role=Role.CASE_MANAGER,
        organisation=grant.service.name,
        doctor=grant.support_request.doctor,
        action=AccessRecord.Action.VIEWED,
        what=f"Emergency access to {grant.support_request.reference}: who, when and why",
        obj=grant.support_request,
        purpose="Checking an emergency access to their service's records",
    )
    return grant


def notices_for_doctor(user: User) -> QuerySet[EmergencyAccess]:
    """Emergency accesses to this doctor's own records. Not logged: it is the doctor reading about their own
    record."""
    if not is_doctor(user):
        return EmergencyAccess.objects.none()
    return EmergencyAccess.objects.filter(support_request__doctor=user.doctor_profile)


def get_notice_for_doctor(user: User, pk: int) -> EmergencyAccess:
    grant = notices_for_doctor(user).filter(pk=pk).first()
    if grant is None:
        raise Http404("No such notice")
    return grant
