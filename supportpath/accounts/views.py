import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from supportpath.core.form_fields import posted
from supportpath.core.home_panels import STAFF_HOME, panels_for

from . import equality, policy, presenters, registration, second_factor, services
from .forms import (
    DETAIL_FORMS,
    AuthenticatorCodeForm,
    DoctorRegistrationForm,
    ForgottenPasswordForm,
    NewPasswordForm,
    SecondFactorCodeForm,
    SignInForm,
)
from .models import Role, User
from .roles import home_url_for, is_doctor, memberships

BACKUP_CODES_TO_SHOW = "backup_codes_to_show"
NO_BACKUP_CODES = (
    "You have no backup codes left: if you lost your phone, you could not sign in. Make a new set now, on Your "
    "account under Two-step sign-in, and keep them somewhere safe."
)
# The address someone typed, shown back on "check your email" (kept in the session, never in a URL).
EMAIL_TO_SHOW = "account_email_to_show"
REGISTRATION_TOKEN = "_registration_token"
FINISH_URL_TOKEN = "set-password"


def _next_url(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return None


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=posted(request))
    if request.method == "POST" and form.is_valid():
        login(request, form.user)  # rotates the session id
        if second_factor.must_verify(form.user):
            step = "verify" if second_factor.has_authenticator(form.user) else "setup"
            return redirect(_with_next(reverse(f"accounts:second_factor_{step}"), _next_url(request)))
        return redirect(_next_url(request) or home_url_for(form.user))
    return render(request, "accounts/sign_in.jinja", {"form": form, "next": _next_url(request) or ""})


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: the secret as text and as a QR code, then a code to prove it works."""
    user = request.user
    if second_factor.has_authenticator(user):
        # Adding another app would get round the one already set up.
        return redirect(
            "accounts:your_account" if second_factor.is_verified(request) else "accounts:second_factor_verify"
        )
    device = second_factor.pending_authenticator(user)
    form = AuthenticatorCodeForm(data=posted(request))
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session[BACKUP_CODES_TO_SHOW] = codes
            return redirect(_with_next(reverse("accounts:backup_codes"), _next_url(request)))
        form.add_error("code", "The code is not right. Check the app shows supportpath and enter the code it shows now")
    return render(
        request,
        "accounts/second_factor_setup.jinja",
        {
            "form": form,
            "secret": second_factor.secret_text(device),
            "qr_code": second_factor.qr_code_data_uri(device),
            "required": second_factor.is_staff_person(user),
            "next": _next_url(request) or "",
        },
    )


def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    if second_factor.is_verified(request) or not second_factor.has_authenticator(request.user):
        return redirect(_next_url(request) or home_url_for(request.user))
    form = SecondFactorCodeForm(data=posted(request))
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            if second_factor.is_staff_person(request.user) and not second_factor.backup_codes_left(request.user):
                # Staff with no backup codes left would be locked out by a lost phone: ask them to make some
                # (on the way to where they were going, so signing in is never held up).
                messages.warning(request, NO_BACKUP_CODES)
            return redirect(_next_url(request) or home_url_for(request.user))
        form.add_error(
            "code", "The code is not right, or has been used. Enter the code your app shows now, or a backup code"
        )
    return render(request, "accounts/second_factor_verify.jinja", {"form": form, "next": _next_url(request) or ""})


def backup_codes(request: HttpRequest) -> HttpResponse:
    """Backup codes are shown once, straight after they are made; making new ones replaces the old."""
    if not second_factor.has_authenticator(request.user):
        return redirect("accounts:your_account")
    if request.method == "POST":
        request.session[BACKUP_CODES_TO_SHOW] = second_factor.replace_backup_codes(request.user)
        return redirect("accounts:backup_codes")
    codes = request.session.pop(BACKUP_CODES_TO_SHOW, None)
    return render(
        request,
        "accounts/backup_codes.jinja",
        {
            "codes": codes,
            "prompt": not codes and second_factor.is_staff_person(request.user),
            "left": second_factor.backup_codes_left(request.user),
            "next": _next_url(request) or home_url_for(request.user),
        },
    )


def second_factor_off(request: HttpRequest) -> HttpResponse:
    """A doctor who chose the second factor can turn it off; staff cannot."""
    if second_factor.is_staff_person(request.user) or not second_factor.has_authenticator(request.user):
        return redirect("accounts:your_account")
    if request.method == "POST":
        second_factor.turn_off(request.user)
        messages.success(request, "Two-step sign-in is off. You will sign in with your password only.")
        return redirect("accounts:your_account")
    return render(request, "accounts/second_factor_off.jinja")


@login_not_required
def sign_out(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm (the header link); POST signs out."""
    if request.method == "POST":
        logout(request)
        return redirect("core:start")
    if not request.user.is_authenticated:
        return redirect("core:start")
    return render(request, "accounts/sign_out.jinja")


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    """The doctor's details; then, whatever happened, "check your email" (see ``registration``)."""
    data = posted(request)
    form = DoctorRegistrationForm(data=data, initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        registration.start(request, form.cleaned_data, next_url=_next_url(request) or "")
        request.session[EMAIL_TO_SHOW] = form.cleaned_data["email"]
        return redirect("accounts:register_sent")
    return render(request, "accounts/register.jinja", {"form": form, "next": _next_url(request) or ""})


@login_not_required
def register_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/register_sent.jinja",
        {
            "email": request.session.get(EMAIL_TO_SHOW, ""),
            "hours": settings.REGISTRATION_LINK_HOURS,
            "per_hour": settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR,
        },
    )


