"""Staff pages to book, re-arrange, cancel and record appointments. Thin: access in ``access``, rules in
``services``."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from supportpath.accounts.http import AuthenticatedRequest
from supportpath.casework.access import FACILITATOR_ONLY, get_case_for
from supportpath.core.form_fields import posted

from . import services
from .access import get_appointment_for
from .forms import BookForm, CancelForm, ChangeForm, OutcomeForm, new_token
from .models import Appointment, Kind


def _action(request: AuthenticatedRequest) -> str:
    return "changed" if request.method == "POST" else "viewed"


def _back(appointment: Appointment) -> HttpResponse:
    return redirect("pathway:case_detail", pk=appointment.case_id)


def book(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The facilitator arranges a session or a review ahead."""
    case = get_case_for(
        request.user,
        pk,
        purpose="Arranging a session or review",
        action=_action(request),
        only=FACILITATOR_ONLY,
        writes=True,
    )
    form = BookForm(posted(request), initial={"submission_token": new_token(), "minutes": "60"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.book(
            case,
            kind=data["kind"],
            by=request.user,
            starts_at=data["starts_at"],
            minutes=data["minutes"],
            how=data["how"],
            join_url=data["join_url"],
            place=data["place"],
            token=data["submission_token"],
        )
        messages.success(request, "It is arranged, and the doctor has been sent a calendar invitation.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "appointments/book.jinja", {"case": case, "form": form})


def change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, purpose="Re-arranging an appointment", action=_action(request))
    if not appointment.is_arranged:
        messages.info(request, "What happened to this appointment is already recorded, so it cannot be moved.")
        return _back(appointment)
    if appointment.kind == Kind.FIRST_CONVERSATION:
        # Pathway's own page keeps the first conversation and the doctor's "ask for another time" in step.
        return redirect("pathway:arrange_conversation", pk=appointment.case_id)
    initial = {
        "date": appointment.starts_at.astimezone().strftime("%d/%m/%Y"),
        "time": appointment.starts_at.astimezone().strftime("%H:%M"),
        "minutes": str(appointment.minutes),
        "how": appointment.how,
        "join_url": appointment.join_url,
        "place": appointment.place,
    }
    form = ChangeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rearrange(
                appointment,
                by=request.user,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                how=data["how"],
                join_url=data["join_url"],
                place=data["place"],
            )
        except services.NotAllowed as refusal:
            messages.info(request, str(refusal))
            return _back(appointment)
        messages.success(request, "It is re-arranged, and the doctor has been sent the updated invitation.")
        return _back(appointment)
    return render(request, "appointments/change.jinja", {"appointment": appointment, "form": form})


def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, purpose="Cancelling an appointment", action=_action(request))
    if not appointment.is_arranged:
        messages.info(request, "What happened to this appointment is already recorded.")
        return _back(appointment)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.cancel(appointment, by=request.user, cancelled_by=form.cleaned_data["cancelled_by"])
        messages.success(request, "It is cancelled, and the doctor's calendar invitation has been cancelled.")
        return _back(appointment)
    return render(request, "appointments/cancel.jinja", {"appointment": appointment, "form": form})


def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, purpose="Recording what happened", action=_action(request))
    form = OutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(
                appointment,
                by=request.user,
                outcome=form.cleaned_data["status"],
                cancelled_by=form.cleaned_data["cancelled_by"],
            )
        except services.NotAllowed as refusal:
            form.add_error("outcome", str(refusal))
        else:
            messages.success(request, "What happened is recorded.")
            return _back(appointment)
    return render(request, "appointments/outcome.jinja", {"appointment": appointment, "form": form})
