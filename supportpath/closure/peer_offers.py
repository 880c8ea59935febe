"""Doctors who said, when their support ended, "Yes, please get in touch" about becoming a peer supporter.

Only the case managers of the service that supported them see the list; each doctor shown is an access to
their record, so it is logged for them to see ("who has seen my record").
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import organisation_ids_for
from supportpath.audit import lists

from .models import ExitFeedback, PeerSupport


@dataclass(frozen=True)
class OfferRow:
    name: str
    email: str
    reference: str
    case_pk: int
    service: str
    offered_on: dt.datetime
    closed_on: dt.date | None


def offers_for(user: User) -> QuerySet[ExitFeedback]:
    return (
        ExitFeedback.objects.filter(
            peer_supporter=PeerSupport.YES,
            case__request__service_id__in=organisation_ids_for(user, Role.CASE_MANAGER),
        )
        .select_related("case__request__doctor__user", "case__request__service", "case__closure")
        .only(
            "id",
            "given_at",
            "case__id",
            "case__request__reference",
            "case__request__service__name",
            "case__request__doctor__id",
            "case__request__doctor__user__id",
            "case__request__doctor__user__full_name",
            "case__request__doctor__user__email",
            "case__closure__closed_on",
        )
        .order_by("-given_at", "-id")
    )


def rows(feedback: list[ExitFeedback], *, viewer: User) -> list[OfferRow]:
    feedback = list(feedback)
    shown = [(f.case.request.doctor, f.case.request.service.name) for f in feedback]
    lists.log_list(viewer, lists.PEER_SUPPORTERS, shown)
    result = []
    for f in feedback:
        request = f.case.request
        closure = getattr(f.case, "closure", None)
        result.append(
            OfferRow(
                name=request.doctor.user.full_name,
                email=request.doctor.user.email,
                reference=request.reference,
                case_pk=f.case.pk,
                service=request.service.name,
                offered_on=f.given_at,
                closed_on=closure.closed_on if closure else None,
            )
        )
    return result
