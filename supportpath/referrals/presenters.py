"""The whole pathway as the doctor sees it on "My support": each stage with its planned date, any new date and
its reason, and when it happened; where they are; what happens next and by when.

The journey itself is built in ``supportpath.journey.journeys``, which the doctor's case page uses too, so
both pages tell the same story; it reaches this page through the seam ``referrals.seams.journeys_for``.
"""

from . import seams


def pathways_for(requests) -> list:
    """Every request's journey through the one shared loader, in a fixed number of queries however many."""
    return seams.journeys_for(list(requests))
