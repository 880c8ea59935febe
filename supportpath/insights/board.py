"""The board report: the quarter's figures as a page and as an accessible PDF.

The PDF is drawn by WeasyPrint from HTML as PDF/UA-1: tagged (a structure tree of headings, paragraphs and
tables with their header cells), with the document's title and language set. fpdf2, which draws the support
plan, can tag only images and links, not headings or tables (see README, "Dependencies")."""

from __future__ import annotations

import datetime as dt

import weasyprint
from django.template.loader import render_to_string

from .selection import add_months, quarter_of


def quarters(today: dt.date, count: int = 8) -> list[tuple[dt.date, dt.date]]:
    """The last ``count`` whole quarters, the latest first."""
    start, _ = quarter_of(today)
    return [(add_months(start, -3 * n), add_months(start, -3 * n + 2)) for n in range(count)]


def pdf(context: dict) -> bytes:
    html = render_to_string("insights/board_pdf.jinja", context)
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
