from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from supportpath.accounts.roles import is_doctor

from . import access
from .presenters import pathways_for


def my_support(request: HttpRequest) -> HttpResponse:
    """The doctor's home: every request, and the whole path for each — where they are, what next, by when."""
    if not is_doctor(request.user):
        return render(request, "referrals/my_support_not_doctor.jinja")
    requests = (
        access.requests_for_doctor(request.user)
        .select_related("service", "case", "referrer", "referrer_organisation")
        .prefetch_related("reasons")
        .order_by("-submitted_at")
    )
    return render(request, "referrals/my_support.jinja", {"pathways": pathways_for(requests)})
