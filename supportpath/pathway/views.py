"""Case pages for staff and the doctor. Thin: access through casework.access, rules in services."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from supportpath.accounts.models import Role
from supportpath.appointments import presenters as appointment_presenters
from supportpath.casework import date_order
from supportpath.casework import seams as casework_seams
from supportpath.casework.access import (
    CASE_MANAGER_ONLY,
    FACILITATOR_ONLY,
    case_for_page,
    get_own_case,
    staff_role_on_case,
)
from supportpath.casework.relationships import CLOSED_FOR_DOCTOR, is_facilitating, is_open
from supportpath.core.form_fields import posted
from supportpath.core.pagination import paginate_short
from supportpath.referrals import presenters as referral_presenters

from . import access, services
from .forms import (
    AnotherTimeForm,
    ArrangeConversationForm,
    CorrectSessionForm,
    DoctorCommentForm,
    NeedsAssessmentForm,
    SessionForm,
    new_token,
)
from .models import InitialConversation, NeedsAssessment
from .presenters import (
    assessment_corrections,
    assessment_rows,
    earlier_versions_of,
    private_notes_of,
    session_view,
    sessions_held_words,
)

SESSIONS_SHOWN = 10  # sessions on the case page at a time, newest first
CASE_PAGE_RECORDS = ("initial_conversation", "closure", "needs_assessment", "exit_feedback")


def _assessment(case) -> NeedsAssessment | None:
    try:
        return case.needs_assessment
    except NeedsAssessment.DoesNotExist:
        return None


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The records the case has one of that its progress shows, read with the case (and checked and logged as it
    # is) rather than again in a query of their own by case_progress (progress.targets.ONE_A_CASE, the journey's
    # exit feedback).
    case = case_for_page(request, pk, "Managing the case", along=CASE_PAGE_RECORDS)
    role = staff_role_on_case(request.user, case)
    progress = casework_seams.case_progress(case)
    assessment = _assessment(case)  # read with the case
    # The newest sessions a page at a time, and nobody's private notes but the viewer's own, fetched for the
    # page's sessions: a long case no longer decrypts every session it has (issue "national scale").
    sessions = case.sessions.select_related("facilitator").defer("private_notes")
    page, page_links = paginate_short(request, sessions, SESSIONS_SHOWN)  # a short case's needs no count
    shown = list(page.object_list)
    earlier = earlier_versions_of(shown)
    notes = private_notes_of(case, shown, request.user)
    facilitating = is_facilitating(request.user, case)
    return render(
        request,
        "pathway/case_detail.jinja",
        {
            "case": case,
            "support_request": case.request,
            "comments": referral_presenters.doctor_comments(case.request) if case.request.is_referral else [],
            "role": role,
            "is_case_manager": role == Role.CASE_MANAGER,
            "is_facilitator": facilitating,
            "case_open": is_open(case),  # a closed case offers nobody a form that writes into it
            "conversation": progress["conversation"],  # read once, with the targets
            "assessment": assessment,
            "assessment_rows": assessment_rows(assessment, for_doctor=False) if assessment else [],
            "assessment_corrections": assessment_corrections(assessment) if assessment else [],
            "sessions": [
                session_view(
                    s,
                    request.user,
                    may_correct=facilitating,
                    with_corrections=True,
                    private_notes=notes.get(s.pk),
                    earlier_versions=earlier[s.pk],
                )
                for s in shown
            ],
            "sessions_total": page.paginator.count,
            "session_page_links": page_links,
            "appointments": appointment_presenters.for_case(case),
            **progress,
            "review_corrections": casework_seams.review_corrections(progress["reviews"]),
        },
    )


def arrange_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Arranging the initial conversation", only=CASE_MANAGER_ONLY, writes=True)
    form = ArrangeConversationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.arrange_conversation(
            case,
            by=request.user,
            scheduled_for=data["scheduled_for"],
            mode=data["mode"],
            minutes=data["minutes"],
            join_url=data["join_url"],
            place=data["place"],
        )
        messages.success(request, "The conversation is arranged and the doctor has been told.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "pathway/arrange_conversation.jinja", {"case": case, "form": form})


def needs_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Recording the needs assessment", only=CASE_MANAGER_ONLY, writes=True)
    current = NeedsAssessment.objects.filter(case=case).first()
    not_before = services.conversation_not_before(case)
    if request.method == "POST":
        form = NeedsAssessmentForm(request.POST, not_before=not_before)
        if form.is_valid():
            try:
                services.save_needs_assessment(
                    case,
                    by=request.user,
                    data=form.cleaned_data,
                    based_on_version=form.cleaned_data["version"],
                    token=form.cleaned_data["submission_token"],
                )
            except services.ConflictError:
                form.add_error(
                    None,
                    "Someone else changed this needs assessment while you were editing it. Your changes are "
                    "below and have not been saved: compare them with the latest version, then save again.",
                )
                current = NeedsAssessment.objects.filter(case=case).first()
                form.data = form.data.copy()
                form.data["version"] = str(current.version if current else "")
            else:
                messages.success(request, "The needs assessment is saved. The doctor can now read it.")
                return redirect("pathway:case_detail", pk=case.pk)
    else:
        initial = {"mandated": "yes" if case.request.mandated else "no", "presenting_issues": case.request.reason_codes}
        if current:
            initial = {name: getattr(current, name) for name in services.ASSESSMENT_FIELDS}
            initial["mandated"] = "yes" if current.mandated else "no"
            initial["version"] = current.version
        if current:
            initial["conversation_held_on"] = current.conversation_held_on.strftime("%d/%m/%Y")
        form = NeedsAssessmentForm(initial={**initial, "submission_token": new_token()}, not_before=not_before)
    latest_rows = assessment_rows(current, for_doctor=False) if current and form.non_field_errors() else []
    return render(request, "pathway/needs_assessment.jinja", {"case": case, "form": form, "latest_rows": latest_rows})


def record_session(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Recording a support session", only=FACILITATOR_ONLY, writes=True)
    form = SessionForm(
        posted(request),
        initial={"submission_token": new_token()},
        not_before=date_order.not_before("session", case),
    )
    if request.method == "POST" and form.is_valid():
        services.record_session(case, facilitator=request.user, data=form.cleaned_data)
        messages.success(request, "The session is recorded. The doctor can read the summary and actions.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "pathway/record_session.jinja", {"case": case, "form": form})


# The doctor's own pages


def my_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    progress = casework_seams.case_progress(case)
    assessment = _assessment(case)  # read with the targets, by case_progress
    sessions = [session_view(s, request.user) for s in case.sessions.select_related("facilitator")]
    return render(
        request,
        "pathway/my_case.jinja",
        {
            "case": case,
            "conversation": progress["conversation"],  # read once, with the targets
            "assessment": assessment,
            "assessment_rows": assessment_rows(assessment, for_doctor=True) if assessment else [],
            "sessions": sessions,
            "sessions_held": sessions_held_words(sessions) if sessions else "",
            **progress,
            "timeline": casework_seams.case_timeline(case, progress),
        },
    )


def ask_for_another_time(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    conversation = InitialConversation.objects.filter(case=case).first()
    if conversation is None:
        raise Http404("No conversation has been arranged yet")
    refusal = services.another_time_refusal(case)  # the journey's rule (journey.journeys)
    if refusal:
        messages.info(request, refusal)
        return redirect("pathway:my_case", pk=case.pk)
    form = AnotherTimeForm(posted(request), initial={"submission_token": new_token()})
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_for_another_time(
                conversation,
                suggested_times=form.cleaned_data["suggested_times"],
                token=form.cleaned_data["submission_token"],
            )
        except services.NotAllowed as refusal:
            messages.info(request, str(refusal))
            return redirect("pathway:my_case", pk=case.pk)
        messages.success(request, "Thank you. Your case manager will get in touch to arrange another time.")
        return redirect("pathway:my_case", pk=case.pk)
    return render(request, "pathway/another_time.jinja", {"case": case, "form": form, "conversation": conversation})


def _closed_for_doctor(request: HttpRequest, case) -> HttpResponse:
    messages.info(request, CLOSED_FOR_DOCTOR)
    return redirect("pathway:my_case", pk=case.pk)


def comment_on_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if not is_open(case):
        return _closed_for_doctor(request, case)
    assessment = _assessment(case)
    if assessment is None:
        raise Http404("No needs assessment yet")
    form = DoctorCommentForm(posted(request), initial={"comment": assessment.doctor_comment})
    if request.method == "POST" and form.is_valid():
        services.add_doctor_comment(assessment, form.cleaned_data["comment"])
        messages.success(request, "Your comment is saved. The people supporting you will read it.")
        return redirect("pathway:my_case", pk=case.pk)
    return render(request, "pathway/comment.jinja", {"case": case, "form": form})


# A facilitator's own notes, theirs while they remain a facilitator of the service


def own_private_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """The private notes this person wrote on a case, read-only: still theirs after the doctor changes
    facilitator or the case closes, though nothing else of the case is."""
    case, sessions = access.get_own_private_notes(request.user, pk)
    return render(
        request,
        "pathway/own_private_notes.jinja",
        {
            "reference": case.request.reference,
            "still_facilitating": is_facilitating(request.user, case),
            "case_pk": case.pk,
            "sessions": sessions,
        },
    )


def correct_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's author corrects it; the earlier version is kept and the case page shows what changed."""
    session = access.get_own_session(request.user, pk)
    case = case_for_page(request, session.case_id, "Correcting a support session", only=FACILITATOR_ONLY, writes=True)
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    initial["held_on"] = session.held_on.strftime("%d/%m/%Y")
    form = CorrectSessionForm(posted(request), initial=initial, not_before=date_order.not_before("session", case))
    if request.method == "POST" and form.is_valid():
        services.correct_session(session, by=request.user, data=form.cleaned_data)
        messages.success(request, "The session is corrected. The earlier version is kept, with what changed.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(request, "pathway/correct_session.jinja", {"case": case, "session": session, "form": form})
