"""The one rule every scoped accessor (``supportpath/*/access.py``) asks before a member of staff reaches a
doctor's record: the relationship that justifies it must hold *now*.

A role counts only through a current ``Membership`` row, with that role, at the organisation the record
belongs to. A membership ends by deleting its row, so whoever's role has ended reaches nothing through it,
whatever cases, allocations or referrals still name them. The rules about cases (a facilitator's active
allocation on an open case) are in ``supportpath.casework.relationships``, built on these.

Memberships are read once per request (``roles.memberships`` caches them on the user), so asking is free.
"""

from .models import Role, User
from .roles import memberships

# A responsible officer may refer too: either role makes a referral on behalf of their organisation.
REFERRING_ROLES = (Role.REFERRER, Role.RESPONSIBLE_OFFICER)


def current_organisation_ids(user: User, *roles: str) -> set[int]:
    """The organisations where this person holds any of ``roles`` today."""
    return {m.organisation_id for m in memberships(user) if m.role in roles}


def holds_role_at(user: User, role: str, organisation_id: int | None) -> bool:
    """Whether this person holds ``role`` at that organisation today."""
    return organisation_id is not None and organisation_id in current_organisation_ids(user, role)


def referring_organisation_ids(user: User) -> set[int]:
    """The organisations on whose behalf this person may follow up the referrals they made: those where they
    are still a referrer or a responsible officer."""
    return current_organisation_ids(user, *REFERRING_ROLES)
