"""Support plans and facilitators through the product's own services (``plans.services``,
``facilitation.services``), as history: dated when they happened, and nobody told. The demo's stages and
journeys make their plan versions and allocations only here, so each is a state the product itself reaches."""

from __future__ import annotations

import datetime as dt

from supportpath.accounts.models import User
from supportpath.casework.models import Case
from supportpath.facilitation import services as facilitation_services
from supportpath.facilitation.models import Allocation
from supportpath.plans import services as plan_services
from supportpath.plans.models import PlanVersion


def plan_version(
    case: Case,
    body: dict,
    *,
    by: User,
    drafted: dt.datetime,
    shared: dt.datetime,
    agreed: dt.datetime | None = None,
    changes_asked: dt.datetime | None = None,
    comment: str = "",
) -> PlanVersion:
    """The next version of the case's plan: drafted (``save_draft``), shared (``share_with_doctor``), then agreed
    (``agree``, which adds what it proposes to the sharing agreement and moves a case in planning into support)
    or changes asked for (``request_changes``)."""
    plan_services.save_draft(case, by=by, data=body, based_on=plan_services.edit_count(case), at=drafted)
    version = plan_services.share_with_doctor(case, by=by, notify=False, at=shared)
    if agreed is not None:
        version = plan_services.agree(case, number=version.number, notify=False, at=agreed)
    if changes_asked is not None:
        version = plan_services.request_changes(
            case, number=version.number, comment=comment, notify=False, at=changes_asked
        )
    return version


def propose(case: Case, facilitator: User, *, by: User, at: dt.datetime) -> Allocation:
    """``facilitation.services.propose``, which checks every rule of allocation and works out the fit."""
    return facilitation_services.propose(case, facilitator.pk, by=by, notify=False, at=at)


def accepted(case: Case, facilitator: User, *, by: User, proposed: dt.datetime, responded: dt.datetime) -> Allocation:
    """Proposed, then accepted by the facilitator (``accept``), who becomes the case's facilitator."""
    allocation = propose(case, facilitator, by=by, at=proposed)
    facilitation_services.accept(allocation, notify=False, at=responded)
    allocation.refresh_from_db()
    return allocation
