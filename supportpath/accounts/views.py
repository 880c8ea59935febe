from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import equality, services
from .forms import DoctorRegistrationForm, SignInForm
from .roles import home_url_for, is_doctor, memberships


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
        return redirect(_next_url(request) or home_url_for(form.user))
    return render(request, "accounts/sign_in.jinja", {"form": form, "next": _next_url(request) or ""})


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
    return render(request, "accounts/your_account.jinja", {"memberships": memberships(request.user)})
