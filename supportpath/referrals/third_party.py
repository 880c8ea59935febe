"""Referral by someone else, the doctor's view of it, and the referrer's view of what the doctor shares."""

import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import Role
from supportpath.accounts.roles import has_role
from supportpath.accounts.services import find_doctor_by_gmc_number
from supportpath.core.pagination import paginate
from supportpath.sharing import presenters as sharing_presenters
from supportpath.sharing import wall
from supportpath.sharing.choices import Audience

from . import access, referral_services
from .forms_referral import (
    AcceptInvitationForm,
    DoctorCommentForm,
    FindDoctorForm,
    ReferralDetailsForm,
)
from .models import DoctorComment, Reason

SESSION_KEY = "referral"


def _is_referrer(user) -> bool:
    return has_role(user, Role.REFERRER) or has_role(user, Role.RESPONSIBLE_OFFICER)


def _refuse(request: HttpRequest) -> HttpResponse | None:
    if not _is_referrer(request.user):
        return render(request, "referrals/referral/referrers_only.jinja", status=403)
    return None


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/referral/start.jinja", {"is_referrer": _is_referrer(request.user)})


def find_doctor(request: HttpRequest) -> HttpResponse:
    refusal = _refuse(request)
    if refusal:
        return refusal
    answers = request.session.setdefault(SESSION_KEY, {"token": str(uuid.uuid4())})
    form = FindDoctorForm(request.POST or None, initial=answers.get("doctor"))
    if request.method == "POST" and form.is_valid():
        answers["doctor"] = form.cleaned_data
        request.session.modified = True
        return redirect("referrals:referral_details")
    return render(request, "referrals/referral/find_doctor.jinja", {"form": form})


def details(request: HttpRequest) -> HttpResponse:
    refusal = _refuse(request)
    if refusal:
        return refusal
    answers = request.session.get(SESSION_KEY, {})
    if "doctor" not in answers:
        return redirect("referrals:referral_doctor")
    form = ReferralDetailsForm(request.POST or None, initial=answers.get("details"))
    if request.method == "POST" and form.is_valid():
        answers["details"] = form.cleaned_data
        request.session.modified = True
        return redirect("referrals:referral_check")
    return render(request, "referrals/referral/details.jinja", {"form": form, "doctor_name": _doctor_name(answers)})


def _doctor_name(answers: dict) -> str:
    doctor = answers["doctor"]
    if doctor.get("doctor_id"):
        profile = find_doctor_by_gmc_number(doctor["gmc_number"])
        return profile.user.full_name if profile else ""
    return doctor.get("full_name", "")


def check(request: HttpRequest) -> HttpResponse:
    refusal = _refuse(request)
    if refusal:
        return refusal
    answers = request.session.get(SESSION_KEY, {})
    if request.method == "POST":
        token = uuid.UUID(request.POST.get("token") or answers.get("token") or str(uuid.uuid4()))
        done = access.referrals_made_by(request.user).filter(submission_token=token).first()
        if done is None:
            if "details" not in answers:
                return redirect("referrals:referral_doctor")
            done = referral_services.make_referral(
                referrer=request.user, doctor=answers["doctor"], details=answers["details"], token=token
            )
            request.session.pop(SESSION_KEY, None)
        return redirect("referrals:referral_sent", done.reference)
    if "details" not in answers:
        return redirect("referrals:referral_doctor")
    d = answers["details"]
    rows = [
        {
            "key": {"text": "Doctor"},
            "value": {"text": f"{_doctor_name(answers)} (GMC {answers['doctor']['gmc_number']})"},
        },
        {"key": {"text": "Reasons"}, "value": {"text": "; ".join(Reason(r).label for r in d["reasons"])}},
        {"key": {"text": "What you have noticed"}, "value": {"text": d["description"]}},
        {"key": {"text": "Already discussed with the doctor"}, "value": {"text": d["discussed"]}},
        {"key": {"text": "Mandated"}, "value": {"text": "Yes" if d["mandated"] == "yes" else "No"}},
    ]
    for row, step in zip(rows, ["referral_doctor"] + ["referral_details"] * 4, strict=True):
        row["actions"] = {
            "items": [
                {
                    "href": reverse(f"referrals:{step}"),
                    "text": "Change",
                    "visuallyHiddenText": row["key"]["text"].lower(),
                }
            ]
        }
    invited = not answers["doctor"].get("doctor_id")
    return render(
        request, "referrals/referral/check.jinja", {"rows": rows, "token": answers["token"], "invited": invited}
    )


def sent(request: HttpRequest, reference: str) -> HttpResponse:
    referral = access.get_referral_for_referrer(request.user, reference)
    return render(request, "referrals/referral/sent.jinja", {"referral": referral})


def my_referrals(request: HttpRequest) -> HttpResponse:
    refusal = _refuse(request)
    if refusal:
        return refusal
    referrals = (
        access.referrals_made_by(request.user)
        .select_related("doctor__user", "case")
        .prefetch_related("sharing_agreement__grants")
        .order_by("-submitted_at")
    )
    page, links = paginate(request, referrals, 25)
    rows = [(r, referral_services.shared_status(r)) for r in page.object_list]
    return render(request, "referrals/referral/my_referrals.jinja", {"rows": rows, "page_links": links})


def referral_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Exactly what the sharing agreement gives the person who referred, through the wall."""
    referral = access.get_referral_for_referrer(request.user, reference)
    return render(
        request,
        "referrals/referral/status.jinja",
        {
            "referral": referral,
            "status": referral_services.shared_status(referral),
            "shared": wall.disclose(referral, Audience.REFERRER),
        },
    )


def for_doctor(request: HttpRequest, reference: str) -> HttpResponse:
    """The doctor's page about a referral someone else made: who, why, what support is, what next."""
    referral = access.get_own_request(request.user, reference)
    if not referral.is_referral:
        return redirect("referrals:my_support")
    if referral.doctor_seen_referral_at is None:
        referral.doctor_seen_referral_at = timezone.now()
        referral.save(update_fields=["doctor_seen_referral_at"])
    comment_form = DoctorCommentForm()
    if request.method == "POST" and request.POST.get("action") == "comment":
        comment_form = DoctorCommentForm(request.POST)
        if comment_form.is_valid():
            DoctorComment.objects.create(request=referral, text=comment_form.cleaned_data["text"])
            messages.success(request, "Your account is saved. The support service will read it.")
            return redirect("referrals:referral_for_doctor", reference)
    cards = sharing_presenters.audience_cards(referral)
    referrer_card = next((c for c in cards if c.audience == Audience.REFERRER), None)
    return render(
        request,
        "referrals/referral/for_doctor.jinja",
        {
            "referral": referral,
            "comments": list(referral.doctor_comments.order_by("created_at")),
            "comment_form": comment_form,
            "referrer_card": referrer_card,
            "page_has_errors": comment_form.errors,
        },
    )


@login_not_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = access.get_open_invitation(token)
    user = invitation.request.doctor.user
    form = AcceptInvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        user = referral_services.accept_invitation(invitation, form.cleaned_data["password"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("referrals:referral_for_doctor", invitation.request.reference)
    return render(request, "referrals/referral/invitation.jinja", {"form": form, "invitation": invitation})
