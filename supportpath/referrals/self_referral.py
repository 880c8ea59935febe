"""The self-referral journey: one question per page, check your answers, confirmation.

Answers are kept on the server for the signed-in doctor (``drafts``) until they are sent, so nothing typed is
lost between pages, nor when the doctor signs out or is signed out after a quiet spell.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from supportpath.accounts.roles import is_doctor

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


def _steps_for(doctor) -> list[str]:
    steps = ["reasons", "account", "contact", "employer", "urgency"]
    if len(services.services_for(doctor)) > 1:
        steps.append("service")
    return steps


# Set when a doctor arrives from a signpost's page (``?via=signpost``): their request's route is then
# "signposted". Only this flag is kept, in their own session; which signpost it was is never known.
SIGNPOSTED_SESSION_KEY = "self_referral_signposted"


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    if request.GET.get("via") == "signpost":
        request.session[SIGNPOSTED_SESSION_KEY] = True
    first = reverse("referrals:self_referral_step", args=["reasons"])
    doctor = is_doctor(request.user)
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
        },
    )


def _require_doctor(request: HttpRequest):
    if not is_doctor(request.user):
        return render(request, "referrals/self/doctors_only.jinja", status=403)
    return None


def step(request: HttpRequest, name: str) -> HttpResponse:
    refusal = _require_doctor(request)
    if refusal:
        return refusal
    doctor = request.user.doctor_profile
    steps = _steps_for(doctor)
    if name not in steps:
        raise Http404("No such question")
    form_class, template = STEPS[name]
    answers = drafts.load(doctor)
    kwargs = {"services": services.services_for(doctor)} if name == "service" else {}
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            answers[name] = form.cleaned_data
            drafts.save(doctor, answers)
            position = steps.index(name)
            if changing or position == len(steps) - 1 or all(s in answers for s in steps[position + 1 :]):
                return redirect("referrals:self_referral_check")
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
        back = reverse("referrals:self_referral_check")
    return render(
        request,
        template,
        {"form": form, "back": back, "changing": changing, "step_number": position + 1, "step_count": len(steps)},
    )


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


def check_answers(request: HttpRequest) -> HttpResponse:
    refusal = _require_doctor(request)
    if refusal:
        return refusal
    doctor = request.user.doctor_profile
    steps = _steps_for(doctor)
    answers = drafts.load(doctor)
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
