"""Case managers' inbox and triage. Thin: access through scoped accessors, rules in services."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from supportpath.accounts.models import Organisation, Role
from supportpath.accounts.roles import has_role, organisation_ids_for
from supportpath.core.pagination import paginate
from supportpath.referrals.access import get_request_for_case_manager, requests_for_case_manager

from . import services
from .access import cases_for_case_manager
from .forms import FirstContactForm, HandoverForm, InboxFilterForm
from .presenters import inbox_row

PAGE_SIZE = 25


def _refuse_unless_case_manager(request: HttpRequest) -> HttpResponse | None:
    if not has_role(request.user, Role.CASE_MANAGER):
        return render(request, "casework/case_managers_only.jinja", status=403)
    return None


def inbox(request: HttpRequest) -> HttpResponse:
    refusal = _refuse_unless_case_manager(request)
    if refusal:
        return refusal
    service_ids = organisation_ids_for(request.user, Role.CASE_MANAGER)
    organisations = list(Organisation.objects.filter(support_service_id__in=service_ids).order_by("name"))
    form = InboxFilterForm(request.GET or None, organisations=organisations)
    requests = (
        form.apply(requests_for_case_manager(request.user).filter(status__in=services.OPEN_STATUSES))
        .select_related("doctor__user", "doctor__employer")
        .prefetch_related("reasons")
        .order_by("-urgent", "first_contact_due", "submitted_at")
        .distinct()
    )
    page, page_links = paginate(request, requests, PAGE_SIZE)
    today = timezone.localdate()
    return render(
        request,
        "casework/inbox.jinja",
        {
            "form": form,
            "page": page,
            "rows": [inbox_row(r, today) for r in page.object_list],
            "page_links": page_links,
            "total": page.paginator.count,
        },
    )


def cases(request: HttpRequest) -> HttpResponse:
    refusal = _refuse_unless_case_manager(request)
    if refusal:
        return refusal
    queryset = (
        cases_for_case_manager(request.user)
        .select_related("request__doctor__user", "case_manager", "facilitator")
        .order_by("-opened_at")
    )
    page, page_links = paginate(request, queryset, PAGE_SIZE)
    return render(request, "casework/cases.jinja", {"page": page, "page_links": page_links})


def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    purpose = "Triage of a new request"
    support_request = get_request_for_case_manager(
        request.user, reference, purpose=purpose, action="changed" if request.method == "POST" else "viewed"
    )
    received_on = timezone.localdate(support_request.submitted_at)
    contact_form = FirstContactForm(received_on=received_on)
    handover_form = HandoverForm()
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "first_contact":
                contact_form = FirstContactForm(request.POST, received_on=received_on)
                if contact_form.is_valid():
                    services.record_first_contact(
                        support_request,
                        by=request.user,
                        on=contact_form.cleaned_data["contacted_on"],
                        method=contact_form.cleaned_data["method"],
                    )
                    messages.success(request, "First contact is recorded.")
                    return redirect("casework:request_detail", reference)
            elif action == "accept":
                services.accept(support_request, by=request.user)
                messages.success(
                    request, f"{reference} is accepted as a case. The doctor has been told what happens next."
                )
                return redirect("casework:cases")
            elif action == "hand_over":
                handover_form = HandoverForm(request.POST)
                if handover_form.is_valid():
                    services.hand_over(support_request, by=request.user, **handover_form.cleaned_data)
                    messages.success(request, f"{reference} is handed over. The doctor has been told.")
                    return redirect("casework:inbox")
        except services.AlreadyDecided as decided:
            status = decided.support_request.get_status_display()
            messages.error(request, f"Someone else has just changed this request: it is now “{status}”.")
            return redirect("casework:request_detail", reference)
        support_request.refresh_from_db()
    return render(
        request,
        "casework/request_detail.jinja",
        {
            "support_request": support_request,
            "contact_form": contact_form,
            "handover_form": handover_form,
            "is_open": support_request.status in services.OPEN_STATUSES,
            "page_has_errors": contact_form.errors or handover_form.errors,
            # A doctor who comes back: their earlier requests to this service, so nobody starts from nothing.
            "earlier": requests_for_case_manager(request.user)
            .filter(doctor=support_request.doctor, submitted_at__lt=support_request.submitted_at)
            .select_related("case")
            .order_by("-submitted_at")[:10],
        },
    )
