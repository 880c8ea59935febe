"""Messages between a doctor and the people supporting them. Views are thin: who may is ``access``, what
happens is ``services``, what is shown is ``presenters``."""

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render

from supportpath.accounts import policy
from supportpath.accounts.http import AuthenticatedRequest
from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import has_role, is_doctor
from supportpath.audit import lists
from supportpath.core.form_fields import posted

from . import access, presenters, services
from .forms import MessageForm, WorkPhoneForm

INBOX_SHOWN = 50
MESSAGING_ROLES = (Role.CASE_MANAGER, Role.FACILITATOR)


def _is_messaging_staff(user: User) -> bool:
    return any(has_role(user, role) for role in MESSAGING_ROLES)


def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The doctor's threads (one per request), or a member of staff's: the threads they may open that have
    messages, newest first, with how many are new to them."""
    user = request.user
    if is_doctor(user):
        own = services.with_unread(access.requests_for_doctor(user), user).select_related("service")
        rows = [presenters.doctor_thread_row(r) for r in own.order_by("-submitted_at")]
        return render(request, "messaging/inbox_doctor.jinja", {"rows": rows})
    refusal = policy.role_only(request, _is_messaging_staff, "messaging/staff_only.jinja")
    if refusal:
        return refusal
    requests = list(
        # Only requests with a thread, found from the messages (an index), before counting and sorting: without
        # it every request of the service was grouped with its messages on every view (issue "national scale").
        services.with_unread(services.with_threads(access.requests_for_staff(user)), user)
        .filter(last_message__isnull=False)
        .select_related("doctor__user", "service")
        .order_by("-last_message", "-pk")[:INBOX_SHOWN]
    )
    lists.log_list(user, lists.MESSAGES, [(r.doctor, r.service.name) for r in requests], role=_list_role(user))
    return render(request, "messaging/inbox_staff.jinja", {"rows": [presenters.staff_thread_row(r) for r in requests]})


def _list_role(user: User) -> str:
    return Role.CASE_MANAGER if has_role(user, Role.CASE_MANAGER) else Role.FACILITATOR


def thread(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """One thread: its messages, who is in it and how to reach them, and a box to write in while it is open.
    Checked (and, for staff, logged) before anything else, so someone refused gets a 404 whatever they sent."""
    user = request.user
    sending = request.method == "POST"
    if is_doctor(user) and access.requests_for_doctor(user).filter(reference=reference).exists():
        conversation = access.get_own_thread(user, reference)
    else:
        conversation = access.get_thread_for(user, reference, action="changed" if sending else "viewed")
    form = MessageForm(posted(request)) if conversation.can_write else None
    if sending:
        if form is None:
            flash.info(request, "This conversation has ended, so no more messages can be sent.")
            return redirect("messaging:thread", reference)
        if form.is_valid():
            services.send_message(
                conversation, author=user, text=form.cleaned_data["text"], token=form.cleaned_data["token"]
            )
            flash.success(request, "Your message is sent.")
            return redirect("messaging:thread", reference)
    shown = services.messages_in(conversation)
    services.mark_read(conversation.request, user)
    return render(
        request,
        "messaging/thread.jinja",
        {
            "thread": conversation,
            "rows": presenters.message_rows(shown, user),
            "team": presenters.team(conversation) if conversation.role == Role.DOCTOR else [],
            "form": form,
            "page_has_errors": bool(form is not None and form.errors),
            "closed_text": presenters.CLOSED_TEXT if conversation.role == Role.DOCTOR else presenters.CLOSED_TEXT_STAFF,
        },
    )


def doctor_contact(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """The doctor's contact details and preferred times, for their case manager or facilitator (logged)."""
    contact = access.get_doctor_contact_for(request.user, reference)
    return render(request, "messaging/doctor_contact.jinja", {"contact": presenters.doctor_contact(contact)})


def work_phone(request: AuthenticatedRequest) -> HttpResponse:
    """A case manager or facilitator gives the work phone number the doctors they support see."""
    user = request.user
    refusal = policy.role_only(request, _is_messaging_staff, "messaging/staff_only.jinja")
    if refusal:
        return refusal
    form = WorkPhoneForm(posted(request), initial={"work_phone": user.work_phone})
    if request.method == "POST" and form.is_valid():
        services.set_work_phone(user, form.cleaned_data["work_phone"])
        flash.success(request, "Your work phone number is saved.")
        return redirect("accounts:your_account")
    return render(request, "messaging/work_phone.jinja", {"form": form, "page_has_errors": bool(form.errors)})
