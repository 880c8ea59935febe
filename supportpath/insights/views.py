"""The insights pages: thin, every figure from ``reports`` (through the disclosure rule)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from supportpath.accounts.http import AuthenticatedRequest
from supportpath.accounts.models import Organisation
from supportpath.core.form_fields import posted

from . import access, board, capacity, equity, reports, workforce
from .forms import CapacityForm, QuarterForm, ReportForm, WorkforceForm
from .selection import Selection, default_period


def _choices(request: AuthenticatedRequest) -> tuple[Organisation, ReportForm, Selection | None, str]:
    """(service, form, selection or None, refusal): the report's choices, from the query string."""
    service = access.service_for(request.user, request.GET.get("service"))
    today = timezone.localdate()
    organisations = list(access.served_organisations(service))
    if {"start", "end"} & set(request.GET):
        form = ReportForm(request.GET, today=today, organisations=organisations)
    else:
        start, end = default_period(today)
        form = ReportForm(
            {"start": start.strftime("%Y-%m"), "end": end.strftime("%Y-%m"), "organisation": ""},
            today=today,
            organisations=organisations,
        )
    if not form.is_valid():
        return service, form, None, ""
    data = form.cleaned_data
    selection = Selection(service, data["start"], data["end"], data["organisation"])
    return service, form, selection, selection.refusal()


def service_report(request: AuthenticatedRequest) -> HttpResponse:
    service, form, selection, refusal = _choices(request)
    tables = reports.service_report(selection) if selection and not refusal else []
    return render(
        request,
        "insights/service.jinja",
        {
            "service": service,
            "services": access.services_for(request.user),
            "form": form,
            "selection": selection,
            "refusal": refusal,
            "tables": tables,
            "query": request.GET.urlencode(),
        },
    )


def write_tables(tables: list[reports.Table], heading: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(heading)
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        if not table.shown:
            writer.writerow([table.empty])
            continue
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        for note in table.notes:
            writer.writerow([note])
    return out.getvalue()


def service_report_csv(request: AuthenticatedRequest) -> HttpResponse:
    service, form, selection, refusal = _choices(request)
    if selection is None:
        body = "Not shown: the choices were not valid. Choose them again on the report page.\n"
    elif refusal:
        body = f"Not shown: {refusal}\n"
    else:
        body = write_tables(
            reports.service_report(selection),
            [
                f"How the service is doing: {service.name}, {selection.period_text}"
                + (f", {selection.organisation.name}" if selection.organisation else "")
            ],
        )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="how-the-service-is-doing.csv"'
    return response


def _board_choices(request: AuthenticatedRequest) -> tuple[Organisation, QuarterForm, Selection | None, str]:
    service = access.service_for(request.user, request.GET.get("service"))
    options = board.quarters(timezone.localdate())
    data = request.GET if "quarter" in request.GET else {"quarter": options[0][0].strftime("%Y-%m")}
    form = QuarterForm(data, quarters=options)
    if not form.is_valid():
        return service, form, None, ""
    start, end = form.cleaned_data["quarter"]
    selection = Selection(service, start, end)
    return service, form, selection, selection.refusal()


def _board_context(request: AuthenticatedRequest) -> dict[str, Any]:
    service, form, selection, refusal = _board_choices(request)
    tables: list[reports.Table] = []
    flags: list[equity.Flag] = []
    if selection and not refusal:
        tables = reports.service_report(selection)
        equity_tables, flags, files = equity.equity_report(selection)
        if files:
            tables.append(equity.organisations_table(selection))
            tables += [t for t in equity_tables if t.key == "equity-qualification_region"]
        today = timezone.localdate()
        tables.append(capacity.forecast_table(capacity.inputs(Selection(service, today, today), today)))
    return {
        "service": service,
        "services": access.services_for(request.user),
        "form": form,
        "selection": selection,
        "refusal": refusal,
        "tables": tables,
        "flags": flags,
        "query": request.GET.urlencode(),
        "made_on": timezone.localdate(),
    }


def board_report(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "insights/board.jinja", _board_context(request))


def board_report_pdf(request: AuthenticatedRequest) -> HttpResponse:
    context = _board_context(request)
    if context["selection"] is None:
        return render(request, "insights/board.jinja", context, status=400)
    response = HttpResponse(board.pdf(context), content_type="application/pdf")
    quarter = context["selection"].start.strftime("%Y-%m")
    response["Content-Disposition"] = f'attachment; filename="board-report-{quarter}.pdf"'
    return response


def equity_report(request: AuthenticatedRequest) -> HttpResponse:
    service, form, selection, refusal = _choices(request)
    tables, flags, files = equity.equity_report(selection) if selection and not refusal else ([], [], [])
    organisations = equity.organisations_table(selection) if selection and not refusal else None
    return render(
        request,
        "insights/equity.jinja",
        {
            "service": service,
            "services": access.services_for(request.user),
            "form": form,
            "selection": selection,
            "refusal": refusal,
            "tables": tables,
            "flags": flags,
            "files": files,
            "organisations_table": organisations,
            "is_admin": access.is_admin_of(request.user, service),
        },
    )


def _admin_service(request: AuthenticatedRequest) -> Organisation:
    service = access.service_for(request.user, request.GET.get("service") or request.POST.get("service"))
    if not access.is_admin_of(request.user, service):
        raise PermissionDenied
    return service


def workforce_files(request: AuthenticatedRequest) -> HttpResponse:
    service = _admin_service(request)
    organisations = list(access.served_organisations(service))
    form = WorkforceForm(
        posted(request), request.FILES if request.method == "POST" else None, organisations=organisations
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = workforce.load(
            service=service,
            organisation=form.cleaned_data["organisation"],
            data=form.cleaned_data["file"].read(),
            by=request.user,
        )
        if isinstance(result, workforce.Parsed):
            problems = result.problems
        else:
            messages.success(
                request, f"Loaded the workforce of {result.organisation.name}: {result.doctors:,} doctors."
            )
            return redirect(f"{request.path}?service={service.pk}")
    return render(
        request,
        "insights/workforce.jinja",
        {
            "service": service,
            "services": access.services_for(request.user),
            "form": form,
            "problems": problems,
            "files": {f.organisation_id: f for f in workforce.latest_files(service)},
            "organisations": organisations,
            "codes": workforce.codes_text(),
            "page_has_errors": bool(form.errors or problems),
        },
    )


def workforce_template(request: AuthenticatedRequest) -> HttpResponse:
    _admin_service(request)
    response = HttpResponse(workforce.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="workforce-template.csv"'
    return response


def capacity_forecast(request: AuthenticatedRequest) -> HttpResponse:
    service = access.service_for(request.user, request.GET.get("service"))
    today = timezone.localdate()
    form = CapacityForm(request.GET if "more" in request.GET else {"more": 1})
    more = form.cleaned_data["more"] if form.is_valid() else 1
    given = capacity.inputs(Selection(service, today, today), today)
    forecasts = [capacity.simulate(given, 0)] + ([capacity.simulate(given, more)] if more else [])
    return render(
        request,
        "insights/capacity.jinja",
        {
            "service": service,
            "services": access.services_for(request.user),
            "form": form,
            "given": given,
            "forecasts": forecasts,
            "weeks": capacity.WEEKS,
            "runs": capacity.RUNS,
            "lookback": capacity.LOOKBACK_MONTHS,
            "page_has_errors": bool(form.errors),
        },
    )
