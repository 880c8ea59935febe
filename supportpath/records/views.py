"""Erasure on request (the doctor's pages) and "Records and retention" (the service admin's). Thin: rules in
erasure.py and retention.py, records reached through access.py, display in presenters."""

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supportpath.accounts import policy as access_policy
from supportpath.accounts.models import Membership, Role
from supportpath.core.form_fields import posted

from . import access, erasure, policy, presenters
from .forms import AskForErasureForm, CloseAccountForm, DecisionForm
from .models import ErasureLedgerEntry, ErasureStatus, RetentionRun

RUNS_SHOWN = 10
DECISIONS_SHOWN = 20


@require_http_methods(["GET", "POST"])
def erasure_page(request: HttpRequest) -> HttpResponse:
    """What erasure means, what may be kept and why; then the request (or, when no service holds anything
    about the doctor, closing the account at once)."""
    refusal = access_policy.doctors_only(request, "audit/doctors_only.jinja")
    if refusal:
        return refusal
    profile = request.user.doctor_profile
    services = erasure.services_holding_records(profile)
    own = [presenters.own_request_row(r) for r in access.own_erasure_requests(request.user).select_related("service")]
    waiting_services = {row.service for row in own if row.waiting}
    can_ask = any(service.name not in waiting_services for service in services)
    data = posted(request)
    form = AskForErasureForm(data) if services else None
    close_form = None if services else CloseAccountForm(data)
    if request.method == "POST":
        if form is not None and form.is_valid():
            # Sent twice (or from a second tab): every service already has the request, so show it.
            if can_ask:
                erasure.ask(profile, note=form.cleaned_data["note"], token=form.cleaned_data["token"])
            return redirect("records:erasure_sent")
        if close_form is not None and close_form.is_valid():
            erasure.close_own_account(profile)
            logout(request)
            return redirect("records:account_closed")
    if form is not None and not form.is_bound:
        form = AskForErasureForm(initial={"token": uuid.uuid4()})
    return render(
        request,
        "records/erasure.jinja",
        {
            "services": services,
            "own": own,
            "can_ask": can_ask,
            "form": form,
            "close_form": close_form,
            "access_log_years": policy.BY_KEY["access_log"].period,
            "page_has_errors": bool((form and form.errors) or (close_form and close_form.errors)),
        },
    )


def erasure_sent(request: HttpRequest) -> HttpResponse:
    refusal = access_policy.doctors_only(request, "audit/doctors_only.jinja")
    if refusal:
        return refusal
    waiting = list(
        access.own_erasure_requests(request.user).filter(status=ErasureStatus.WAITING).select_related("service")
    )
    if not waiting:
        return redirect("records:erasure")
    return render(request, "records/erasure_sent.jinja", {"rows": [presenters.own_request_row(r) for r in waiting]})


@login_not_required
def account_closed(request: HttpRequest) -> HttpResponse:
    return render(request, "records/account_closed.jinja")


def records_and_retention(request: HttpRequest) -> HttpResponse:
    services = access.admin_services(request.user)
    requests = access.erasure_requests_for_admin(request.user)
    waiting = [presenters.waiting_row(r) for r in requests.filter(status=ErasureStatus.WAITING).order_by("asked_at")]
    declined = list(requests.filter(status=ErasureStatus.DECLINED).order_by("-decided_at")[:DECISIONS_SHOWN])
    carried_out = list(
        ErasureLedgerEntry.objects.filter(service_id__in=[s.pk for s in services]).order_by("-erased_at")[
            :DECISIONS_SHOWN
        ]
    )
    service_ids = {s.pk for s in services}
    runs = [
        presenters.run_row(run, service_ids) for run in RetentionRun.objects.order_by("-started_at", "-id")[:RUNS_SHOWN]
    ]
    return render(
        request,
        "records/records_and_retention.jinja",
        {
            "services": services,
            "waiting": waiting,
            "decided": presenters.decided_rows(declined, carried_out, DECISIONS_SHOWN),
            "periods": presenters.period_rows(),
            "runs": runs,
        },
    )


@require_http_methods(["GET", "POST"])
def erasure_decision(request: HttpRequest, pk: int) -> HttpResponse:
    erasure_request = access.get_erasure_request_for_admin(
        request.user, pk, purpose="Deciding the doctor's request to erase their record"
    )
    if erasure_request.status != ErasureStatus.WAITING:
        messages.info(request, f"{erasure_request.reference} has already been decided.")
        return redirect("records:records_and_retention")
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecisionForm.ERASE:
                entry = erasure.carry_out(erasure_request, by=request.user)
                messages.success(
                    request,
                    f"The records are erased and the doctor has been told. Erasure ledger entry {entry.entry_id}.",
                )
            else:
                erasure.decline(erasure_request, by=request.user, reason=form.cleaned_data["reason"].strip())
                messages.success(request, "The records are kept. The doctor has been told, and can read your reason.")
        except erasure.NotWaiting:
            messages.info(request, f"{erasure_request.reference} has already been decided.")
        return redirect("records:records_and_retention")
    doctor = erasure_request.doctor
    staff_roles = [
        m.get_role_display()
        for m in Membership.objects.filter(user_id=doctor.user_id).exclude(role=Role.DOCTOR).order_by("role")
    ]
    return render(
        request,
        "records/erasure_decision.jinja",
        {
            "erasure_request": erasure_request,
            "doctor": doctor,
            "records": [presenters.covered_record(r) for r in access.records_covered(erasure_request)],
            "answer_by": erasure.answer_due(erasure_request),
            "staff_roles": staff_roles,
            "form": form,
            "page_has_errors": bool(form.errors),
        },
    )
