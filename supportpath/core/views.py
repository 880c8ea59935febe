"""Public pages, the health check, and the signed-in home that sends each person to their own page."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from supportpath.accounts.roles import home_url_for


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


def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url_for(request.user))
