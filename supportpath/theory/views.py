"""Pages for the service's evaluators and its admin: the registry, a CMOC and its history, adding, refining,
retiring and judging, the realist report, the overview (and its PDF), and research exports."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supportpath.accounts.http import AuthenticatedRequest
from supportpath.accounts.models import Organisation
from supportpath.core.form_fields import posted

from . import export, facts, pdf, presenters, registry, stats
from .access import get_cmoc_for, get_export_for, theory_service
from .forms import CmocForm, ExportForm, JudgementForm, RefineForm, RetireForm
from .models import Cmoc, ResearchExport, Status


def _context(service: Organisation, **more: Any) -> dict[str, Any]:
    return {"service": service, "rule": stats.RULE, "caveat": stats.CAVEAT, **more}


def registry_page(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    cmocs = list(Cmoc.objects.filter(service=service))
    return render(
        request,
        "theory/registry.jinja",
        _context(
            service,
            groups=presenters.by_group(cmocs),
            held=len(cmocs),
            colours=presenters.STATUS_COLOURS,
        ),
    )


@require_POST
def ship(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    added = registry.ship_paper(service, by=request.user)
    if added:
        messages.success(request, f"{added} CMOCs from the paper added to the theory.")
    else:
        messages.info(request, "The theory already holds every CMOC the paper cites.")
    return redirect("theory:registry")


def add(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    form = CmocForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cmoc = registry.add(service, by=request.user, why=form.cleaned_data["why"], **form.values())
        except registry.RegistryError as error:
            form.add_error("reference", str(error))
        else:
            messages.success(request, f"CMOC {cmoc.reference} added.")
            return redirect("theory:cmoc", cmoc.pk)
    return render(request, "theory/edit.jinja", _context(service, form=form, cmoc=None))


def cmoc(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_cmoc_for(request.user, pk)
    versions = list(item.versions.all())
    return render(
        request,
        "theory/cmoc.jinja",
        _context(
            item.service,
            cmoc=item,
            versions=versions,
            indicators=presenters.indicator_rows(item),
            colours=presenters.STATUS_COLOURS,
            shown=presenters.display_change,
        ),
    )


def refine(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_cmoc_for(request.user, pk)
    form = RefineForm(posted(request), initial={**CmocForm.initial_from(item), "status": item.status})
    if request.method == "POST" and form.is_valid():
        try:
            version = registry.change(
                item,
                by=request.user,
                why=form.cleaned_data["why"],
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except registry.RegistryError as error:
            form.add_error(None, str(error))
            # What they typed stays; sent again, it is made from the version they have now been shown.
            data = request.POST.copy()
            data["version"] = str(Cmoc.objects.values_list("version", flat=True).get(pk=item.pk))
            form.data = data
        else:
            if version is None:
                messages.info(request, "Nothing changed, so no new version was made.")
            else:
                messages.success(request, f"CMOC {item.reference} is now at version {version.number}.")
            return redirect("theory:cmoc", item.pk)
    return render(request, "theory/edit.jinja", _context(item.service, form=form, cmoc=item))


def retire(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_cmoc_for(request.user, pk)
    form = RetireForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            registry.retire(item, by=request.user, why=form.cleaned_data["why"])
        except registry.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"CMOC {item.reference} retired. Its history is kept.")
            return redirect("theory:cmoc", item.pk)
    return render(request, "theory/retire.jinja", _context(item.service, form=form, cmoc=item))


def judge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_cmoc_for(request.user, pk)
    made = presenters.service_report(item.service, [item]).get(item.pk)
    form = JudgementForm(posted(request), initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            registry.judge(
                item,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                reading=made.reading if made else "not linked",
                expected_version=form.cleaned_data["version"],
            )
        except registry.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your judgement on CMOC {item.reference} is recorded as a new version.")
            return redirect("theory:cmoc", item.pk)
    return render(
        request,
        "theory/judge.jinja",
        _context(item.service, form=form, cmoc=item, made=made, colours=presenters.READING_COLOURS),
    )


def report_page(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    cmocs = list(Cmoc.objects.filter(service=service).exclude(status=Status.RETIRED))
    reports = presenters.service_report(service, cmocs)
    ordered = [reports[c.pk] for g in presenters.by_group(cmocs) for c in g.cmocs if c.pk in reports]
    return render(
        request,
        "theory/report.jinja",
        _context(service, reports=ordered, unlinked=len(cmocs) - len(ordered), colours=presenters.READING_COLOURS),
    )


def _overview(service: Organisation) -> tuple[list[presenters.Group], dict[int, presenters.report.CmocReport]]:
    cmocs = list(Cmoc.objects.filter(service=service).exclude(status=Status.RETIRED))
    return presenters.by_group(cmocs), presenters.service_report(service, cmocs)


def overview(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    groups, reports = _overview(service)
    return render(
        request,
        "theory/overview.jinja",
        _context(
            service,
            groups=groups,
            reports=reports,
            colours=presenters.STATUS_COLOURS,
            reading_colours=presenters.READING_COLOURS,
        ),
    )


def overview_pdf(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    groups, reports = _overview(service)
    response = HttpResponse(pdf.render_overview(service.name, groups, reports), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="programme-theory.pdf"'
    return response


def exports(request: AuthenticatedRequest) -> HttpResponse:
    service, _ = theory_service(request.user)
    made = list(ResearchExport.objects.filter(service=service).defer("package"))
    return render(request, "theory/exports.jinja", _context(service, exports=made))


def export_new(request: AuthenticatedRequest) -> HttpResponse:
    service, role = theory_service(request.user)
    form = ExportForm(posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        made = export.make_export(
            service,
            facts.rows_for(service),
            by=request.user,
            role=role,
            purpose=form.cleaned_data["purpose"],
            approval_reference=form.cleaned_data["approval_reference"],
            submission_token=form.cleaned_data["submission_token"],
        )
        messages.success(request, "The export is ready to download.")
        return redirect("theory:export", made.pk)
    return render(request, "theory/export_new.jinja", _context(service, form=form))


def export_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    made = get_export_for(request.user, pk)
    return render(request, "theory/export.jinja", _context(made.service, export=made))


def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    made = get_export_for(request.user, pk)
    body = ResearchExport.objects.values_list("package", flat=True).get(pk=made.pk)
    response = HttpResponse(bytes(body), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="research-export-{made.at:%Y-%m-%d}-{made.pk}.zip"'
    return response
