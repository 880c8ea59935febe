"""What the culture pages show, shaped once for the templates."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db.models import Count
from django.utils import timezone

from supportpath.guide.content import STATEMENT_BY_KEY

from .models import Action, Wave


def wave_rows(organisation) -> list[dict]:
    waves = Wave.objects.filter(organisation=organisation).annotate(answers=Count("responses", distinct=True))
    return [{"wave": wave, "answers_enough": wave.answers >= 10} for wave in waves]


def action_rows(organisation) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for action in Action.objects.filter(organisation=organisation):
        statement = STATEMENT_BY_KEY.get(action.statement)
        overdue = action.progress != Action.Progress.DONE and action.due_on < today
        rows.append(
            {
                "action": action,
                "statement": statement.text if statement else "",
                "overdue": overdue,
                "due_today": action.progress != Action.Progress.DONE and action.due_on == today,
            }
        )
    return rows


def qr_svg(link: str) -> str:
    """The link as a QR code: an SVG drawn in pure Python, in a data: URI for an <img> (no script, nothing
    unescaped in the page); the link is always printed beside it as text."""
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
