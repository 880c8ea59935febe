"""Emergency access pages. Thin: grants and records through ``access``, rules in ``services``, display in
``presenters``. Everything but the case managers' and the doctor's acknowledgements is for service admins."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supportpath.accounts import policy
from supportpath.accounts.models import Role
from supportpath.accounts.service_navigation import service_admin_navigation
from supportpath.audit import lists
from supportpath.core.dates import long_datetime
from supportpath.core.form_fields import posted
from supportpath.core.pagination import paginate

from . import access, presenters, services
from .forms import OpenEmergencyAccessForm

PAGE_SIZE = 25
# The admin's own list, in the header's navigation of every service admin page ("Your service").
MY_GRANTS = "emergency_access:my_grants"


def _record_for_service_admins(request: HttpRequest) -> HttpResponse | None:
    # A grant's page names a record: 404 to anyone else, whatever the reason (docs/access-policy.md).
    return policy.record_for_role(request, access.is_service_admin, "emergency_access/admins_only.jinja")


def my_grants(request: HttpRequest) -> HttpResponse:
    """The admin's own emergency accesses: open now first, then every earlier one with how often it was read."""
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    grants = (
        access.grants_of_admin(request.user).select_related("support_request__doctor").order_by("-opened_at", "-id")
    )
    page, page_links = paginate(request, grants, PAGE_SIZE)
    on_page = list(page.object_list)
    services_named = lists.organisation_names(request.user, Role.SERVICE_ADMIN)
    shown = [(g.support_request.doctor, services_named.get(g.service_id, "")) for g in on_page]
    lists.log_list(request.user, lists.EMERGENCY_GRANTS, shown)
    reads = services.reads_by_grant(on_page)
    rows = [presenters.grant_row(g, reads[g.pk]) for g in on_page]
    return render(
        request,
        "emergency_access/my_grants.jinja",
        {
            "open_rows": [r for r in rows if r.is_active],
            "past_rows": [r for r in rows if not r.is_active],
            "page": page,
            "page_links": page_links,
            "minutes": settings.EMERGENCY_ACCESS_MINUTES,
            "navigation_items": service_admin_navigation(MY_GRANTS),
        },
    )


def open_access(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    form = OpenEmergencyAccessForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        grant, is_new = services.open_grant(
            admin=request.user,
            support_request=form.support_request,
            purpose=form.cleaned_data["purpose"],
            reason=form.cleaned_data["reason"],
            submission_token=form.cleaned_data["submission_token"],
        )
        if not is_new:
            messages.info(
                request,
                f"You already have emergency access to {grant.support_request.reference} until "
                f"{long_datetime(grant.expires_at)}, for the reason you gave then.",
            )
        return redirect("emergency_access:record", pk=grant.pk)
    return render(
        request,
        "emergency_access/open.jinja",
        {
            "form": form,
            "minutes": settings.EMERGENCY_ACCESS_MINUTES,
            "page_has_errors": bool(form.errors),
            "navigation_items": service_admin_navigation(within=MY_GRANTS),
        },
    )


def record(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = _record_for_service_admins(request)
    if refusal:
        return refusal
    try:
        grant, view = access.read_record(request.user, pk)
    except Http404:
        return render(
            request, "emergency_access/not_available.jinja", {"minutes": settings.EMERGENCY_ACCESS_MINUTES}, status=404
        )
    return render(request, "emergency_access/record.jinja", {"grant": grant, "view": view})


@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = _record_for_service_admins(request)
    if refusal:
        return refusal
    grant = access.get_own_grant(request.user, pk)
    was_active = grant.is_active
    services.end_grant(grant)
    if was_active:
        messages.success(request, f"Emergency access to {grant.support_request.reference} has ended.")
    return redirect("emergency_access:my_grants")


def alert(request: HttpRequest, pk: int) -> HttpResponse:
    """A case manager opens an inbox alert: the purpose and the admin's own words, and marking it seen."""
    grant = access.read_alert_for_case_manager(request.user, pk)
    return render(
        request, "emergency_access/alert.jinja", {"grant": grant, "row": presenters.alert_row(grant, with_reason=True)}
    )


@require_POST
def mark_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """A case manager of the record's service acknowledges the alert on their inbox."""
    grant = access.get_alert_for_case_manager(request.user, pk)
    services.mark_seen(grant, by=request.user)
    messages.success(request, "Marked as seen. It stays in the doctor's access log.")
    return redirect("casework:inbox")


@require_POST
def doctor_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The doctor has read the notice on My support; the access log keeps every read all the same."""
    grant = access.get_notice_for_doctor(request.user, pk)
    services.mark_read_by_doctor(grant)
    messages.success(request, "Thank you. You can always find this in “Who has seen your record”.")
    return redirect(reverse("referrals:my_support"))
