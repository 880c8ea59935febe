"""Pages for organisation leads (the pulse, the self-assessment, the action plan, the board summary), the
anonymous pulse pages anyone with a link may answer, and signposts."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supportpath.accounts.http import AuthenticatedRequest
from supportpath.accounts.models import Organisation
from supportpath.core.form_fields import posted
from supportpath.guide.content import PRINCIPLE_BY_NUMBER, STATEMENT_BY_KEY, STATEMENTS, statements_by_stage

from . import pdf, presenters, services
from .forms import (
    ActionForm,
    AnswerForm,
    InvitationForm,
    OwnItemForm,
    ProgressForm,
    RatingForm,
    SignpostForm,
    WaveForm,
)
from .models import Rating, Wave

SHARED_COOKIE_AGE = 60 * 60 * 24 * 365


def _lead(request: AuthenticatedRequest, pk: int) -> Organisation:
    return services.get_lead_organisation_for(request.user, pk)


def home(request: AuthenticatedRequest) -> HttpResponse:
    organisations = services.lead_organisations(request.user)
    if not organisations:
        return render(request, "culture/leads_only.jinja", status=403)
    if len(organisations) == 1:
        return redirect("culture:organisation", organisations[0].pk)
    return render(request, "culture/home.jinja", {"organisations": organisations})


def organisation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    waves = presenters.wave_rows(org)
    return render(
        request,
        "culture/organisation.jinja",
        {"organisation": org, "waves": waves, "own_items": list(org.pulse_items.filter(active=True))},
    )


def wave_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    form = WaveForm(posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        wave = services.open_wave(
            org,
            by=request.user,
            title=form.cleaned_data["title"],
            staff_groups=form.groups(),
            shared_link_cap=form.cleaned_data["shared_link_cap"],
            submission_token=form.cleaned_data["submission_token"],
        )
        messages.success(request, f"{wave.title} is open. Send the invitations next.")
        return redirect("culture:wave", wave.pk)
    return render(
        request,
        "culture/wave_new.jinja",
        {"organisation": org, "form": form, "standard_items": services.STANDARD_ITEMS},
    )


def own_items(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    form = OwnItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_own_item(org, form.cleaned_data["text"])
        messages.success(request, "Your statement is added. It is asked in waves opened from now on.")
        return redirect("culture:own_items", org.pk)
    return render(
        request,
        "culture/own_items.jinja",
        {"organisation": org, "form": form, "items": list(org.pulse_items.filter(active=True))},
    )


def wave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = services.get_wave_for(request.user, pk)
    outcome = services.results(found)
    shared = ""
    if found.shared_link_cap:
        shared = settings.SITE_URL + reverse("culture:pulse_shared", args=[services.shared_token(found)])
    return render(
        request,
        "culture/wave.jinja",
        {
            "wave": found,
            "results": outcome,
            "shared_link": shared,
            "links_used": found.links.filter(used=True).count(),
            "not_validated": services.NOT_VALIDATED,
            "min_people": services.MIN_PEOPLE,
        },
    )


def wave_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = services.get_wave_for(request.user, pk)
    if found.status != Wave.Status.OPEN:
        raise Http404("This wave is closed")
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        sent = services.send_invitations(found, form.cleaned_data["addresses"], site_url=settings.SITE_URL)
        messages.success(request, f"{sent} invitations are being sent. The list of addresses has not been kept.")
        return redirect("culture:wave", found.pk)
    return render(request, "culture/wave_invite.jinja", {"wave": found, "form": form})


@require_POST
def wave_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = services.get_wave_for(request.user, pk)
    services.close_wave(found)
    messages.success(request, f"{found.title} is closed: its links no longer take answers.")
    return redirect("culture:wave", found.pk)


# --- answering the pulse (no sign-in; nothing about the person is kept) --------------------------------------


def _answer_page(request: HttpRequest, wave: Wave, form: Form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "culture/pulse_answer.jinja",
        {"wave": wave, "form": form, "not_validated": services.NOT_VALIDATED},
        status=status,
    )


@login_not_required
def pulse_answer(request: HttpRequest, token: str) -> HttpResponse:
    found, unused = services.wave_for_link(token)
    if found is None:
        return render(request, "culture/pulse_link_not_valid.jinja", status=404)
    if not unused or found.status != Wave.Status.OPEN:
        return render(request, "culture/pulse_link_used.jinja", {"wave": found}, status=410)
    form = AnswerForm(posted(request), items=found.items.all(), staff_groups=found.staff_groups)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_by_link(token, form.answers(), form.cleaned_data.get("staff_group", ""))
            except services.LinkUsed:
                return render(request, "culture/pulse_link_used.jinja", {"wave": found}, status=410)
            return redirect("culture:pulse_thanks")
        return _answer_page(request, found, form, status=400)
    return _answer_page(request, found, form)


@login_not_required
def pulse_shared(request: HttpRequest, token: str) -> HttpResponse:
    found = services.wave_for_shared_token(token)
    if found is None:
        return render(request, "culture/pulse_link_not_valid.jinja", status=404)
    cookie = services.SHARED_COOKIE.format(found.pk)
    answered = request.get_signed_cookie(cookie, default="", salt="culture.pulse") == "answered"
    full = found.shared_answers >= found.shared_link_cap
    if answered or full or found.status != Wave.Status.OPEN:
        return render(
            request,
            "culture/pulse_shared_closed.jinja",
            {"wave": found, "answered": answered, "full": full},
            status=410,
        )
    form = AnswerForm(posted(request), items=found.items.all(), staff_groups=found.staff_groups)
    if request.method == "POST":
        if form.is_valid():
            if not services.answer_by_shared_link(found, form.answers(), form.cleaned_data.get("staff_group", "")):
                return render(request, "culture/pulse_shared_closed.jinja", {"wave": found, "full": True}, status=410)
            response = redirect("culture:pulse_thanks")
            response.set_signed_cookie(
                cookie,
                "answered",
                salt="culture.pulse",
                max_age=SHARED_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
        return _answer_page(request, found, form, status=400)
    return _answer_page(request, found, form)


@login_not_required
def pulse_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "culture/pulse_thanks.jinja")


# --- the self-assessment and the action plan ------------------------------------------------------------------


def assessment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    ratings = services.current_ratings(org)
    return render(
        request,
        "culture/assessment.jinja",
        {"organisation": org, "stages": statements_by_stage(), "ratings": ratings, "principles": PRINCIPLE_BY_NUMBER},
    )


def rate(request: AuthenticatedRequest, pk: int, key: str) -> HttpResponse:
    org = _lead(request, pk)
    statement = STATEMENT_BY_KEY.get(key)
    if statement is None:
        raise Http404("No such statement")
    current = services.current_ratings(org).get(key)
    initial = {"level": current.level, "evidence": current.evidence} if current else None
    form = RatingForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.rate(org, key, form.cleaned_data["level"], form.cleaned_data["evidence"], by=request.user)
        messages.success(request, "Your rating is saved.")
        return redirect(reverse("culture:assessment", args=[org.pk]) + f"#{key}")
    return render(
        request,
        "culture/rate.jinja",
        {"organisation": org, "statement": statement, "form": form, "current": current},
    )


def ratings_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    return render(
        request,
        "culture/history.jinja",
        {"organisation": org, "ratings": services.history(org), "statements": STATEMENT_BY_KEY},
    )


def action_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    return render(
        request,
        "culture/action_plan.jinja",
        {"organisation": org, "gaps": services.gaps(org), "actions": presenters.action_rows(org)},
    )


def action_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    gap_keys = [statement.key for statement, _rating, _actions in services.gaps(org)] or [s.key for s in STATEMENTS]
    chosen = request.GET.get("statement")
    initial = {"submission_token": uuid.uuid4(), "statement": chosen if chosen in gap_keys else None}
    form = ActionForm(posted(request), initial=initial, statements=gap_keys)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_action(
            org,
            statement=data["statement"],
            description=data["description"],
            owner_name=data["owner_name"],
            owner_email=data["owner_email"],
            due_on=data["due_on"],
            by=request.user,
            submission_token=data["submission_token"],
        )
        messages.success(request, "The action is added to your plan.")
        return redirect("culture:action_plan", org.pk)
    return render(request, "culture/action_new.jinja", {"organisation": org, "form": form})


def action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = services.get_action_for(request.user, pk)
    initial = {"progress": found.progress, "progress_note": found.progress_note, "due_on": found.due_on}
    form = ProgressForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_action(found, **form.cleaned_data)
        messages.success(request, "Progress is saved.")
        return redirect("culture:action_plan", found.organisation_id)
    return render(
        request,
        "culture/action.jinja",
        {"action": found, "form": form, "statement": STATEMENT_BY_KEY.get(found.statement)},
    )


def summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    return render(
        request,
        "culture/summary.jinja",
        {"summary": services.summary(org), "levels": Rating.Level, "not_validated": services.NOT_VALIDATED},
    )


def summary_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = _lead(request, pk)
    body = pdf.render_summary(services.summary(org))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="culture-and-guide-summary.pdf"'
    return response


# --- signposts --------------------------------------------------------------------------------------------------


def signposts(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "culture/signposts.jinja", {"signposts": list(request.user.signposts.all())})


def signpost_new(request: AuthenticatedRequest) -> HttpResponse:
    form = SignpostForm(posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        made = services.make_signpost(
            request.user, form.cleaned_data["given_as"], form.cleaned_data["submission_token"]
        )
        return redirect("culture:signpost", made.pk)
    return render(request, "culture/signpost_new.jinja", {"form": form})


def signpost(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = services.get_signpost_for(request.user, pk)
    link = settings.SITE_URL + reverse("culture:signpost_landing", args=[found.token])
    return render(
        request, "culture/signpost.jinja", {"signpost": found, "link": link, "qr_svg": presenters.qr_svg(link)}
    )


@login_not_required
def signpost_landing(request: HttpRequest, token: str) -> HttpResponse:
    found = services.signpost_for_token(token)
    if found is None:
        return render(request, "culture/signpost_not_valid.jinja", status=404)
    # Nothing is recorded about this visit: the signposter is never told it was opened.
    ask = reverse("referrals:self_referral_start") + "?via=signpost"
    return render(request, "culture/signpost_landing.jinja", {"signpost": found, "ask_url": ask})
