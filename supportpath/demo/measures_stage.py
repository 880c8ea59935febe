"""Questionnaires in the demo, recorded through ``measures.services.record_answered`` (the same checks and
scoring as the doctor's pages, in one insert): at each point a case has passed (the first conversation, each
review, closure, and 3 and 6 months after closure) most doctors answered what the unit offers, and their
well-being, mood, anxiety and confidence improve over the course of support, more for some than for others.
Answers are drawn from generators seeded with each doctor's fixed key, so the demo is the same every time.

Two named doctors' stories include the safety net: Dr Rafael Quintero answered PHQ-9 question 9 above 0 at
his first conversation and his case manager followed it up the next working day; Dr Esther Fairbourne did so
a couple of hours before the demo was seeded, and her alert waits on her case and in the inbox. Dr Marcus
Penhaligon has not yet answered the check-in of his latest review, so it waits for him. No email is sent while
seeding."""

import datetime as dt
import random

from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.core.working_days import add_working_days
from supportpath.measures import catalogue, offers, safety, services
from supportpath.measures.models import Point, Response, SafetyAlert

from .people import NAMED_DOCTORS

ALERT_FOLLOWED_UP = "rafael"
ALERT_WAITING = "esther"
LATEST_LEFT_TO_TRY = "marcus"  # his latest review's check-in waits for him, to try in the demo
NAMED = frozenset(spec.key for spec in NAMED_DOCTORS)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 10)))


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _answers(key: str, severity: float, rng: random.Random, *, trust: float) -> dict:
    """Answers that fit a doctor whose difficulties are ``severity`` (0 none, 1 the worst)."""
    if key == "who-5":
        return {str(i): _clip((1 - severity) * 5 + rng.gauss(0, 0.7), 0, 5) for i in range(1, 6)}
    if key in ("phq-9", "gad-7"):
        n = 9 if key == "phq-9" else 7
        answers = {str(i): _clip(severity * 3 + rng.gauss(-0.3, 0.6), 0, 3) for i in range(1, n + 1)}
        if key == "phq-9":
            answers["9"] = 0  # the generated doctors never start the safety net; the named stories do
            while sum(answers.values()) >= 20:
                top = max(answers, key=answers.get)
                answers[top] -= 1
        return answers
    if key == "gse":
        return {str(i): _clip(1 + (1 - 0.8 * severity) * 3 + rng.gauss(-0.4, 0.5), 1, 4) for i in range(1, 11)}
    if key == "check-in":
        return {str(i): _clip(2 + 3 * trust + rng.gauss(0, 0.6), 1, 5) for i in range(1, 6)}
    return {}


def _passed_points(case: Case, today: dt.date) -> list[tuple[offers.Reached, dt.date, float]]:
    """Every point the case has passed, with the day it was reached and how far through support it was."""
    points = []
    assessment = getattr(case, "needs_assessment", None)
    if assessment is None:
        return points
    points.append((offers.Reached(Point.FIRST_CONVERSATION, "first"), assessment.conversation_held_on, 0.0))
    reviews = sorted(case.reviews.all(), key=lambda r: (r.held_on, r.pk))
    for i, review in enumerate(reviews, 1):
        points.append(
            (
                offers.Reached(Point.REVIEW, f"review-{review.pk}", review=review),
                review.held_on,
                0.6 * i / (len(reviews) + 1),
            )
        )
    closure = getattr(case, "closure", None)
    if closure is not None:
        points.append((offers.Reached(Point.CLOSURE, Point.CLOSURE), closure.closed_on, 0.85))
        for point, months in offers.FOLLOW_UP_MONTHS.items():
            due = offers.add_months(closure.closed_on, months)
            if due <= today:
                points.append((offers.Reached(point, point), due, 1.0))
    return points


def seed_measures(demo) -> None:
    keys = {request.pk: key for key, request in demo.requests.items()}
    cases = list(
        Case.objects.filter(request_id__in=keys)
        .select_related("request", "needs_assessment", "closure", "case_manager")
        .prefetch_related("reviews")
        .order_by("pk")
    )
    answered = set(Response.objects.filter(request_id__in=keys).values_list("request_id", flat=True).distinct())
    shipped = catalogue.ensure_shipped()
    service_points: dict[int, dict] = {}
    batch: list[services.Answered] = []
    special: dict[str, object] = {}
    for case in cases:
        if case.request_id in answered:
            continue
        key = keys[case.request_id]
        rng = random.Random(f"measures-{key}")
        named = key in NAMED
        if not named and rng.random() < 0.15:
            continue  # some doctors never answer a questionnaire: they are always optional
        if case.request.service_id not in service_points:
            service_points[case.request.service_id] = offers.points_for_service(case.request.service_id)
        start = rng.uniform(0.25, 0.65)
        gain = rng.uniform(0.1, 0.7)  # how much better things get by the end
        trust = rng.uniform(0.35, 0.8)
        passed = _passed_points(case, demo.today)
        if key == LATEST_LEFT_TO_TRY:
            passed = passed[:-1]
        for reached, day, progress in passed:
            if not named and progress > 0 and rng.random() < 0.25:
                continue  # not everyone answers every time
            at = _at(day + dt.timedelta(days=rng.randint(0, 2)), 19)
            if key == ALERT_WAITING and reached.point == Point.FIRST_CONVERSATION:
                at = demo.now - dt.timedelta(hours=2)
            if at > demo.now:
                continue
            severity = start * (1 - gain * progress)
            offer = offers.Offer(request=case.request, case=case, reached=reached)
            for questionnaire_key in service_points[case.request.service_id].get(reached.point, []):
                questionnaire = shipped.get(questionnaire_key)
                if questionnaire is None:
                    continue
                answers = _answers(questionnaire_key, severity, rng, trust=min(1.0, trust + 0.3 * progress))
                if (
                    questionnaire_key == "phq-9"
                    and reached.point == Point.FIRST_CONVERSATION
                    and key
                    in (
                        ALERT_FOLLOWED_UP,
                        ALERT_WAITING,
                    )
                ):
                    answers["9"] = 1
                    special[key] = case
                batch.append(services.Answered(offer, questionnaire, answers, at))
    caught = services.record_answered(batch)
    for response, reason in caught:
        safety.raise_alert(response, reason, at=response.completed_at, notify=False)
    demo.created["questionnaire answers"] += len(batch)
    if ALERT_FOLLOWED_UP in special:
        case = special[ALERT_FOLLOWED_UP]
        alert = SafetyAlert.objects.filter(request=case.request, followed_up_at__isnull=True).first()
        if alert is not None:
            day = add_working_days(timezone.localdate(alert.raised_at), 1)
            safety.follow_up(
                alert,
                by=case.case_manager,
                on=day,
                what=(
                    "Phoned Dr Quintero the next morning. He said the thoughts come on the worst nights and he has "
                    "never acted on them; he is safe, has an appointment with his GP this week and has the "
                    "Practitioner Health number. We agreed I would check in again after his GP appointment."
                ),
                at=_at(day, 11),
            )
    demo.created["safety alerts"] += len(caught)
