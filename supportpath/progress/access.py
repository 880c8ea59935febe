"""The only way a view reaches a review on its own: its author's, to correct it. The case it belongs to is then
reached (and the read logged) through ``casework.access.case_for_page``, which refuses a closed case or one the
author no longer supports."""

from django.http import Http404

from supportpath.accounts.models import User

from .models import Review


def get_own_review(user: User, pk: int) -> Review:
    """The review ``pk`` if ``user`` recorded it, else 404 (someone else's review is not shown to exist)."""
    review = Review.objects.filter(pk=pk, recorded_by_id=user.pk).select_related("plan_version").first()
    if review is None:
        raise Http404("No such review")
    return review
