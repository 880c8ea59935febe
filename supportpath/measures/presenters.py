"""Results over time, as the doctor and the case manager read them: for each questionnaire a table of every
finished answer (date, point, score, band in plain words) and a chart drawn on the server as SVG (no
JavaScript), which the table beside it says in words too."""

from dataclasses import dataclass, field

from django.utils import timezone

from supportpath.core.dates import long_date
from supportpath.scoring import questionnaires as scoring

from . import catalogue
from .models import Point, Response, ResponseStatus

CHART_WIDTH, CHART_HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 40
NOT_VALIDATED = "Not a validated scale"


@dataclass
class Row:
    date: str
    point: str
    score_text: str
    band: str
    band_words: str
    missing: int
    value: int | None  # what the chart plots


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str
    value: int


@dataclass
class Chart:
    points: list[ChartPoint]
    path: str
    gridlines: list[dict]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


@dataclass
class Series:
    key: str
    title: str
    scale: str  # what the numbers mean
    validated: bool
    rows: list[Row] = field(default_factory=list)
    chart: Chart | None = None
    statements: list[dict] = field(default_factory=list)  # the check-in: each statement over time
    dates: list[str] = field(default_factory=list)


SCALES = {
    "who-5": "Percentage from 0 to 100 (the raw score, 0 to 25, times 4). Higher means better well-being.",
    "phq-9": "Score from 0 to 27. Lower means fewer signs of low mood.",
    "gad-7": "Score from 0 to 21. Lower means fewer signs of anxiety.",
    "gse": "Score from 10 to 40. Higher means more confidence in coping.",
    "check-in": "Each statement from 1 (strongly disagree) to 5 (strongly agree). There is no total.",
}
RANGES = {"who-5": (0, 100), "phq-9": (0, 27), "gad-7": (0, 21), "gse": (10, 40)}
BAND_LINES = {
    "who-5": [(52, "52%")],
    "phq-9": [(5, "5"), (10, "10"), (15, "15"), (20, "20")],
    "gad-7": [(5, "5"), (10, "10"), (15, "15")],
    "gse": [],
}


def point_label(response: Response) -> str:
    return Point(response.point).label.replace("your", "the") if response.point else ""


def _row(response: Response) -> Row:
    score = catalogue.score(response.questionnaire, response.answers)
    key = response.questionnaire.key if response.questionnaire.service_id is None else ""
    date = long_date(timezone.localtime(response.completed_at).date())
    if score.total is None:
        text = f"Not scored: {score.missing} of {score.questions} questions skipped" if score.missing else "No total"
        value = None
    elif key == "who-5":
        text, value = f"{score.percentage}% (raw score {score.total} of 25)", score.percentage
    else:
        text, value = f"{score.total} (from {score.minimum} to {score.maximum})", score.total
    return Row(
        date=date,
        point=point_label(response),
        score_text=text,
        band=score.band.name if score.band else "",
        band_words=score.band.words if score.band else "",
        missing=score.missing,
        value=value,
    )


def _chart(key: str, rows: list[Row]) -> Chart | None:
    plotted = [r for r in rows if r.value is not None]
    if key not in RANGES or not plotted:
        return None
    low, high = RANGES[key]
    inner_w = CHART_WIDTH - LEFT - RIGHT
    inner_h = CHART_HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return round(TOP + inner_h * (1 - (value - low) / (high - low)), 1)

    step = inner_w / max(len(plotted) - 1, 1)
    points = []
    for i, row in enumerate(plotted):
        x = round(LEFT + (i * step if len(plotted) > 1 else inner_w / 2), 1)
        points.append(ChartPoint(x=x, y=y_of(row.value), label=row.date, value=row.value))
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    lines = [{"y": y_of(low), "label": str(low)}, {"y": y_of(high), "label": str(high)}]
    lines += [{"y": y_of(v), "label": label} for v, label in BAND_LINES.get(key, [])]
    return Chart(points=points, path=path, gridlines=lines)


def series_for(responses) -> list[Series]:
    """Finished answers, grouped by questionnaire in the order the service asks them, oldest first."""
    by_key: dict[str, list[Response]] = {}
    for response in sorted(responses, key=lambda r: (r.completed_at, r.pk)):
        if response.status != ResponseStatus.COMPLETED:
            continue
        by_key.setdefault(response.questionnaire.key, []).append(response)
    order = {key: i for i, key in enumerate(catalogue.SHIPPED_KEYS)}
    out = []
    for key in sorted(by_key, key=lambda k: (order.get(k, 99), k)):
        group = by_key[key]
        questionnaire = group[-1].questionnaire
        validated = not (key == catalogue.NOT_VALIDATED and questionnaire.service_id is None)
        series = Series(
            key=key,
            title=questionnaire.title,
            scale=SCALES.get(key, "The sum of the answers' scores."),
            validated=validated,
        )
        if validated:
            series.rows = [_row(r) for r in group]
            series.chart = _chart(key if questionnaire.service_id is None else "", series.rows)
        else:
            series.dates = [long_date(timezone.localtime(r.completed_at).date()) for r in group]
            for question in catalogue.questions_of(questionnaire.definition):
                cells = []
                for response in group:
                    value = response.answers.get(question.link_id)
                    option = question.option_for(int(value)) if value is not None else None
                    cells.append(option.display if option else "Skipped")
                series.statements.append({"text": question.text, "cells": cells})
        out.append(series)
    return out


def score_summary(response: Response) -> dict:
    """What the doctor reads when they finish one questionnaire."""
    score: scoring.Score = catalogue.score(response.questionnaire, response.answers)
    row = _row(response) if response.completed_at else None
    return {"score": score, "row": row}
