"""The insights pages: thin, every figure from ``reports`` (through the disclosure rule)."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import access, board, reports
from .forms import QuarterForm, ReportForm
from .selection import Selection, default_period


def _choices(request: HttpRequest):
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


def service_report(request: HttpRequest) -> HttpResponse:
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


def service_report_csv(request: HttpRequest) -> HttpResponse:
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


def _board_choices(request: HttpRequest):
    service = access.service_for(request.user, request.GET.get("service"))
    options = board.quarters(timezone.localdate())
    data = request.GET if "quarter" in request.GET else {"quarter": options[0][0].strftime("%Y-%m")}
    form = QuarterForm(data, quarters=options)
    if not form.is_valid():
        return service, form, None, ""
    start, end = form.cleaned_data["quarter"]
    selection = Selection(service, start, end)
    return service, form, selection, selection.refusal()


def _board_context(request: HttpRequest) -> dict:
    service, form, selection, refusal = _board_choices(request)
    return {
        "service": service,
        "services": access.services_for(request.user),
        "form": form,
        "selection": selection,
        "refusal": refusal,
        "tables": reports.service_report(selection) if selection and not refusal else [],
        "query": request.GET.urlencode(),
        "made_on": timezone.localdate(),
    }


def board_report(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/board.jinja", _board_context(request))


def board_report_pdf(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    if context["selection"] is None:
        return render(request, "insights/board.jinja", context, status=400)
    response = HttpResponse(board.pdf(context), content_type="application/pdf")
    quarter = context["selection"].start.strftime("%Y-%m")
    response["Content-Disposition"] = f'attachment; filename="board-report-{quarter}.pdf"'
    return response
