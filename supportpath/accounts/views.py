from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from . import equality, second_factor, services
from .forms import AuthenticatorCodeForm, DoctorRegistrationForm, SecondFactorCodeForm, SignInForm
from .roles import home_url_for, is_doctor, memberships

BACKUP_CODES_TO_SHOW = "backup_codes_to_show"


def _next_url(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return None


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=request.POST or None)
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
    form = AuthenticatorCodeForm(data=request.POST or None)
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
    form = SecondFactorCodeForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
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
    form = DoctorRegistrationForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.register_doctor(**form.cleaned_data)
        except IntegrityError:
            # A double submission, or two people racing for the same email: the account exists.
            form.add_error("email", "An account already uses this email address. Sign in instead.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request) or home_url_for(user))
    return render(request, "accounts/register.jinja", {"form": form, "next": _next_url(request) or ""})


def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this person, on every device, including this one."""
    if request.method == "POST":
        services.end_all_sessions(request.user)
        logout(request)
        return redirect("accounts:sign_in")
    return render(request, "accounts/sign_out_everywhere.jinja")


def equality_monitoring(request: HttpRequest) -> HttpResponse:
    """Optional questions for doctors; every answer can be "prefer not to say"."""
    if not is_doctor(request.user):
        return render(request, "accounts/equality_doctors_only.jinja", status=404)
    doctor = request.user.doctor_profile
    form = equality.EqualityForm(request.POST or None, initial=equality.current_answers(doctor))
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
            "memberships": memberships(user),
            "has_authenticator": second_factor.has_authenticator(user),
            "second_factor_required": second_factor.is_staff_person(user),
            "backup_codes_left": second_factor.backup_codes_left(user),
        },
    )
