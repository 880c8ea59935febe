"""The whole pathway as the doctor sees it on "My support": each stage with its planned date, any new date and
its reason, and when it happened; where they are; what happens next and by when.

The journey itself is built in ``supportpath.progress.journey``, which the doctor's case page uses too, so
both pages tell the same story.
"""

from supportpath.progress.journey import Journey, journeys_for

# Kept for the templates and tests that know these names.
PathwayView = Journey


def pathways_for(requests) -> list[Journey]:
    """Every request's journey through the one shared loader, in a fixed number of queries however many."""
    return journeys_for(list(requests))