@login_not_required
@sensitive_post_parameters("password")
@never_cache
def register_finish(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: choose a password, and the account is made. As Django's reset view does, the token moves
    from the address into the session at once, so it cannot leak through the Referer header or browser history."""
    if token != FINISH_URL_TOKEN:
        if registration.pending_for_token(token) is None:
            return render(request, "accounts/register_link_not_valid.jinja")
        request.session[REGISTRATION_TOKEN] = token
        return redirect("accounts:register_finish", FINISH_URL_TOKEN)
    pending = registration.pending_for_token(request.session.get(REGISTRATION_TOKEN))
    if pending is None:
        return render(request, "accounts/register_link_not_valid.jinja")
    probe = User(email=pending.email, full_name=pending.full_name)
    form = NewPasswordForm(probe, data=posted(request))
    if request.method == "POST" and form.is_valid():
        outcome, user = registration.finish(pending, form.cleaned_data["password"])
        request.session.pop(REGISTRATION_TOKEN, None)
        if outcome is registration.Outcome.CREATED:
            login(request, user, backend="supportpath.accounts.backends.AccountBackend")
            messages.success(request, "Your account is set up and you are signed in.")
            return redirect(pending.next_url or home_url_for(user))
        return render(
            request,
            "accounts/register_not_finished.jinja",
            {"outcome": outcome.value, "help_email": settings.HELP_EMAIL},
        )
    return render(request, "accounts/register_finish.jinja", {"form": form, "email": pending.email})


class ForgottenPassword(PasswordResetView):
    """Django's reset view: one answer for every address ("if an account uses this address ...")."""

    form_class = ForgottenPasswordForm
    template_name = "accounts/forgotten_password.jinja"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form):
        self.request.session[EMAIL_TO_SHOW] = form.cleaned_data["email"]
        return super().form_valid(form)


@login_not_required
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/forgotten_password_sent.jinja",
        {
            "email": request.session.get(EMAIL_TO_SHOW, ""),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "per_hour": settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR,
        },
    )


class ResetPassword(PasswordResetConfirmView):
    """Django's link check (one use, time-limited, token moved out of the address) with our form: setting the
    password ends every session of the account (``services.set_new_password``)."""

    form_class = NewPasswordForm
    template_name = "accounts/reset_password.jinja"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.is_authenticated:
            logout(self.request)  # this browser's session ended with the others
        return response


@login_not_required
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/reset_password_done.jinja")


def change_detail(request: HttpRequest, detail: str) -> HttpResponse:
    """One of the doctor's own details, one question per page, reached from "Your account"."""
    refused = policy.doctors_only(request, "accounts/equality_doctors_only.jinja")
    if refused is not None:
        return refused
    form_class = DETAIL_FORMS.get(detail)
    if form_class is None:
        raise Http404("No such detail")
    data = posted(request)
    form = form_class(data=data, profile=request.user.doctor_profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details are saved.")
        return redirect("accounts:your_account")
    return render(request, "accounts/change_detail.jinja", {"form": form, "field_name": form_class.attribute})


def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this person, on every device, including this one."""
    if request.method == "POST":
        services.end_all_sessions(request.user)
        logout(request)
        return redirect("accounts:sign_in")
    return render(request, "accounts/sign_out_everywhere.jinja")


def equality_monitoring(request: HttpRequest) -> HttpResponse:
    """Optional questions for doctors; every answer can be "prefer not to say"."""
    refused = policy.doctors_only(request, "accounts/equality_doctors_only.jinja")
    if refused is not None:
        return refused
    doctor = request.user.doctor_profile
    form = equality.EqualityForm(posted(request), initial=equality.current_answers(doctor))
    if request.method == "POST" and form.is_valid():
        equality.save_answers(doctor, form.cleaned_data)
        messages.success(request, "Thank you. Your answers are saved.")
        return redirect("accounts:your_account")
    return render(request, "accounts/equality.jinja", {"form": form})


def your_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/your_account.jinja",
        {
            "details": presenters.doctor_details(user.doctor_profile) if is_doctor(user) else None,
            "memberships": memberships(user),
            "has_authenticator": second_factor.has_authenticator(user),
            "second_factor_required": second_factor.is_staff_person(user),
            "backup_codes_left": second_factor.backup_codes_left(user),
        },
    )


def evaluator_home(request: HttpRequest) -> HttpResponse:
    """Where an evaluator lands: what the role is for, and what exists for it today (not an empty account page)."""
    services_evaluated = [m.organisation for m in memberships(request.user) if m.role == Role.EVALUATOR]
    if not services_evaluated:
        raise PermissionDenied
    return render(
        request,
        "accounts/evaluator_home.jinja",
        {"services": services_evaluated, "home_panels": panels_for(request.user, STAFF_HOME)},
    )
