"""The whole pathway as the doctor sees it on "My support": each stage with its planned date, any new date and
its reason, and when it happened; where they are; what happens next and by when.

The journey itself is built in ``supportpath.progress.journey``, which the doctor's case page uses too, so
both pages tell the same story.
"""

from supportpath.progress.journey import Journey, journey_for, journeys_for

from .models import SupportRequest

# Kept for the templates and tests that know these names.
PathwayView = Journey


def pathway_for(support_request: SupportRequest) -> Journey:
    """One request's journey. For a list, ``pathways_for`` reads every case in a fixed number of queries."""
    return journey_for(support_request)


def pathways_for(requests) -> list[Journey]:
    return journeys_for(list(requests))
