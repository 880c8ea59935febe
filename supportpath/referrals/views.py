from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from supportpath.accounts.roles import is_doctor
from supportpath.core.form_fields import posted
from supportpath.core.home_panels import panels_for

from . import access, services
from .forms_common import WithdrawForm
from .presenters import pathways_for

# What "My support" shows of each request and its case (journey.journeys and the template): the request's dates,
# status and ending (with the doctor's own reason and the service's message to them), who referred them, the
# service, and the case's dates and stage with its case manager's and facilitator's names.
JOURNEY_COLUMNS = (
    "reference",
    "route",
    "other_reason",
    "mandated",
    "status",
    "submitted_at",
    "first_contact_due",
    "first_contact_on",
    "handed_over_to",
    "handed_over_at",
    "ended_as",
    "ended_at",
    "signposted_to",
    "ending_message",
    "ending_reason",
    "ending_reason_shared",
    "service__name",
    "referrer__full_name",
    "case__opened_at",
    "case__stage",
    "case__initial_conversation_due",
    "case__plan_agreed_due",
    "case__case_manager__full_name",
    "case__facilitator__full_name",
)


def my_support(request: HttpRequest) -> HttpResponse:
    """The doctor's home: every request, and the whole path for each — where they are, what next, by when."""
    if not is_doctor(request.user):
        return render(request, "referrals/my_support_not_doctor.jinja")
    requests = (
        access.requests_for_doctor(request.user)
        # The case's case manager and facilitator, whom the journey names, joined here: two queries fewer.
        .select_related("service", "case__case_manager", "case__facilitator", "referrer")
        # Reads only the columns the journeys show (five tables' every column, the request's confidential ones
        # decrypted, cost more to build and read than the page's other queries: docs/scale.md).
        .only(*JOURNEY_COLUMNS)
        .prefetch_related("reasons")
        .order_by("-submitted_at")
    )
    return render(
        request,
        "referrals/my_support.jinja",
        {"pathways": pathways_for(requests), "home_panels": panels_for(request.user)},
    )


def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """The doctor withdraws their own request, or declines a referral, with an optional reason."""
    support_request = access.get_own_request(request.user, reference)
    if not services.can_withdraw(support_request):
        if support_request.mandated and support_request.status in services.WITHDRAWABLE:
            messages.info(
                request,
                "This referral is part of a formal process, so it cannot be declined here. Talk to the service: "
                "they will explain what it needs, and what stays private.",
            )
        elif not support_request.ended_as and support_request.status != "handed_over":
            messages.info(
                request,
                "This request is already under way. To stop, tell your case manager: they will close it with you.",
            )
        return redirect("referrals:my_support")
    form = WithdrawForm(posted(request), is_referral=support_request.is_referral)
    if request.method == "POST" and form.is_valid():
        services.withdraw(
            support_request,
            by=request.user,
            reason=form.cleaned_data["reason"],
            share_reason=form.cleaned_data.get("share_reason") == "yes",
        )
        messages.success(
            request,
            "You have declined the referral." if support_request.is_referral else "Your request is withdrawn.",
        )
        return redirect("referrals:my_support")
    return render(
        request,
        "referrals/withdraw.jinja",
        {"support_request": support_request, "form": form, "page_has_errors": form.errors},
    )
