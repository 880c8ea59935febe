"""Who stands in a relationship with a case *now*: the one rule the case accessors (``casework.access``,
``facilitation.access``, ``pathway.access``) ask, so that access ends when the relationship ends.

- A **case manager** of the case: a current case-manager membership of the service the case belongs to.
- The case's **facilitator**: the person who accepted the allocation, while it is active (``Case.facilitator``
  is set when they accept and cleared when the doctor changes facilitator or does not go ahead after the
  introduction), while the case is open, and while they are still a facilitator of that service. Once the case
  closes (or is handed over to another service) ``Case.facilitator`` is kept as the record of who supported
  the doctor, but it opens nothing.
- A **closed case** takes no more writing from staff: every staff form on it is refused (``is_open``).

Memberships end by deleting their row (``supportpath.accounts.relationships``).
"""

from django.db.models import Q

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids, holds_role_at

from .models import Case, Stage


def is_open(case: Case) -> bool:
    return case.stage != Stage.CLOSED


# What the doctor reads when they open a form of a case that has closed (nothing is changed): their own
# feedback on their support is the one thing a closed case still takes from them.
CLOSED_FOR_DOCTOR = "Your support with us has ended, so this can no longer be changed."


def case_manager_cases(user: User) -> Q:
    """Cases of the services where this person is a case manager today."""
    return Q(request__service_id__in=current_organisation_ids(user, Role.CASE_MANAGER))


def facilitated_cases(user: User) -> Q:
    """Open cases this person facilitates today, at a service where they are still a facilitator."""
    return Q(facilitator_id=user.pk, request__service_id__in=current_organisation_ids(user, Role.FACILITATOR)) & ~Q(
        stage=Stage.CLOSED
    )


def cases_in_relationship(user: User) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return case_manager_cases(user) | facilitated_cases(user)


def is_case_manager_of(user: User, case: Case) -> bool:
    return holds_role_at(user, Role.CASE_MANAGER, case.request.service_id)


def is_facilitating(user: User, case: Case) -> bool:
    return (
        user.is_authenticated
        and case.facilitator_id == user.pk
        and is_open(case)
        and holds_role_at(user, Role.FACILITATOR, case.request.service_id)
    )


def may_answer_offer(user: User, *, facilitator_id: int, case: Case) -> bool:
    """An offer to facilitate is for the person asked, at a service where they are still a facilitator, on a
    case still open. (Whether the offer itself is still waiting or accepted is the allocation's to say.)"""
    return (
        user.is_authenticated
        and facilitator_id == user.pk
        and is_open(case)
        and holds_role_at(user, Role.FACILITATOR, case.request.service_id)
    )
