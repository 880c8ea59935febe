"""Support plan pages. Thin: cases through casework.access, rules in services, display in presenters."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from supportpath.accounts.models import Role
from supportpath.casework import seams as casework_seams
from supportpath.casework.access import CASE_MANAGER_ONLY, case_for_page, get_own_case, staff_role_on_case
from supportpath.casework.relationships import CLOSED_FOR_DOCTOR, is_open
from supportpath.core.dates import long_date
from supportpath.core.form_fields import posted

from . import content as plan_content
from . import plan_sharing, services
from .forms import (
    GOALS_LIMIT,
    MILESTONES_LIMIT,
    SUPPORT_LIMIT,
    ChangesForm,
    DoctorAgreeForm,
    GoalFormSet,
    InterventionFormSet,
    MilestoneFormSet,
    PlanForm,
    initial_from_content,
    new_token,
    to_content,
)
from .models import Intervention, VersionStatus
from .pdf import render_plan
from .presenters import diff, doctor_status_labels, plan_view


def _pick(versions, number: str | None):
    if number and number.isdigit():
        for v in versions:
            if v.number == int(number):
                return v
        raise Http404("No such version")
    return versions[0] if versions else None


def _previous(versions, version, *, doctor: bool):
    """The version before ``version`` that the reader could have seen (for the doctor: not drafts)."""
    for v in versions:
        if v.number < version.number and (not doctor or v.shared_at):
            return v
    return None


def _view_with_dates_in_force(case, version):
    """The version as a page shows it; the agreed plan in force shows any new dates staff have set, with the
    planned ones as "was …". Earlier and later versions show their dates as written."""
    if version is None:
        return None
    if version.status != VersionStatus.AGREED:
        return plan_view(version.content)
    return plan_view(version.content, new_dates=casework_seams.plan_dates_in_force(case, version))


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, "Working on the support plan", what="Support plan")
    versions = services.versions(case)
    version = _pick(versions, request.GET.get("version"))
    previous = _previous(versions, version, doctor=False) if version else None
    return render(
        request,
        "plans/plan_detail.jinja",
        {
            "case": case,
            "versions": versions,
            "version": version,
            "is_latest": bool(version and version == versions[0]),
            "view": _view_with_dates_in_force(case, version),
            "changes": diff(previous.content, version.content) if previous else [],
            "previous": previous,
            "is_case_manager": staff_role_on_case(request.user, case) == Role.CASE_MANAGER,
            "case_open": is_open(case),  # a closed case offers nobody a form that writes into it
        },
    )


def edit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(
        request, pk, "Drafting the support plan", what="Support plan", only=CASE_MANAGER_ONLY, writes=True
    )
    catalogue = Intervention.objects.filter(service_id=case.request.service_id, active=True)
    latest = services.latest_version(case)
    conflict = None
    if request.method == "POST":
        plan_form = PlanForm(request.POST, audiences=plan_sharing.audiences_for(case))
        goals = GoalFormSet(request.POST, prefix="goals")
        interventions = InterventionFormSet(request.POST, prefix="interventions", form_kwargs={"catalogue": catalogue})
        milestones = MilestoneFormSet(request.POST, prefix="milestones")
        if all([plan_form.is_valid(), goals.is_valid(), interventions.is_valid(), milestones.is_valid()]):
            content = to_content(plan_form, goals, interventions, milestones)
            try:
                services.save_draft(
                    case,
                    by=request.user,
                    data=content,
                    based_on=plan_form.cleaned_data["edit_count"],
                    token=plan_form.cleaned_data["submission_token"],
                )
            except services.ConflictError as error:
                conflict = error.latest
                plan_form.add_error(
                    None,
                    "Someone else changed this plan while you were editing. Your changes are kept below and have "
                    "not been saved: compare them with the latest version, then save again.",
                )
                plan_form.data = plan_form.data.copy()
                plan_form.data["edit_count"] = str(services.edit_count(case))
            else:
                messages.success(request, "The plan is saved as a draft. The doctor cannot see it until you share it.")
                return redirect("plans:plan_detail", pk=case.pk)
    else:
        initial = initial_from_content(plan_sharing.content_for_editing(latest, plan_content.empty()))
        plan_form = PlanForm(
            initial={**initial["plan"], "edit_count": services.edit_count(case), "submission_token": new_token()},
            audiences=plan_sharing.audiences_for(case),
        )
        goals = GoalFormSet(initial=initial["goals"], prefix="goals")
        interventions = InterventionFormSet(
            initial=initial["interventions"], prefix="interventions", form_kwargs={"catalogue": catalogue}
        )
        milestones = MilestoneFormSet(initial=initial["milestones"], prefix="milestones")
    return render(
        request,
        "plans/edit_plan.jinja",
        {
            "case": case,
            "latest": latest,
            "plan_form": plan_form,
            "goals": goals,
            "interventions": interventions,
            "milestones": milestones,
            "forms_with_errors": [plan_form, *goals.forms, *interventions.forms, *milestones.forms],
            "formset_errors": [e for fs in (goals, interventions, milestones) for e in fs.non_form_errors()],
            "shared_now": plan_sharing.shared_now(case),
            "conflict": plan_view(conflict.content) if conflict else None,
            "limits": {"goals": GOALS_LIMIT, "support": SUPPORT_LIMIT, "milestones": MILESTONES_LIMIT},
            "conflict_version": conflict,
        },
    )


def share_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(
        request,
        pk,
        "Sharing the support plan with the doctor",
        what="Support plan",
        only=CASE_MANAGER_ONLY,
        writes=True,
    )
    latest = services.latest_version(case)
    error = None
    if request.method == "POST":
        try:
            services.share_with_doctor(case, by=request.user)
        except services.NotAllowed as refusal:
            error = str(refusal)
        else:
            messages.success(request, "The plan is shared. We have emailed the doctor to say it is ready to read.")
            return redirect("plans:plan_detail", pk=case.pk)
    return render(request, "plans/share_plan.jinja", {"case": case, "latest": latest, "error": error})


# The doctor's pages


def _doctor_versions(case):
    return [v for v in services.versions(case) if v.shared_at]


def my_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    versions = _doctor_versions(case)
    version = _pick(versions, request.GET.get("version"))
    previous = _previous(versions, version, doctor=True) if version else None
    latest_number = versions[0].number if versions else None
    waiting = bool(
        version and version.status == VersionStatus.SHARED and version.number == latest_number and is_open(case)
    )
    # The version the doctor can see that came next, so a comment on an earlier version can point to it.
    later = min((v for v in versions if version and v.number > version.number), key=lambda v: v.number, default=None)
    return render(
        request,
        "plans/my_plan.jinja",
        {
            "case": case,
            "versions": versions,
            "version": version,
            "view": _view_with_dates_in_force(case, version),
            "changes": diff(previous.content, version.content) if previous else [],
            "previous": previous,
            "waiting": waiting,
            "has_agreed": any(v.agreed_at for v in versions),
            "later": later,
            "status_labels": doctor_status_labels(versions),
            "would_add": plan_sharing.would_add(case, version.content) if waiting else [],
        },
    )


def _waiting_version(case):
    versions = _doctor_versions(case)
    if not versions or versions[0].status not in (
        VersionStatus.SHARED,
        VersionStatus.AGREED,
        VersionStatus.CHANGES_REQUESTED,
    ):
        raise Http404("No plan is waiting for the doctor")
    return versions[0]


def agree_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if not is_open(case):
        messages.info(request, CLOSED_FOR_DOCTOR)
        return redirect("pathway:my_case", pk=case.pk)
    version = _waiting_version(case)
    form = DoctorAgreeForm(posted(request), initial={"number": version.number})
    if request.method == "POST" and form.is_valid():
        try:
            services.agree(case, number=form.cleaned_data["number"])
        except services.NotAllowed as refusal:
            form.add_error(None, f"{refusal}. Read the latest version, then agree it if it is right for you.")
        else:
            messages.success(request, "Thank you. You have agreed your support plan.")
            return redirect("plans:my_plan", pk=case.pk)
    return render(
        request,
        "plans/agree_plan.jinja",
        {"case": case, "version": version, "form": form, "would_add": plan_sharing.would_add(case, version.content)},
    )


def ask_for_changes(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if not is_open(case):
        messages.info(request, CLOSED_FOR_DOCTOR)
        return redirect("pathway:my_case", pk=case.pk)
    version = _waiting_version(case)
    form = ChangesForm(posted(request), initial={"number": version.number})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_changes(case, number=form.cleaned_data["number"], comment=form.cleaned_data["comment"])
        except services.NotAllowed as refusal:
            form.add_error(None, f"{refusal}. Read the latest version first.")
        else:
            messages.success(
                request, "Thank you. Your case manager will read your comments and change the plan with you."
            )
            return redirect("plans:my_plan", pk=case.pk)
    return render(request, "plans/ask_for_changes.jinja", {"case": case, "version": version, "form": form})


def my_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    versions = [v for v in _doctor_versions(case) if v.agreed_at]
    version = _pick(versions, request.GET.get("version"))
    if version is None:
        raise Http404("No agreed plan yet")
    body = render_plan(
        doctor_name=request.user.full_name,
        reference=case.request.reference,
        number=version.number,
        agreed_on=long_date(version.agreed_at),
        view=plan_view(version.content),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="support-plan-version-{version.number}.pdf"'
    return response
