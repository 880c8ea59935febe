"""The doctor's own view of confidentiality: who has seen their record, and a copy of all their data."""

import csv

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from supportpath.accounts import policy
from supportpath.core.pagination import paginate_bounded

from .data_export import build_archive, sections
from .forms import AccessLogFilterForm
from .models import AccessRecord
from .presenters import access_row

PAGE_SIZE = 50


class _Echo:
    def write(self, value):
        return value


def access_log(request: HttpRequest) -> HttpResponse:
    refusal = policy.doctors_only(request, "audit/doctors_only.jinja")
    if refusal:
        return refusal
    doctor = request.user.doctor_profile
    form = AccessLogFilterForm(request.GET or None)
    records = form.filter(AccessRecord.objects.filter(doctor=doctor)).order_by("-at", "-id")
    if request.GET.get("download") == "csv" and (not form.is_bound or form.is_valid()):
        return _csv(records)
    # The doctor's rows newest first by ``access_by_doctor_recent``, a page at a time; the count stops at 1,001
    # (``paginate_bounded``), as a long-supported doctor's log keeps growing (issue 18).
    page, page_links, _ = paginate_bounded(request, records, PAGE_SIZE)
    return render(
        request,
        "audit/access_log.jinja",
        {
            "form": form,
            "page": page,
            "rows": [access_row(r) for r in page.object_list],
            "page_links": page_links,
            "page_has_errors": form.is_bound and not form.is_valid(),
        },
    )


def _csv(records) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = ["When", "Who", "Role", "Organisation", "What they did", "What", "Why"]

    def rows():
        yield writer.writerow(header)
        for record in records.iterator():
            row = access_row(record)
            yield writer.writerow([row.when, row.who, row.role, row.organisation, row.action, row.what, row.why])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="who-has-seen-my-record.csv"'
    return response


@require_http_methods(["GET", "POST"])
def download_my_data(request: HttpRequest) -> HttpResponse:
    refusal = policy.doctors_only(request, "audit/doctors_only.jinja")
    if refusal:
        return refusal
    if request.method == "POST":
        archive = build_archive(request.user.doctor_profile)
        response = HttpResponse(archive, content_type="application/zip")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="my-supportpath-data-{stamp}.zip"'
        return response
    return render(request, "audit/download_my_data.jinja", {"sections": sections()})
