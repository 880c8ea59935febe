"""The self-referral journey: one question per page, check your answers, confirmation.

A doctor says what they need first. Someone without an account answers the questions, then creates their
account as the last step: their answers wait, encrypted, for the account made from the emailed link, and they
check and send them as soon as they have chosen a password (docs/adr/0002-ask-first-account-last.md).

Answers are kept on the server (``drafts``) until they are sent, so nothing typed is lost between pages, nor
when the doctor signs out or is signed out after a quiet spell.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from supportpath.accounts import registration
from supportpath.accounts.forms import DoctorRegistrationForm
from supportpath.accounts.roles import is_doctor
from supportpath.core.form_fields import posted

from . import access, drafts, services
from .forms_common import parse_token
from .forms_self import AccountForm, ContactForm, EmployerForm, ReasonsForm, ServiceForm, UrgencyForm
from .models import ContactMethod, Reason

STEPS = {
    "reasons": (ReasonsForm, "referrals/self/reasons.jinja"),
    "account": (AccountForm, "referrals/self/account.jinja"),
    "contact": (ContactForm, "referrals/self/contact.jinja"),
    "employer": (EmployerForm, "referrals/self/employer.jinja"),
    "urgency": (UrgencyForm, "referrals/self/urgency.jinja"),
    "service": (ServiceForm, "referrals/self/service.jinja"),
}
QUESTIONS = ["reasons", "account", "contact", "employer", "urgency"]
# The key to a draft answered before its doctor had an account (only its hash is stored with the draft).
BROWSER_DRAFT_KEY = "self_referral_draft_key"
# The address typed on "Create an account", shown back on "check your email" (kept in the session, not a URL).
EMAIL_TO_SHOW = "self_referral_email_to_show"


class Asker:
    """Whoever is answering: a signed-in doctor, or someone who has no account yet (their browser's draft)."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.doctor = request.user.doctor_profile if is_doctor(request.user) else None
        key = request.session.get(BROWSER_DRAFT_KEY)
        if self.doctor is not None and key:
            # Signed in on the browser that holds answers typed before signing in: they are this doctor's now.
            drafts.adopt(key, self.doctor)
            del request.session[BROWSER_DRAFT_KEY]

    @property
    def has_account(self) -> bool:
        return self.doctor is not None

    def steps(self) -> list[str]:
        if self.doctor is not None and len(services.services_for(self.doctor)) > 1:
            return [*QUESTIONS, "service"]
        return list(QUESTIONS)

    def load(self) -> dict:
        if self.doctor is not None:
            return drafts.load(self.doctor)
        return drafts.load_for_browser(self.request.session.get(BROWSER_DRAFT_KEY))

    def save(self, answers: dict) -> None:
        if self.doctor is not None:
            drafts.save(self.doctor, answers)
            return
        if not self.request.session.get(BROWSER_DRAFT_KEY):
            self.request.session[BROWSER_DRAFT_KEY] = drafts.new_browser_key()
        drafts.save_for_browser(self.request.session[BROWSER_DRAFT_KEY], answers)

    def after_questions(self) -> str:
        """Where the last question leads: checking the answers, or (with no account yet) creating one."""
        return "referrals:self_referral_check" if self.has_account else "referrals:self_referral_details"


def _asker_or_refusal(request: HttpRequest) -> tuple[Asker | None, HttpResponse | None]:
    if request.user.is_authenticated and not is_doctor(request.user):
        return None, render(request, "referrals/self/doctors_only.jinja", status=403)
    return Asker(request), None


# Set when a doctor arrives from a signpost's page (``?via=signpost``): their request's route is then
# "signposted". Only this flag is kept, in their own session; which signpost it was is never known.
SIGNPOSTED_SESSION_KEY = "self_referral_signposted"


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    if request.GET.get("via") == "signpost":
        request.session[SIGNPOSTED_SESSION_KEY] = True
    first = reverse("referrals:self_referral_step", args=["reasons"])
    doctor = is_doctor(request.user)
    if doctor:
        Asker(request)  # answers typed on this browser before signing in are offered to carry on with
    kept_until = drafts.kept_until(request.user.doctor_profile) if doctor else None
    return render(
        request,
        "referrals/self/start.jinja",
        {
            "first_step": first,
            "is_doctor": doctor,
            "kept_until": kept_until,
            "continue_url": reverse("referrals:self_referral_check") if kept_until else "",
            "draft_days": settings.SELF_REFERRAL_DRAFT_DAYS,
            "question_count": len(QUESTIONS),
        },
    )


@login_not_required
def step(request: HttpRequest, name: str) -> HttpResponse:
    asker, refusal = _asker_or_refusal(request)
    if refusal:
        return refusal
    steps = asker.steps()
    if name not in steps:
        raise Http404("No such question")
    form_class, template = STEPS[name]
    answers = asker.load()
    kwargs = {"services": services.services_for(asker.doctor)} if name == "service" else {}
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            answers[name] = form.cleaned_data
            asker.save(answers)
            position = steps.index(name)
            if changing or position == len(steps) - 1 or all(s in answers for s in steps[position + 1 :]):
                return redirect(asker.after_questions())
            return redirect("referrals:self_referral_step", steps[position + 1])
    else:
        form = form_class(initial=answers.get(name), **kwargs)
    position = steps.index(name)
    back = (
        reverse("referrals:self_referral_start")
        if position == 0
        else reverse("referrals:self_referral_step", args=[steps[position - 1]])
    )
    if changing:
        back = reverse(asker.after_questions())
    return render(
        request,
        template,
        {"form": form, "back": back, "changing": changing, "step_number": position + 1, "step_count": len(steps)},
    )


@login_not_required
def details(request: HttpRequest) -> HttpResponse:
    """The last step for someone without an account: create one. The answers wait for the account made from the
    emailed link (``drafts.claim``); the page after is the same whatever happens, as "Create an account"'s is."""
    asker, refusal = _asker_or_refusal(request)
    if refusal:
        return refusal
    if asker.has_account:
        return redirect("referrals:self_referral_check")
    answers = asker.load()
    missing = [s for s in asker.steps() if s not in answers]
    if missing:
        return redirect("referrals:self_referral_step", missing[0])
    form = DoctorRegistrationForm(data=posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        answers[drafts.ACCOUNT_EMAIL] = form.cleaned_data["email"]
        asker.save(answers)
        claim = drafts.claim_token(request.session[BROWSER_DRAFT_KEY])
        registration.start(
            request, form.cleaned_data, next_url=reverse("referrals:self_referral_continue", args=[claim])
        )
        request.session[EMAIL_TO_SHOW] = form.cleaned_data["email"]
        return redirect("referrals:self_referral_email_sent")
    return render(
        request,
        "referrals/self/details.jinja",
        {
            "form": form,
            "back": reverse("referrals:self_referral_step", args=[QUESTIONS[-1]]),
            "sign_in_next": reverse("referrals:self_referral_check"),
        },
    )


@login_not_required
def email_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/self/email_sent.jinja",
        {
            "email": request.session.get(EMAIL_TO_SHOW, ""),
            "hours": settings.REGISTRATION_LINK_HOURS,
            "per_hour": settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR,
        },
    )


def continue_after_account(request: HttpRequest, token: str) -> HttpResponse:
    """Where the emailed link leads once the account is made: the answers become the new account's, to check
    and send."""
    asker, refusal = _asker_or_refusal(request)
    if refusal:
        return refusal
    # On the browser that answered, ``Asker`` has already adopted the answers; elsewhere the link claims them.
    if drafts.claim(token, asker.doctor) or drafts.kept_until(asker.doctor):
        messages.info(request, "Your request has not been sent yet: check your answers, then send it.")
    return redirect("referrals:self_referral_check")


def _complete(answers: dict, steps: list[str]) -> bool:
    return all(name in answers for name in steps)


def _row(key: str, value: str, step_name: str, hidden: str) -> dict:
    href = reverse("referrals:self_referral_step", args=[step_name]) + "?change=1"
    return {
        "key": {"text": key},
        "value": {"text": value},
        "actions": {"items": [{"href": href, "text": "Change", "visuallyHiddenText": hidden}]},
    }


def _summary_rows(answers: dict, doctor) -> list[dict]:
    reasons = [Reason(code).label for code in answers["reasons"]["reasons"] if code != Reason.OTHER]
    if answers["reasons"].get("other_reason"):
        reasons.append(f"Something else: {answers['reasons']['other_reason']}")
    contact = answers["contact"]
    contact_text = ContactMethod(contact["contact_method"]).label
    if contact.get("phone"):
        contact_text += f" ({contact['phone']})"
    if contact.get("contact_times"):
        contact_text += f". Good times: {contact['contact_times']}"
    urgency = answers["urgency"]
    urgent_text = f"Yes. {urgency.get('urgency_details', '')}".strip() if urgency["urgent"] == "yes" else "No"
    employer_text = "Yes" if answers["employer"]["employer_may_be_told"] == "yes" else "No"
    rows = [
        _row("What you would like help with", "; ".join(reasons), "reasons", "what you would like help with"),
        _row("What is happening", answers["account"]["account"], "account", "what is happening"),
        _row("How to contact you", contact_text, "contact", "how to contact you"),
        _row("Your employer may be told", employer_text, "employer", "whether your employer may be told"),
        _row("Anything urgent", urgent_text, "urgency", "whether anything is urgent"),
    ]
    if "service" in answers:
        names = {str(s.pk): s.name for s in services.services_for(doctor)}
        service_name = names.get(answers["service"]["service"], "")
        rows.append(_row("Support service", service_name, "service", "support service"))
    return rows


@login_not_required
def check_answers(request: HttpRequest) -> HttpResponse:
    asker, refusal = _asker_or_refusal(request)
    if refusal:
        return refusal
    if not asker.has_account:
        return redirect("referrals:self_referral_details")
    doctor = asker.doctor
    steps = asker.steps()
    answers = asker.load()
    problem = ""
    if request.method == "POST":
        token = parse_token(request.POST.get("token", answers["token"]))
        if token is None:
            problem = "Your request could not be sent. Your answers are kept: check them and send them again."
        else:
            done = access.requests_for_doctor(request.user).filter(submission_token=token).first()
            if done is None:
                if not _complete(answers, steps):
                    return redirect("referrals:self_referral_step", next(s for s in steps if s not in answers))
                signposted = bool(request.session.get(SIGNPOSTED_SESSION_KEY))
                done = services.submit_self_referral(
                    doctor, _service(answers, doctor), _to_referral(answers, signposted), token
                )
                drafts.discard(doctor)
                request.session.pop(SIGNPOSTED_SESSION_KEY, None)
            return redirect("referrals:self_referral_done", done.reference)
    if not _complete(answers, steps):
        return redirect("referrals:self_referral_step", next(s for s in steps if s not in answers))
    return render(
        request,
        "referrals/self/check_answers.jinja",
        {"rows": _summary_rows(answers, doctor), "token": answers["token"], "problem": problem},
        status=400 if problem else 200,
    )


def _service(answers: dict, doctor):
    choices = services.services_for(doctor)
    if "service" in answers:
        return next(s for s in choices if str(s.pk) == answers["service"]["service"])
    return choices[0]


def _to_referral(answers: dict, signposted: bool = False) -> services.SelfReferral:
    return services.SelfReferral(
        reasons=answers["reasons"]["reasons"],
        other_reason=answers["reasons"].get("other_reason", ""),
        account=answers["account"]["account"],
        contact_method=answers["contact"]["contact_method"],
        phone=answers["contact"].get("phone", ""),
        contact_times=answers["contact"].get("contact_times", ""),
        employer_may_be_told=answers["employer"]["employer_may_be_told"] == "yes",
        urgent=answers["urgency"]["urgent"] == "yes",
        urgency_details=answers["urgency"].get("urgency_details", ""),
        signposted=signposted,
    )


def done(request: HttpRequest, reference: str) -> HttpResponse:
    support_request = access.get_own_request(request.user, reference)
    return render(request, "referrals/self/done.jinja", {"support_request": support_request})
