"""The queue's health check, for monitoring (kept apart from ``/healthz``, which load balancers use to decide
whether an app server takes requests: a stopped worker is no reason to stop serving pages)."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse

from .worker import queue_health


@login_not_required
def queue_health_check(request: HttpRequest) -> JsonResponse:
    """200 while a worker is alive and no task has waited too long; 503 (with the problems named) otherwise."""
    try:
        health = queue_health()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "problems": ["the database cannot be reached"]}, status=503)
    return JsonResponse(health.as_json(), status=200 if health.ok else 503)
