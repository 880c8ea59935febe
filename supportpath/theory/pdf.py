"""The overview of the programme theory as a PDF appendix to the board report (fpdf2, accessible as the culture
summary is: real text, a title, the language set, headings as bookmarks)."""

from collections.abc import Sequence

from supportpath.plans.pdf import _pdf

from . import stats
from .models import Status
from .presenters import Group
from .report import CmocReport


def render_overview(service_name: str, groups: Sequence[Group], reports: dict[int, CmocReport]) -> bytes:
    title = f"What works for whom: the programme theory of {service_name}"
    pdf = _pdf(title)
    pdf.body_size, pdf.line_height = 10, 5  # a long appendix: a size smaller than the board's summary
    heading, para = pdf.heading, pdf.para

    heading(title, 18)
    para(
        "Each context-mechanism-outcome configuration (CMOC) of the service's theory, its status, and what the "
        "service's own records say where it is linked to them. Based on Brennan et al., BMJ Quality & Safety 2026 "
        "(doi:10.1136/bmjqs-2025-019749)."
    )
    para("How the data are read: " + " ".join(stats.RULE))
    para(stats.CAVEAT)
    for group in groups:
        heading(f"{group.number}. {group.title}")
        if not group.cmocs:
            para("No CMOCs in this group.")
        for cmoc in group.cmocs:
            status = Status(cmoc.status).label
            para(f"CMOC {cmoc.reference} ({status}, version {cmoc.version})", bold=True)
            para(f"Context: {cmoc.context} Mechanism: {cmoc.mechanism} Outcome: {cmoc.outcome}")
            made = reports.get(cmoc.pk)
            if made is None:
                para("The data: not linked to the service's records.")
                continue
            para(f"The data ({made.outcome_label}): {made.reading}.")
            for compared in made.compared:
                if compared.shown:
                    para(
                        f"{compared.what}, {compared.description}: {compared.first_label} {compared.first_people} "
                        f"doctors, {compared.second_label} {compared.second_people}; difference {compared.difference} "
                        f"(95% CI {compared.interval}): {compared.reading}."
                    )
                else:
                    para(f"{compared.what}, {compared.description}: groups too small to show; {compared.reading}.")
    para(
        "Counts follow the disclosure rule: fewer than 10 people show nothing, counts from 1 to 7 are hidden, "
        "others are rounded to the nearest 5."
    )
    return bytes(pdf.output())
