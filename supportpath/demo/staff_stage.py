"""Demo stage: the service admin's people pages have a story to show, made through the service's own functions.

- Jude Ashcombe (demo) joined as a case manager by invitation, took over two open cases from Imran Castlegate, then
  left: the admin ended the membership and Rowan Fairweather took the cases over (each move recorded; the
  doctors see Rowan's name). Jude's account is closed and cannot sign in.
- An invitation waits for a new coach, and a community trust the service has just started to serve has no
  referrers yet.

The demo emails nobody (``tell=False``). Safe to run again: it does nothing once Jude's account exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportpath.accounts.models import OrganisationKind, Role, User
from supportpath.casework.models import Case, Stage
from supportpath.service import services

if TYPE_CHECKING:
    from .demo_state import Demo

LEAVER_EMAIL = "leaver@northmoor.example.test"
LEAVER_NAME = "Jude Ashcombe"
INVITED_EMAIL = "new.coach@northmoor.example.test"
NEW_ORGANISATION = "Harrowdene Community Health NHS Trust (demo)"
CASES_MOVED = 2


def seed_people_changes(demo: Demo) -> None:
    if User.objects.filter(email=LEAVER_EMAIL).exists():
        return
    service = demo.organisations["psu"]
    admin, from_manager, successor = (demo.staff[k] for k in ("service_admin", "case_manager_2", "case_manager"))

    invitation = services.invite(
        service=service,
        organisation=service,
        email=LEAVER_EMAIL,
        full_name=LEAVER_NAME,
        role=Role.CASE_MANAGER,
        by=admin,
        tell=False,
    )
    # Accepts the link with the demo's password (hashed once for everyone), as every invited person joins.
    leaver = services.accept(invitation, password_hash=demo.password_hash)
    assert leaver is not None  # noqa: S101 # nosec B101 # a link just made, accepted once
    drawn = [r.pk for r in demo.drawn_requests.values()]
    cases = (
        Case.objects.filter(case_manager=from_manager, request__service=service, request_id__in=drawn)
        .exclude(stage=Stage.CLOSED)
        .select_related("request")
        .order_by("request__reference")[:CASES_MOVED]
    )
    for case in cases:
        services.move_case(case, to=leaver, by=from_manager, tell=False)
    membership = leaver.memberships.get(organisation=service, role=Role.CASE_MANAGER)
    services.end_membership(membership, by=admin, takes_over=successor, tell=False)

    services.invite(
        service=service,
        organisation=service,
        email=INVITED_EMAIL,
        full_name="Dr Priya Lindqvist",
        role=Role.FACILITATOR,
        by=admin,
        tell=False,
    )
    services.save_organisation(service, {"name": NEW_ORGANISATION, "kind": OrganisationKind.COMMUNITY_TRUST})
    demo.created["staff changes"] += 4
