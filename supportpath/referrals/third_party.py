"""Referral by someone else, the doctor's view of it, and the referrer's view of what the doctor shares."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import Role
from supportpath.accounts.roles import has_role, is_doctor
from supportpath.audit import lists
from supportpath.core.encryption import without_encrypted
from supportpath.core.form_fields import posted
from supportpath.core.pagination import paginate

from . import access, referral_services, seams
from .forms_common import parse_token
from .forms_referral import (
    AcceptInvitationForm,
    DoctorCommentForm,
    FindDoctorForm,
    ReferralDetailsForm,
)
from .models import REFERRER_REASON_LABELS, Reason

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
    form = FindDoctorForm(posted(request), initial=answers.get("doctor"))
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
    form = ReferralDetailsForm(posted(request), initial=answers.get("details"))
    if request.method == "POST" and form.is_valid():
        answers["details"] = form.cleaned_data
        request.session.modified = True
        return redirect("referrals:referral_check")
    return render(request, "referrals/referral/details.jinja", {"form": form, "doctor_name": _doctor_name(answers)})


def _doctor_name(answers: dict) -> str:
    # Always the name the referrer typed: whether a doctor with this GMC number has an account is never shown.
    return answers["doctor"].get("full_name", "")


def _reasons_text(details: dict) -> str:
    labels = [REFERRER_REASON_LABELS[Reason(code)] for code in details["reasons"] if code != Reason.OTHER]
    if Reason.OTHER in details["reasons"]:
        labels.append(f"Something else: {details.get('other_reason', '')}")
    return "; ".join(labels)


def _urgency_text(details: dict) -> str:
    if details.get("urgent") != "yes":
        return "No"
    return f"Yes. {details.get('urgency_details', '')}".strip()


def check(request: HttpRequest) -> HttpResponse:
    refusal = _refuse(request)
    if refusal:
        return refusal
    answers = request.session.get(SESSION_KEY, {})
    problem = ""
    if request.method == "POST":
        token = parse_token(request.POST.get("token") or answers.get("token"))
        if token is None:
            problem = "The referral could not be sent. Your answers are kept: check them and send the referral again."
        else:
            done = access.referrals_made_by(request.user).filter(submission_token=token).first()
            if done is None:
                if "details" not in answers:
                    return redirect("referrals:referral_doctor")
                done = referral_services.make_referral(
                    referrer=request.user, doctor=answers["doctor"], details=answers["details"], token=token
                )
                request.session.pop(SESSION_KEY, None)
            return redirect("referrals:referral_sent", done.reference)
    if "details" not in answers or not {"gmc_number", "full_name", "email"} <= set(answers.get("doctor", {})):
        return redirect("referrals:referral_doctor")
    d, doctor = answers["details"], answers["doctor"]
    rows = [
        ("Doctor's name", doctor["full_name"], "referral_doctor"),
        ("GMC reference number", doctor["gmc_number"], "referral_doctor"),
        ("Email address", doctor["email"], "referral_doctor"),
        ("Reasons", _reasons_text(d), "referral_details"),
        ("What you have noticed", d["description"], "referral_details"),
        ("Already discussed with the doctor", d["discussed"], "referral_details"),
        ("Urgent", _urgency_text(d), "referral_details"),
        ("Mandated", "Yes" if d["mandated"] == "yes" else "No", "referral_details"),
    ]
    summary = [
        {
            "key": {"text": key},
            "value": {"text": value},
            "actions": {
                "items": [{"href": reverse(f"referrals:{step}"), "text": "Change", "visuallyHiddenText": key.lower()}]
            },
        }
        for key, value, step in rows
    ]
    return render(
        request,
        "referrals/referral/check.jinja",
        {"rows": summary, "token": answers["token"], "problem": problem},
        status=400 if problem else 200,
    )


def sent(request: HttpRequest, reference: str) -> HttpResponse:
    referral = access.get_referral_for_referrer(request.user, reference)
    return render(request, "referrals/referral/sent.jinja", {"referral": referral})


def my_referrals(request: HttpRequest) -> HttpResponse:
    refusal = _refuse(request)
    if refusal:
        return refusal
    referrals = without_encrypted(
        access.referrals_made_by(request.user)
        .select_related("doctor__user", "case")
        .prefetch_related("sharing_agreement__grants")
        .order_by("-submitted_at", "-pk"),  # by request_referrer_order; the id settles a tie
        "doctor",
        keep=("referred_name",),  # the only one shown: the doctor's name as the referrer typed it
    )
    page, links = paginate(request, referrals, 25)
    rows = [(r, referral_services.shared_status(r)) for r in page.object_list]
    role = Role.REFERRER if has_role(request.user, Role.REFERRER) else Role.RESPONSIBLE_OFFICER
    organisations = lists.organisation_names(request.user, role)
    shown = [(r.doctor, organisations.get(r.referrer_organisation_id, "")) for r, _ in rows]
    lists.log_list(request.user, lists.REFERRALS, shown, role=role)
    return render(request, "referrals/referral/my_referrals.jinja", {"rows": rows, "page_links": links})


def referral_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Exactly what the sharing agreement gives the person who referred, through the wall."""
    if request.method == "POST" and request.POST.get("action") == "send_again":
        return _send_again(request, reference)
    referral = access.get_referral_for_referrer(request.user, reference)
    if request.method == "POST":
        return redirect("referrals:referral_status", referral.reference)  # no button pressed: show the page
    return render(
        request,
        "referrals/referral/status.jinja",
        {
            "referral": referral,
            "status": referral_services.shared_status(referral),
            "shared": seams.shared_with_referrer(referral),
            # Never shows whether the doctor has an account, nor a stage the doctor has not shared (SendAgain).
            "can_send_again": referral_services.SendAgain(referral).offered,
            "send_again_token": uuid.uuid4(),
            "invitation_days": settings.REFERRAL_INVITATION_DAYS,
            "resends_per_day": settings.REFERRAL_RESENDS_PER_DAY,
        },
    )


