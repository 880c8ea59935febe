"""Lockout after repeated failed sign-ins (django-axes): how attempts are counted and what people are told."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def username_from(request: HttpRequest, credentials: dict | None = None) -> str:
    """The email address an attempt was for, as the sign-in form sees it (case makes no difference)."""
    if credentials and credentials.get("email"):
        value = credentials["email"]
    else:
        value = request.POST.get("email", "")
    return str(value).strip().lower()


def client_address(request: HttpRequest) -> str | None:
    """The address of the person, not of our own proxies.

    With TRUSTED_PROXY_COUNT proxies in front of the app (each appending to X-Forwarded-For), the client is
    the entry that many places from the right; anything further left could have been made up by the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """One page whoever the attempt was for, so that it says nothing about whether an account exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.jinja", {"minutes": minutes}, status=429)
