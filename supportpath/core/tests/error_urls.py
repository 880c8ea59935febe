"""The project's URLs plus a few that fail on purpose, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from supportpath.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_not_required
def forbidden(request):
    raise PermissionDenied("a reason nobody should see")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("a reason nobody should see")


@login_not_required
def broken(request):
    raise RuntimeError("a reason nobody should see")


@login_not_required
def database_down(request):
    raise OperationalError("could not connect to server")


urlpatterns = [
    *urlpatterns,
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/broken/", broken),
    path("test-errors/database-down/", database_down),
]
