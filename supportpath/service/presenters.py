"""What the service admin's pages show, gathered in a fixed number of queries whatever the size of the service."""

from django.core.paginator import Paginator
from django.db.models import Case as Choose
from django.db.models import Count, FilteredRelation, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts.models import Membership, Organisation, Role
from supportpath.core.pagination import FirstPageUncounted

from .models import ChangeKind, StaffChange
from .services import (
    ORGANISATION_ROLES,
    STAFF_ROLES,
    open_work,
    open_work_of,
    pending_invitations,
    roles_at,
    served_organisations,
)

HISTORY_LENGTH = 20
ROLE_ORDER = {role: n for n, role in enumerate([*STAFF_ROLES, *ORGANISATION_ROLES])}
STAFF_PAGE_SIZE = 50
ORGANISATIONS_PAGE_SIZE = 50


def _second_factor_states(user_ids) -> dict[int, str]:
    with_app = set(TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))
    with_codes = set(
        StaticToken.objects.filter(device__user_id__in=user_ids, device__confirmed=True).values_list(
            "device__user_id", flat=True
        )
    )
    states = {}
    for uid in user_ids:
        if uid not in with_app:
            states[uid] = "Not set up yet"
        elif uid not in with_codes:
            states[uid] = "Set up, no backup codes left"
        else:
            states[uid] = "Set up"
    return states


def staff_page(service: Organisation, page_number=None) -> dict:
    """The service's people a page at a time (a national service has hundreds of facilitators), by role, then
    name, then id, sorted in the database."""
    role_order = Choose(
        *[When(role=role, then=Value(n)) for role, n in ROLE_ORDER.items()], output_field=IntegerField()
    )
    everyone = (
        Membership.objects.filter(organisation=service, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by(role_order, Lower("user__full_name"), "id")
    )
    page = Paginator(everyone, STAFF_PAGE_SIZE).get_page(page_number)
    memberships = list(page.object_list)
    states = _second_factor_states([m.user_id for m in memberships])
    work = open_work_of(service, memberships)
    rows = [{"membership": m, "second_factor": states[m.user_id], "open_work": work.get(m.pk)} for m in memberships]
    return {
        "service": service,
        "rows": rows,
        "page": page,
        "invitations": list(pending_invitations(service).filter(organisation=service)),
        "history": history(service),
    }


def history(service: Organisation, organisation: Organisation | None = None) -> list[dict]:
    changes = StaffChange.objects.filter(service=service).select_related("cases_to", "allocations_to", "organisation")
    if organisation is not None:
        changes = changes.filter(organisation=organisation)
    return [{"change": c, "text": change_text(c)} for c in changes[:HISTORY_LENGTH]]


def _role(role: str) -> str:
    return Role(role).label.lower()


def change_text(change: StaffChange) -> str:
    """One line of the service's history of its people, in plain words."""
    who, role = change.person_name, _role(change.role)
    by = f" by {change.by_name}" if change.by_name else ""
    if change.kind == ChangeKind.INVITED:
        return f"{who} ({change.person_email}) invited as {role}{by}"
    if change.kind == ChangeKind.JOINED:
        return f"{who} joined as {role}"
    if change.kind == ChangeKind.SECOND_FACTOR_RESET:
        return f"{who}'s two-step sign-in reset{by}"
    if change.kind == ChangeKind.ROLE_CHANGED:
        text = f"{who} changed from {role} to {_role(change.new_role)}{by}"
    else:
        text = f"{who}'s membership as {role} ended{by}"
    return text + _moved_text(change)


def _moved_text(change: StaffChange) -> str:
    if change.cases_moved and change.cases_to:
        n = change.cases_moved
        return f"; {n} open case{'s' if n != 1 else ''} moved to {change.cases_to.full_name}"
    if change.allocations_moved and change.allocations_to:
        n = change.allocations_moved
        return f"; {n} open allocation{'s' if n != 1 else ''} moved to {change.allocations_to.full_name}"
    return ""


def ended_message(change: StaffChange) -> str:
    return f"{change.person_name}'s membership as {_role(change.role)} has ended{_moved_text(change)}."


def person_page(membership: Membership, *, viewer) -> dict:
    user = membership.user
    return {
        "membership": membership,
        "second_factor": _second_factor_states([user.pk])[user.pk],
        "open_work": open_work(membership),
        "is_self": user.pk == viewer.pk,
        "can_change_role": len(roles_at(membership.organisation)) > 1,
        "is_staff_role": membership.role in STAFF_ROLES,
    }


def organisations_page(service: Organisation, page_number=None) -> dict:
    """The organisations the service serves, ``ORGANISATIONS_PAGE_SIZE`` at a time by name (a region's service
    serves hundreds), each with its referrers, responsible officers and organisation leads counted. The first
    page, the one most visits ask for, is read without counting the list (``FirstPageUncounted``)."""
    # Joined to the organisation's people in these roles only (by the (organisation, role) index), not to every
    # doctor it employs: an employer has hundreds of doctors' memberships and a handful of these.
    people = FilteredRelation("memberships", condition=Q(memberships__role__in=ORGANISATION_ROLES))
    organisations = (
        served_organisations(service)
        .annotate(people=people)
        .annotate(
            referrers=Count("people", filter=Q(people__role=Role.REFERRER)),
            officers=Count("people", filter=Q(people__role=Role.RESPONSIBLE_OFFICER)),
            leads=Count("people", filter=Q(people__role=Role.ORGANISATION_LEAD)),
        )
        .order_by("name", "id")
    )
    page = FirstPageUncounted(organisations, ORGANISATIONS_PAGE_SIZE).get_page(page_number)
    return {"service": service, "organisations": list(page.object_list), "page": page}


def organisation_page(organisation: Organisation) -> dict:
    service = organisation.support_service
    people = list(
        Membership.objects.filter(organisation=organisation, role__in=ORGANISATION_ROLES)
        .select_related("user")
        .order_by("role", "user__full_name", "id")
    )
    return {
        "organisation": organisation,
        "people": people,
        "invitations": list(pending_invitations(service).filter(organisation=organisation)),
        "history": history(service, organisation),
    }
