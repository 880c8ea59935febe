"""The service admin's pages: "Your service" (where they land, and a case manager's way to the same service),
its people and organisations, its interventions catalogue, the invitation link that brings someone in, and
moving a case to another case manager. Thin: access through access.py (and casework.access for a case), rules in
services, display in presenters."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from supportpath.accounts import policy
from supportpath.accounts.forms import NewPasswordForm
from supportpath.accounts.models import Role, User
from supportpath.accounts.roles import home_url_for
from supportpath.accounts.service_navigation import service_admin_navigation, service_links
from supportpath.casework.access import CASE_MANAGER_ONLY, get_case_for
from supportpath.core.form_fields import posted
from supportpath.core.home_panels import STAFF_HOME, panels_for
from supportpath.core.pagination import page_links
from supportpath.plans.forms import new_token

from . import access, presenters, services
from .forms import (
    NAME_TAKEN,
    ChangeRoleForm,
    EndMembershipForm,
    InterventionForm,
    InviteForm,
    MoveCaseForm,
    OrganisationForm,
)

HOME, STAFF, ORGANISATIONS = "service:home", "service:staff", "service:organisations"
CATALOGUE = "service:intervention_list"
INVITATION_TOKEN = "_staff_invitation_token"
ACCEPT_URL_TOKEN = "accept"


def _page(request: HttpRequest, template: str, context: dict, *, current: str = "", within: str = "", status=200):
    context["navigation_items"] = service_admin_navigation(current, within=within)
    return render(request, template, context, status=status)


# Your service


def home(request: HttpRequest) -> HttpResponse:
    """Where a service admin lands, and a case manager's way to the same service: the pages for running it that
    their role opens, one line on each. An admin has the service's navigation in the header; a case manager
    their tabs."""
    refusal = policy.role_only(request, access.may_open_home, "service/home_only.jinja")
    if refusal:
        return refusal
    service, roles = access.home_service(request.user)
    context = {
        "service": service,
        "links": service_links(roles),
        "is_service_admin": Role.SERVICE_ADMIN in roles,
        "show_case_manager_tabs": Role.CASE_MANAGER in roles,
        # What other apps offer staff (the service insights for a service admin), as on the evaluator's home.
        "home_panels": panels_for(request.user, STAFF_HOME),
    }
    if Role.SERVICE_ADMIN in roles:
        context["navigation_items"] = service_admin_navigation(HOME)
    return render(request, "service/home.jinja", context)


def intervention_list(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service = access.admin_service(request.user)
    interventions = access.interventions_for_admin(request.user).filter(service=service)
    return render(
        request,
        "service/intervention_list.jinja",
        {"service": service, "interventions": interventions, "navigation_items": service_admin_navigation(CATALOGUE)},
    )


def intervention_add(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service = access.admin_service(request.user)
    form = InterventionForm(posted(request), service=service, initial={"submission_token": new_token()})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in InterventionForm.Meta.fields}
        token = form.cleaned_data["submission_token"] or new_token()
        try:
            intervention, _ = services.add_intervention(service, values, token=token)
        except services.NameTaken:
            form.add_error("name", NAME_TAKEN)
        else:
            messages.success(request, f"{intervention.name} is in the catalogue.")
            return redirect(CATALOGUE)
    return render(
        request,
        "service/intervention_form.jinja",
        {
            "form": form,
            "heading": "Add support to the catalogue",
            "navigation_items": service_admin_navigation(within=CATALOGUE),
        },
    )


def intervention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = access.get_intervention_for_admin(request.user, pk)
    form = InterventionForm(posted(request), instance=intervention, service=intervention.service)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{intervention.name} is saved.")
        return redirect(CATALOGUE)
    return render(
        request,
        "service/intervention_form.jinja",
        {
            "form": form,
            "heading": f"Change {intervention.name}",
            "navigation_items": service_admin_navigation(within=CATALOGUE),
        },
    )


# The service's people


def staff(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service = access.admin_service(request.user)
    context = presenters.staff_page(service, request.GET.get("page"))
    context["page_links"] = page_links(request, context["page"])
    return _page(request, "service/staff.jinja", context, current=STAFF)


def invite_staff(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service = access.admin_service(request.user)
    form = InviteForm(posted(request), roles=services.STAFF_ROLES)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(service=service, organisation=service, by=request.user, **form.cleaned_data)
        except services.Refused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request,
                f"We have emailed {invitation.full_name} a link to join as {invitation.get_role_display().lower()}.",
            )
            return redirect(STAFF)
    return _page(
        request,
        "service/invite.jinja",
        {"form": form, "organisation": service, "back": reverse(STAFF), "heading": "Invite someone to your service"},
        within=STAFF,
    )


def _back_for(membership) -> str:
    if membership.role in services.STAFF_ROLES:
        return reverse(STAFF)
    return reverse("service:organisation", args=[membership.organisation_id])


def person(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_admin(request.user, pk)
    context = presenters.person_page(membership, viewer=request.user)
    context["back"] = _back_for(membership)
    return _page(request, "service/person.jinja", context, within=_within(membership))


def _within(membership) -> str:
    return STAFF if membership.role in services.STAFF_ROLES else ORGANISATIONS


def _takers(membership):
    """The role whose open work needs someone to take it over, and who can."""
    if membership.role in services.WORK_ROLES and services.open_work(membership):
        return membership.role, services.colleagues(membership.organisation, membership.role, besides=membership.user)
    return None, []


def _taker(form, people) -> User | None:
    chosen = form.cleaned_data.get("takes_over")
    return next((p for p in people if str(p.pk) == chosen), None)


def end_membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_admin(request.user, pk)
    work_role, people = _takers(membership)
    form = EndMembershipForm(posted(request), work_role=work_role, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.end_membership(membership, by=request.user, takes_over=_taker(form, people))
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, presenters.ended_message(change))
            return redirect(_back_for(membership))
    return _page(
        request,
        "service/end_membership.jinja",
        {
            "membership": membership,
            "form": form,
            "open_work": services.open_work(membership),
            "work_role": work_role,
            "no_one_to_take_over": bool(work_role) and not people,
            "back": reverse("service:person", args=[membership.pk]),
        },
        within=_within(membership),
    )


def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_admin(request.user, pk)
    work_role, people = _takers(membership)
    roles = [r for r in services.roles_at(membership.organisation) if r != membership.role]
    form = ChangeRoleForm(posted(request), roles=roles, work_role=work_role, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(
                membership, form.cleaned_data["role"], by=request.user, takes_over=_taker(form, people)
            )
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"{membership.user.full_name} is now a {Role(form.cleaned_data['role']).label.lower()}."
            )
            return redirect("service:person", pk=membership.pk)
    return _page(
        request,
        "service/change_role.jinja",
        {
            "membership": membership,
            "form": form,
            "open_work": services.open_work(membership),
            "work_role": work_role,
            "no_one_to_take_over": bool(work_role) and not people,
            "back": reverse("service:person", args=[membership.pk]),
        },
        within=_within(membership),
    )


def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_admin(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.reset_second_factor(membership, by=request.user)
        except services.Refused as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                f"{membership.user.full_name}'s two-step sign-in is reset. They will set it up again when they next "
                "sign in, and we have emailed them to say so.",
            )
            return redirect("service:person", pk=membership.pk)
    return _page(
        request,
        "service/reset_second_factor.jinja",
        {"membership": membership, "error": error, "back": reverse("service:person", args=[membership.pk])},
        within=_within(membership),
    )


@require_POST
def withdraw_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """A form only: the link in the email stops working."""
    invitation = access.get_invitation_for_admin(request.user, pk)
    services.withdraw(invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn: its link no longer works.")
    if invitation.role in services.STAFF_ROLES:
        return redirect(STAFF)
    return redirect("service:organisation", pk=invitation.organisation_id)


# Organisations the service serves


def organisations(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service = access.admin_service(request.user)
    context = presenters.organisations_page(service, request.GET.get("page"))
    context["page_links"] = page_links(request, context["page"])
    return _page(request, "service/organisations.jinja", context, current=ORGANISATIONS)


def add_organisation(request: HttpRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service = access.admin_service(request.user)
    return _organisation_form(request, service, None)


def edit_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, pk)
    return _organisation_form(request, access.admin_service(request.user), organisation)


def _organisation_form(request, service, organisation):
    initial = (
        {"kind": organisation.kind, "name": organisation.name, "ods_code": organisation.ods_code}
        if organisation
        else {}
    )
    form = OrganisationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_organisation(service, form.cleaned_data, organisation)
        except services.Refused as refusal:
            field = "ods_code" if "ODS" in str(refusal) else "name"
            form.add_error(field, str(refusal))
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("service:organisation", pk=saved.pk)
    return _page(
        request,
        "service/organisation_form.jinja",
        {
            "form": form,
            "heading": f"Change {organisation.name}" if organisation else "Add an organisation your service serves",
            "back": reverse("service:organisation", args=[organisation.pk]) if organisation else reverse(ORGANISATIONS),
        },
        within=ORGANISATIONS,
    )


def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, pk)
    return _page(
        request, "service/organisation.jinja", presenters.organisation_page(organisation), within=ORGANISATIONS
    )


def invite_to_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, pk)
    service = access.admin_service(request.user)
    form = InviteForm(posted(request), roles=services.ORGANISATION_ROLES, with_job_title=True)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                service=service, organisation=organisation, by=request.user, **form.cleaned_data
            )
        except services.Refused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request,
                f"We have emailed {invitation.full_name} a link to join {organisation.name} as "
                f"{invitation.get_role_display().lower()}.",
            )
            return redirect("service:organisation", pk=organisation.pk)
    return _page(
        request,
        "service/invite.jinja",
        {
            "form": form,
            "organisation": organisation,
            "back": reverse("service:organisation", args=[organisation.pk]),
            "heading": f"Invite someone at {organisation.name}",
        },
        within=ORGANISATIONS,
    )


# The link in the invitation


@login_not_required
@sensitive_post_parameters("password")
@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: the token moves from the address into the session at once (as Django's password reset
    does), then a new account sets a password, or the account that has the address joins once signed in."""
    if token != ACCEPT_URL_TOKEN:
        if services.invitation_for_token(token) is None:
            return render(request, "service/invitation_not_valid.jinja")
        request.session[INVITATION_TOKEN] = token
        return redirect("service:accept_invitation", ACCEPT_URL_TOKEN)
    invitation = services.invitation_for_token(request.session.get(INVITATION_TOKEN))
    if invitation is None:
        return render(request, "service/invitation_not_valid.jinja")
    if services.joins_with_a_password(invitation):
        probe = User(email=invitation.email, full_name=invitation.full_name)
        form = NewPasswordForm(probe, data=posted(request))
        if request.method == "POST" and form.is_valid():
            user = services.accept(invitation, password=form.cleaned_data["password"])
            request.session.pop(INVITATION_TOKEN, None)
            if user is None:
                return render(request, "service/invitation_not_valid.jinja")
            login(request, user, backend="supportpath.accounts.backends.AccountBackend")
            return redirect(reverse("accounts:second_factor_setup") + "?" + urlencode({"next": home_url_for(user)}))
        return render(request, "service/accept_new.jinja", {"form": form, "invitation": invitation})
    existing = services.account_for(invitation)
    signed_in_as_invitee = request.user.is_authenticated and request.user.pk == existing.pk
    if signed_in_as_invitee and request.user.is_verified() and request.method == "POST":
        user = services.accept(invitation, user=request.user)
        request.session.pop(INVITATION_TOKEN, None)
        if user is None:
            return render(request, "service/invitation_not_valid.jinja")
        messages.success(
            request, f"You have joined {invitation.organisation.name} as {invitation.get_role_display().lower()}."
        )
        return redirect(home_url_for(user))
    return render(
        request,
        "service/accept_existing.jinja",
        {
            "invitation": invitation,
            "signed_in_as_invitee": signed_in_as_invitee,
            "needs_second_step": signed_in_as_invitee and not request.user.is_verified(),
            "sign_in_url": reverse("accounts:sign_in") + "?" + urlencode({"next": request.path}),
        },
    )


# Moving a case


def move_case(request: HttpRequest, pk: int) -> HttpResponse:
    """A case manager hands a case to another case manager of the service; the doctor sees the new name."""
    action = "changed" if request.method == "POST" else "viewed"
    case = get_case_for(
        request.user,
        pk,
        purpose="Moving the case to another case manager",
        action=action,
        only=CASE_MANAGER_ONLY,
        writes=True,  # a closed case takes no more changes (docs/access-policy.md)
    )
    people = [p for p in services.colleagues(case.request.service, Role.CASE_MANAGER) if p.pk != case.case_manager_id]
    form = MoveCaseForm(posted(request), people=people)
    if request.method == "POST" and form.is_valid():
        try:
            move = services.move_case(case, to=_taker(form, people), by=request.user)
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{move.to_user.full_name} is now the case manager. The doctor has been told.")
            return redirect("pathway:case_detail", pk=case.pk)
    return render(
        request,
        "service/move_case.jinja",
        {"case": case, "form": form, "people": people, "show_case_manager_tabs": True},
    )
