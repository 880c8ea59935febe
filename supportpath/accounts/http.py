"""Request types for annotations.

Every view except the few marked ``login_not_required`` runs behind ``LoginRequiredMiddleware``, so its
``request.user`` is a signed-in ``User``, never ``AnonymousUser``. Annotating such a view's request as
``AuthenticatedRequest`` tells mypy so, instead of a check or a cast in every view.
"""

from django.http import HttpRequest

from supportpath.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
