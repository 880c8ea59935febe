"""The demo's organisation leads (a practice manager, a trust's well-being lead), who run their organisation's
culture pulse and peer-support checks.

The product has no page or command that adds an organisation lead yet: a service admin invites only the roles
of ``service.services.ORGANISATION_ROLES`` (referrers and responsible officers), and ``add_staff`` only a support
service's staff. So this one module writes their accounts and memberships directly, as an installation's
operator would today; the demo's lint (``tests/test_demo_uses_the_services.py``) allows it here and nowhere else.
When the product can add an organisation lead, make them through that and remove this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportpath.accounts.models import Membership, Role, User

if TYPE_CHECKING:
    from .demo_state import Demo
    from .people import PersonSpec


def make(demo: Demo, spec: PersonSpec) -> User:
    """The lead's account (with the demo's password, hashed once for everyone) and their membership."""
    assert spec.role == Role.ORGANISATION_LEAD  # noqa: S101 # nosec B101 # every other role joins by invitation
    user = User.objects.create(
        email=spec.email, full_name=spec.full_name, password=demo.password_hash, date_joined=demo.now
    )
    Membership.objects.create(
        user=user, organisation=demo.organisations[spec.organisation], role=spec.role, job_title=spec.job_title
    )
    return user
