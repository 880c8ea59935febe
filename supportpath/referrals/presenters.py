"""The whole pathway as the doctor sees it on "My support": each stage with its planned date, any new date and
its reason, and when it happened; where they are; what happens next and by when.

The journey itself is built in ``supportpath.journey.journeys``, which the doctor's case page uses too, so
both pages tell the same story; it reaches this page through the seam ``referrals.seams.journeys_for``.
"""

from supportpath.core.written_out import records

from . import seams
from .models import DoctorComment, SupportRequest


def pathways_for(requests) -> list:
    """Every request's journey through the one shared loader, in a fixed number of queries however many."""
    return seams.journeys_for(list(requests))


def doctor_comments(support_request: SupportRequest) -> list[DoctorComment]:
    """The doctor's own account of a referral, oldest first, as ``casework/_doctor_comments.jinja`` shows it: read
    as rows (``core.written_out``), for the case page, which asks on every load."""
    return records(DoctorComment, "request_id IN ({ids})", [support_request.pk], order_by="created_at")
