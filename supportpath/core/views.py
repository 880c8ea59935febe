"""Public pages, the health check, and the signed-in home that sends each person to their own page."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/start.jinja", {"targets": settings.TARGET_WORKING_DAYS})


@login_not_required
def what_to_expect(request: HttpRequest) -> HttpResponse:
    return render(request, "core/what_to_expect.jinja", {"targets": settings.TARGET_WORKING_DAYS})


@login_not_required
def urgent_help(request: HttpRequest) -> HttpResponse:
    return render(request, "core/urgent_help.jinja")


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.jinja")


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


# Where a signed-in person's home is: decided by the accounts app (roles), which registers it in its ready(),
# so core need not import the layer above it.
_home_url_for: Callable[..., str] | None = None


def register_home(home_url_for: Callable[..., str]) -> None:
    global _home_url_for
    _home_url_for = home_url_for


def home(request: HttpRequest) -> HttpResponse:
    if _home_url_for is None:
        raise RuntimeError("No home page is registered (accounts.apps registers it).")
    return redirect(_home_url_for(request.user))


# Error pages: in the layout, so "Need help now?" is on them too, with kind, plain words. A 404 says the same
# whatever was asked for, so it cannot tell anyone whether a record exists. (Django shows its own debug pages
# instead while DEBUG is on.)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.jinja", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.jinja", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.jinja", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason is for logs, never for the page.
    return render(request, "errors/403_csrf.jinja", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Static: rendered without the request, so it touches neither the session nor the database (which may be
    the very thing that failed). The page therefore shows the signed-out header."""
    body = loader.get_template("errors/500.jinja").render({"help_email": settings.HELP_EMAIL})
    return HttpResponseServerError(body)
