"""The journeys of the named doctors who stand at a point where a newcomer has something to try (people.py,
``JOURNEY_DOCTORS``): a plan to agree, a new version to read, a conversation to move, a review to reflect on,
feedback to give, a new date and a late milestone, an emergency-access notice, a mandated referral's fixed
sharing, a handover at closure, an urgent request dealt with and then paused, a declined referral and a request
closed for no response.

Each journey is written out step by step, in working days before the day of seeding (``Steps.day(n)``), with the
records each step leaves, made as the product's services make them but dated when the step happened and
without any email (the services email the doctor or staff at once; a demo must not). Sharing goes through the
sharing agreement's own service, which sends nothing. The access log of what staff read along the way is
written afterwards from these records (``access_history.py``).

A journey whose doctor already has a case is left alone, so running the demo again adds nothing, and a
database seeded before the journeys existed gains them whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from supportpath.casework.models import Case

from .ended import ifeoma, lowri, nia
from .endings import cerys, deal_with_drawn_urgent_requests, hana, owen
from .in_support import anjali, marcus, rafael, stefan
from .planning import bethan, esther, kenji
from .steps import Steps

if TYPE_CHECKING:
    from supportpath.demo.demo_state import Demo

JOURNEYS: dict[str, Callable[[Steps], None]] = {
    "esther": esther,
    "kenji": kenji,
    "bethan": bethan,
    "marcus": marcus,
    "ifeoma": ifeoma,
    "rafael": rafael,
    "anjali": anjali,
    "stefan": stefan,
    "lowri": lowri,
    "hana": hana,
    "owen": owen,
    "cerys": cerys,
    "nia": nia,
}


def seed_journeys(demo: Demo) -> None:
    have_case = set(
        Case.objects.filter(request__in=[demo.requests[key] for key in JOURNEYS if key in demo.requests]).values_list(
            "request_id", flat=True
        )
    )
    for key, journey in JOURNEYS.items():
        request = demo.requests.get(key)
        if request is None or request.pk in have_case or request.ended_as:
            continue  # done before: it became a case, or ended without one
        journey(Steps(demo, key))
        demo.created["named doctors' journeys"] += 1
    dealt_with = deal_with_drawn_urgent_requests(list(demo.drawn_requests.values()))
    if dealt_with:
        demo.created["urgent requests dealt with"] += dealt_with
