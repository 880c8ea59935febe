"""Reviews, milestones, reassessment, new dates and pauses, for staff and the doctor. Thin: access through
casework.access, rules in services."""

import contextlib
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from supportpath.casework import date_order
from supportpath.casework.access import CASE_MANAGER_ONLY, case_for_page, get_own_case
from supportpath.casework.models import Stage
from supportpath.casework.relationships import CLOSED_FOR_DOCTOR, is_open
from supportpath.core.form_fields import posted

from . import access, services, targets
from .forms import (
    CorrectReviewForm,
    MilestoneDoneForm,
    NewDateForm,
    PauseForm,
    ReassessmentForm,
    ReflectionForm,
    ResumeForm,
    ReviewForm,
)
from .models import Closure


def _posted(request: HttpRequest):
    return posted(request)


def record_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Reviewing progress against the plan", writes=True)
    version = services.agreed_version(case)
    if version is None:
        return render(request, "progress/no_review.jinja", {"case": case})
    form = ReviewForm(
        _posted(request),
        goals=version.content["goals"],
        initial={"submission_token": uuid.uuid4()},
        not_before=date_order.not_before("review", case),
    )
    if request.method == "POST" and form.is_valid():
        services.record_review(
            case,
            by=request.user,
            held_on=form.cleaned_data["held_on"],
            levels=form.levels(),
            notes=form.cleaned_data["notes"],
            token=form.cleaned_data["submission_token"],
        )
        messages.success(request, "The review is recorded. The doctor has been asked to add their reflection.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "progress/record_review.jinja", {"case": case, "form": form, "version": version})


def correct_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's author corrects it; the earlier version is kept and the case page shows what changed."""
    if not request.user.is_authenticated:
        raise Http404("No such review")
    review = access.get_own_review(request.user, pk)
    case = case_for_page(request, review.case_id, "Correcting a review", writes=True)
    initial = {f"goal_{index}": str(score["level"]) for index, score in enumerate(review.scores)}
    initial.update(held_on=review.held_on.strftime("%d/%m/%Y"), notes=review.notes)
    form = CorrectReviewForm(
        _posted(request),
        goals=review.plan_version.content["goals"],
        initial=initial,
        not_before=date_order.not_before("review", case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_review(
                review,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                levels=form.levels(),
                notes=form.cleaned_data["notes"],
            )
        except services.NotAllowed as refused:
            messages.warning(request, str(refused))
        else:
            messages.success(request, "The review is corrected. The earlier version is kept, with what changed.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "progress/correct_review.jinja", {"case": case, "review": review, "form": form})


@require_POST
def mark_milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Recording progress against the plan", writes=True)
    form = MilestoneDoneForm(request.POST)
    if form.is_valid():
        try:
            services.mark_milestone_done(
                case, form.cleaned_data["index"], by=request.user, done_on=timezone.localdate()
            )
            messages.success(request, "The milestone is marked as done.")
        except services.NotAllowed as refused:
            messages.warning(request, str(refused))
    return redirect("pathway:case_detail", pk=case.pk)


def record_reassessment(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Recording a reassessment", only=CASE_MANAGER_ONLY, writes=True)
    form = ReassessmentForm(_posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        services.record_reassessment(case, by=request.user, data=form.cleaned_data)
        messages.success(request, "The reassessment is recorded.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "progress/record_reassessment.jinja", {"case": case, "form": form})


def new_date(request: HttpRequest, pk: int) -> HttpResponse:
    """The case manager gives a target a new date, with a reason the doctor reads; the doctor is told at once."""
    case = case_for_page(
        request, pk, "Setting a new date for the doctor's support", only=CASE_MANAGER_ONLY, writes=True
    )
    progress = targets.load_one(case)
    open_targets = progress.open_targets()
    initial = {"submission_token": uuid.uuid4()}
    if request.GET.get("target") in {t.ref for t in open_targets}:
        initial["target"] = request.GET["target"]
    form = NewDateForm(_posted(request), targets=open_targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_new_date(
            case,
            by=request.user,
            target=form.cleaned_data["target_state"],
            new_due=form.cleaned_data["new_due"],
            reason=form.cleaned_data["reason"],
            token=form.cleaned_data["submission_token"],
        )
        messages.success(request, "The new date is saved. The doctor has been told, with your reason.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "progress/new_date.jinja", {"case": case, "form": form, "has_targets": bool(open_targets)})


def pause_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause support (sick leave, exams) or start it again. The case manager only."""
    case = case_for_page(request, pk, "Pausing or resuming support", only=CASE_MANAGER_ONLY, writes=True)
    if case.stage == Stage.CLOSED or Closure.objects.filter(case=case).exists():
        messages.error(request, "This case is closed, so it cannot be paused.")
        return redirect("pathway:case_detail", pk=case.pk)
    pause = targets.load_one(case).pause
    action = request.POST.get("action") if request.method == "POST" else None
    today = timezone.localdate().strftime("%d/%m/%Y")
    pause_form = PauseForm(
        request.POST if action == "pause" else None,
        opened_on=timezone.localdate(case.opened_at),
        initial={"started_on": today, "token": uuid.uuid4()},
    )
    resume_form = (
        ResumeForm(
            request.POST if action == "resume" else None, started_on=pause.started_on, initial={"ended_on": today}
        )
        if pause
        else None
    )
    if action == "pause" and pause is None and pause_form.is_valid():
        data = pause_form.cleaned_data
        # Paused a moment ago by someone else (AlreadyPaused): the case page says so.
        with contextlib.suppress(services.AlreadyPaused):
            services.pause_case(
                case,
                by=request.user,
                reason=data["reason"],
                started_on=data["started_on"],
                explanation=data["explanation"],
                token=data["token"] or uuid.uuid4(),
            )
        messages.success(request, "Support is paused. Its targets wait, and the doctor has been told why.")
        return redirect("pathway:case_detail", pk=case.pk)
    if action == "resume" and resume_form is not None and resume_form.is_valid():
        services.resume_case(case, by=request.user, ended_on=resume_form.cleaned_data["ended_on"])
        messages.success(request, "Support has started again. Its dates still to come have moved on.")
        return redirect("pathway:case_detail", pk=case.pk)
    if request.method == "POST" and action not in ("pause", "resume"):
        return redirect("progress:pause_case", pk=case.pk)
    return render(
        request,
        "progress/pause_case.jinja",
        {
            "case": case,
            "pause": pause,
            "form": resume_form if pause else pause_form,
            "page_has_errors": (resume_form.errors if pause else pause_form.errors),
        },
    )


# The doctor


def reflect_on_review(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if not is_open(case):
        messages.info(request, CLOSED_FOR_DOCTOR)
        return redirect("pathway:my_case", pk=case.pk)
    review = case.reviews.filter(pk=review_pk).first()
    if review is None:
        raise Http404("No such review")
    form = ReflectionForm(_posted(request), initial={"reflection": review.doctor_reflection})
    if request.method == "POST" and form.is_valid():
        services.add_reflection(review, form.cleaned_data["reflection"])
        messages.success(request, "Thank you. Your reflection is saved with the review.")
        return redirect("pathway:my_case", pk=case.pk)
    return render(request, "progress/reflect.jinja", {"case": case, "review": review, "form": form})