def _send_again(request: HttpRequest, reference: str) -> HttpResponse:
    """A press of "Email the doctor again". The doctor's log says "changed" only when an email was queued;
    otherwise the referrer only looked. What the referrer is told does not depend on which (see SendAgain)."""
    referral = access.find_referral_for_referrer(request.user, reference)  # 404 first, for anyone else
    sent = False
    try:
        token = parse_token(request.POST.get("token"))
        rule = referral_services.SendAgain(referral)
        if token is None:
            messages.error(request, "The email could not be sent again. Press the button once more.")
        elif not rule.offered:
            messages.error(request, rule.refusal())
        elif not rule.sends:
            messages.success(request, rule.done())  # the same words as when it sends: see SendAgain
        else:
            try:
                referral_services.send_again(referral, by=request.user, token=token)
            except referral_services.AlreadySent:
                pass  # a double click: the first press already sent it, and said so
            except referral_services.TooManyResends as refused:
                messages.error(request, refused.message)
            else:
                sent = True
                messages.success(request, rule.done())
    finally:
        access.log_referrer_access(request.user, referral, action="changed" if sent else "viewed")
    return redirect("referrals:referral_status", referral.reference)


def for_doctor(request: HttpRequest, reference: str) -> HttpResponse:
    """The doctor's page about a referral someone else made: who, why, what support is, what next."""
    referral = access.get_own_request(request.user, reference)
    if not referral.is_referral:
        return redirect("referrals:my_support")
    if referral.doctor_seen_referral_at is None:
        referral.doctor_seen_referral_at = timezone.now()
        referral.save(update_fields=["doctor_seen_referral_at"])
    comment_form = DoctorCommentForm(initial={"token": uuid.uuid4()})
    if request.method == "POST" and request.POST.get("action") == "comment":
        comment_form = DoctorCommentForm(request.POST)
        if comment_form.is_valid():
            referral_services.add_doctor_comment(referral, **comment_form.cleaned_data)
            messages.success(request, "Your account is saved. The support service will read it.")
            return redirect("referrals:referral_for_doctor", reference)
    elif request.method == "POST":
        return redirect("referrals:referral_for_doctor", reference)  # no button pressed: show the page
    referrer_card = seams.referrer_card(referral)
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
    """The invited doctor creates their account. A used, expired or replaced link gets a kind page that says
    how to get a new one (never a bare error)."""
    invitation = access.find_invitation(token)
    now = timezone.now()
    if invitation is None or not invitation.is_usable(now):
        return render(
            request,
            "referrals/referral/invitation_gone.jinja",
            {
                "invitation": invitation,
                "used": invitation is not None and invitation.accepted_at is not None,
                "days": settings.REFERRAL_INVITATION_DAYS,
            },
            status=404 if invitation is None else 410,
        )
    if referral_services.address_taken_by_another_account(invitation):
        return _claim_invitation(request, invitation, token)
    user = invitation.request.doctor.user
    form = AcceptInvitationForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = referral_services.accept_invitation(invitation, password=data.pop("password"), profile=data)
        login(request, user, backend="supportpath.accounts.backends.AccountBackend")
        return redirect("referrals:referral_for_doctor", invitation.request.reference)
    return render(request, "referrals/referral/invitation.jinja", {"form": form, "invitation": invitation})


def _claim_invitation(request: HttpRequest, invitation, token: str) -> HttpResponse:
    """The invited address already signs in to an account here. Only the holder of the emailed link sees
    this: they sign in to that account and the referral joins it."""
    user = request.user
    signed_in_as_owner = user.is_authenticated and user.email.lower() == invitation.email.lower()
    if signed_in_as_owner and is_doctor(user) and request.method == "POST":
        referral = referral_services.claim_invitation(invitation, user)
        messages.success(request, "The referral is now part of your account.")
        return redirect("referrals:referral_for_doctor", referral.reference)
    here = reverse("referrals:accept_invitation", args=[token])
    return render(
        request,
        "referrals/referral/invitation_claim.jinja",
        {
            "invitation": invitation,
            "signed_in_as_owner": signed_in_as_owner,
            "owner_is_doctor": signed_in_as_owner and is_doctor(user),
            "sign_in_url": f"{reverse('accounts:sign_in')}?next={here}",
        },
    )
