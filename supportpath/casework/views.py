"""Case managers' inbox and triage. Thin: access through scoped accessors, rules in services."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.db.models import Case as Choose
from django.db.models import F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from supportpath.accounts import policy
from supportpath.accounts.models import Membership, Organisation, Role
from supportpath.accounts.roles import has_role, organisation_ids_for
from supportpath.audit import lists
from supportpath.core.dates import long_date
from supportpath.core.form_fields import posted
from supportpath.core.pagination import paginate_bounded
from supportpath.referrals import referral_services
from supportpath.referrals.access import get_request_for_case_manager, requests_for_case_manager
from supportpath.referrals.forms_common import parse_token
from supportpath.referrals.models import Status

from . import seams, services
from .access import cases_for_case_manager
from .forms import (
    CaseListFilterForm,
    CloseRequestForm,
    ContactAttemptForm,
    FirstContactForm,
    HandoverForm,
    InboxFilterForm,
    UrgentDealtWithForm,
)
from .presenters import inbox_rows

PAGE_SIZE = 25

# Urgent (until someone records how it was dealt with) first; then requests still waiting for first contact, by
# that deadline; then requests contacted and waiting for a decision, longest-waiting first. (A contacted
# request's first-contact deadline has been met, so sorting it by that old date would bury overdue requests
# nobody has contacted yet.)
WAITING_FOR_DECISION = Choose(
    When(status=Status.CONTACTED, then=Value(1)), default=Value(0), output_field=IntegerField()
)
URGENT_WAITING = Choose(
    When(urgent=True, urgent_dealt_with_on__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
)
WAITING_SINCE = Choose(When(status=Status.CONTACTED, then=F("first_contact_on")), default=F("first_contact_due"))


INBOX_COLUMNS = (
    *("reference", "doctor", "service", "route", "other_reason", "status", "submitted_at"),
    *("urgent", "urgent_dealt_with_on", "first_contact_due", "first_contact_on"),
    *("doctor__user", "doctor__employer", "doctor__user__full_name", "doctor__user__erased_at"),
    "doctor__employer__name",
)


def is_case_manager(user) -> bool:
    return has_role(user, Role.CASE_MANAGER)


def inbox(request: HttpRequest) -> HttpResponse:
    refusal = policy.role_only(request, is_case_manager, "casework/case_managers_only.jinja")
    if refusal:
        return refusal
    service_ids = organisation_ids_for(request.user, Role.CASE_MANAGER)
    # Keys and names only: a service serves hundreds of organisations at national scale (docs/scale.md).
    organisations = list(
        Organisation.objects.filter(support_service_id__in=service_ids).order_by("name").values_list("pk", "name")
    )
    form = InboxFilterForm(request.GET or None, organisations=organisations)
    requests = (
        form.apply(requests_for_case_manager(request.user).filter(status__in=services.OPEN_STATUSES))
        .select_related("doctor__user", "doctor__employer")
        .annotate(urgent_waiting=URGENT_WAITING, waiting_for_decision=WAITING_FOR_DECISION, waiting_since=WAITING_SINCE)
        # No DISTINCT: every filter keeps one row per request (a request has each reason at most once), and a
        # DISTINCT over every column defeated the index and sorted all open requests (issue "national scale").
        .order_by("-urgent_waiting", "waiting_for_decision", "waiting_since", "submitted_at", "pk")
    )
    # Only the columns the rows show (presenters.inbox_row) and the log needs: every column read is built into a
    # Python value, and the request, its doctor, their account and employer have 62 (none encrypted is read).
    requests = requests.only(*INBOX_COLUMNS)
    page, page_links, total = paginate_bounded(request, requests, PAGE_SIZE)
    services_named = lists.organisation_names(request.user, Role.CASE_MANAGER)
    lists.log_list(request.user, lists.INBOX, [(r.doctor, services_named.get(r.service_id, "")) for r in page])
    today = timezone.localdate()
    return render(
        request,
        "casework/inbox.jinja",
        {
            "form": form,
            "page": page,
            "rows": inbox_rows(list(page.object_list), today),  # with their reasons, in one query
            "page_links": page_links,
            "total": total,
        },
    )


# What the accepted cases list reads of each case: its row, the sighting it logs (the doctor and the service)
# and its targets' dates (``progress.targets`` reads the case's own dates and when it opened).
CASE_LIST_FIELDS = (
    "stage",
    "opened_at",
    "initial_conversation_due",
    "plan_agreed_due",
    "request__reference",
    "request__urgent",
    "request__urgent_dealt_with_on",
    "request__service_id",
    "request__doctor__user__full_name",
    "request__doctor__user__erased_at",
    "case_manager__full_name",
)


def cases(request: HttpRequest) -> HttpResponse:
    refusal = policy.role_only(request, is_case_manager, "casework/case_managers_only.jinja")
    if refusal:
        return refusal
    service_ids = organisation_ids_for(request.user, Role.CASE_MANAGER)
    facilitators = (
        Membership.objects.filter(organisation_id__in=service_ids, role=Role.FACILITATOR)
        .order_by("user__full_name", "user_id")
        .values_list("user_id", "user__full_name")
        .distinct()
    )
    form = CaseListFilterForm(request.GET or None, facilitators=list(facilitators))
    filters = form.filters()
    today = timezone.localdate()
    # Only what the rows show, the log and the targets read: no encrypted value (docs/scale.md), no column unread.
    queryset = (
        seams.filter_work_list(cases_for_case_manager(request.user), filters, user=request.user, today=today)
        .select_related("request__doctor__user", "case_manager")
        .only(*CASE_LIST_FIELDS)
    )
    page, page_links, total = paginate_bounded(request, queryset, PAGE_SIZE)
    services_named = lists.organisation_names(request.user, Role.CASE_MANAGER)
    shown = [(case.request.doctor, services_named.get(case.request.service_id, "")) for case in page]
    lists.log_list(request.user, lists.CASES, shown)
    # Every case's targets in one batch, so the list shows each date in force (a new date, not the planned one).
    rows = seams.work_list_rows(list(page.object_list), today)
    return render(
        request,
        "casework/cases.jinja",
        {
            "form": form,
            "filters": filters,
            "closed": filters.get("show") == "closed",
            "page": page,
            "rows": rows,
            "page_links": page_links,
            "total": total,
        },
    )


REQUEST_ACTIONS = ("first_contact", "accept", "hand_over", "send_again", "contact_attempt", "urgent_dealt_with")


def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    purpose = "Triage of a new request"
    action = request.POST.get("action") if request.method == "POST" else None
    changing = action in REQUEST_ACTIONS
    # Checked (and logged) before anything else, so that someone refused gets a 404 whatever they sent.
    support_request = get_request_for_case_manager(
        request.user, reference, purpose=purpose, action="changed" if changing else "viewed"
    )
    if request.method == "POST" and not changing:
        return redirect("casework:request_detail", reference)  # no button pressed: nothing to do but show it
    received_on = timezone.localdate(support_request.submitted_at)
    contact_form = FirstContactForm(received_on=received_on)
    handover_form = HandoverForm()
    attempt_form = ContactAttemptForm(
        received_on=received_on, initial={"made_on": timezone.localdate().strftime("%d/%m/%Y"), "token": uuid.uuid4()}
    )
    urgent_form = UrgentDealtWithForm(received_on=received_on)
    if action == "send_again":
        return _send_again(request, support_request)
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
            elif action == "contact_attempt":
                attempt_form = ContactAttemptForm(request.POST, received_on=received_on)
                if attempt_form.is_valid():
                    data = attempt_form.cleaned_data
                    services.record_attempt(
                        support_request,
                        by=request.user,
                        on=data["made_on"],
                        method=data["attempt_method"],
                        outcome=data["outcome"],
                        token=data["token"] or uuid.uuid4(),
                    )
                    messages.success(request, "The attempt to make contact is recorded.")
                    return redirect("casework:request_detail", reference)
            elif action == "urgent_dealt_with":
                urgent_form = UrgentDealtWithForm(request.POST, received_on=received_on)
                if urgent_form.is_valid():
                    services.record_urgent_dealt_with(
                        support_request,
                        by=request.user,
                        on=urgent_form.cleaned_data["dealt_with_on"],
                        action=urgent_form.cleaned_data["urgent_action"],
                    )
                    messages.success(request, "How the urgent request was dealt with is recorded.")
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
        except services.NeedsFirstContact:
            messages.error(
                request,
                "Record the first contact with the doctor first. Then you can accept the request or hand it over.",
            )
            return redirect("casework:request_detail", reference)
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
            "attempt_form": attempt_form,
            "urgent_form": urgent_form,
            "attempts": list(support_request.contact_attempts.select_related("recorded_by")),
            "attempts_needed": services.ATTEMPTS_BEFORE_NO_RESPONSE,
            "is_open": support_request.status in services.OPEN_STATUSES,
            "contacted": support_request.status == Status.CONTACTED,
            "comments": list(support_request.doctor_comments.order_by("created_at")),
            "invitation": referral_services.invitation_for(support_request),
            "now": timezone.now(),
            "typed_differs": _typed_differs(support_request),
            "send_again_token": uuid.uuid4(),
            "resends_per_day": settings.REFERRAL_RESENDS_PER_DAY,
            "page_has_errors": contact_form.errors or handover_form.errors or attempt_form.errors or urgent_form.errors,
            # A doctor who comes back: their earlier requests to this service, so nobody starts from nothing.
            "earlier": requests_for_case_manager(request.user)
            .filter(doctor=support_request.doctor, submitted_at__lt=support_request.submitted_at)
            .select_related("case")
            .order_by("-submitted_at")[:10],
        },
    )


def _typed_differs(support_request) -> bool:
    """Whether the name or email the referrer typed differs from the matched doctor's account, so the case
    manager checks it is the right person before contacting them."""
    if not support_request.is_referral or not (support_request.referred_name or support_request.referred_email):
        return False
    user = support_request.doctor.user
    name_differs = support_request.referred_name.strip().lower() != user.full_name.strip().lower()
    email_differs = support_request.referred_email.strip().lower() != user.email.lower()
    invitation = referral_services.invitation_for(support_request)
    if invitation is not None and invitation.email:
        email_differs = support_request.referred_email.strip().lower() != invitation.email.lower()
    return name_differs or email_differs


def _send_again(request: HttpRequest, support_request) -> HttpResponse:
    token = parse_token(request.POST.get("token"))
    if token is None or not support_request.is_referral:
        messages.error(request, "The email could not be sent again. Press the button once more.")
    elif support_request.status in (Status.CLOSED, Status.HANDED_OVER):
        messages.error(request, "This request is closed, so there is nothing to send again.")
    elif support_request.status not in services.OPEN_STATUSES:
        # The page offers it only while the request is open; a form from before the acceptance is refused.
        messages.error(request, "This request is already accepted as a case, so there is no need to send it again.")
    elif support_request.doctor_seen_referral_at:
        messages.error(request, "The doctor has already read the referral, so there is no need to email them again.")
    else:
        try:
            invitation = referral_services.send_again(support_request, by=request.user, token=token)
        except referral_services.AlreadySent:
            pass  # a double click: the first press already sent it, and said so
        except referral_services.TooManyResends as refused:
            messages.error(request, refused.message)
        else:
            if invitation is not None:
                messages.success(
                    request,
                    "A new invitation is on its way to the doctor. The link in the earlier one no longer works; "
                    f"the new one works until {long_date(invitation.expires_at)}.",
                )
            else:
                messages.success(request, "The doctor has been emailed again about the referral.")
    return redirect("casework:request_detail", support_request.reference)


def close_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Close a request that will not become a case: "no response" after recorded attempts, or "not for this
    service" with signposting. The doctor is told kindly."""
    support_request = get_request_for_case_manager(
        request.user,
        reference,
        purpose="Closing a request",
        action="changed" if request.method == "POST" else "viewed",
    )
    if not services.can_close(support_request):
        messages.error(request, "This request is no longer waiting, so there is nothing to close.")
        return redirect("casework:request_detail", reference)
    attempts = support_request.contact_attempts.count()
    needed = services.ATTEMPTS_BEFORE_NO_RESPONSE
    form = CloseRequestForm(posted(request), attempts=attempts, needed=needed, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_request(
                support_request,
                by=request.user,
                ended_as=data["ended_as"],
                message=data["message"],
                signposted_to=data["signposted_to"],
            )
        except services.NotEnoughAttempts:
            messages.error(request, f"Record at least {needed} attempts to contact the doctor first.")
            return redirect("casework:request_detail", reference)
        except services.AlreadyDecided as decided:
            status = decided.support_request.get_status_display()
            messages.error(request, f"Someone else has just changed this request: it is now “{status}”.")
            return redirect("casework:request_detail", reference)
        messages.success(request, f"{reference} is closed. The doctor has been told, kindly, and can always come back.")
        return redirect("casework:inbox")
    return render(
        request,
        "casework/close_request.jinja",
        {
            "support_request": support_request,
            "form": form,
            "attempts": attempts,
            "needed": needed,
            "page_has_errors": form.errors,
        },
    )
