"""Answering a questionnaire: one question at a time, saved as the doctor goes, which they may skip or stop.
The safety net starts the moment an answer calls for it (``safety.py``), not at the end."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.scoring import questionnaires as scoring

from . import catalogue, safety
from .models import Questionnaire, Response, ResponseStatus
from .offers import Offer


def start(offer: Offer, questionnaire: Questionnaire) -> Response:
    """The doctor's response to ``questionnaire`` at the offer's point: the one already started, or a new one.
    Pressing start twice makes one response."""
    lookup = {"request": offer.request, "questionnaire": questionnaire, "point_key": offer.reached.point_key}
    existing = Response.objects.filter(**lookup).first()
    if existing:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            return Response.objects.create(
                **lookup,
                doctor=offer.request.doctor,
                case=offer.case,
                review=offer.reached.review,
                point=offer.reached.point,
                started_at=now,
                updated_at=now,
            )
    except IntegrityError:
        return Response.objects.get(**lookup)


def questions(response: Response) -> tuple[catalogue.Question, ...]:
    return catalogue.questions_of(response.questionnaire.definition)


def next_number(response: Response) -> int | None:
    """The first question neither answered nor skipped, or None when there is none left."""
    for question in questions(response):
        if question.link_id not in response.answers and question.link_id not in response.skipped:
            return question.number
    return None


def answer(response: Response, question: catalogue.Question, score: int | None) -> bool:
    """Save one answer (``None`` skips the question). True when the safety net has just started."""
    if score is not None and question.option_for(score) is None:
        raise ValueError(f"{score} is not an option of question {question.link_id}")
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("questionnaire").get(pk=response.pk)
        if score is None:
            locked.answers.pop(question.link_id, None)
            if question.link_id not in locked.skipped:
                locked.skipped.append(question.link_id)
        else:
            locked.answers[question.link_id] = score
            locked.skipped = [s for s in locked.skipped if s != question.link_id]
        if locked.status == ResponseStatus.STOPPED:
            locked.status = ResponseStatus.IN_PROGRESS
        locked.updated_at = timezone.now()
        if next_number(locked) is None:
            _complete(locked)
        locked.save()
        started = _safety_check(locked)
    response.refresh_from_db()
    return started


def _complete(response: Response) -> None:
    response.status = ResponseStatus.COMPLETED
    response.completed_at = response.completed_at or timezone.now()
    response.total = catalogue.score(response.questionnaire, response.answers).total


def _safety_check(response: Response) -> bool:
    reason = scoring.needs_safety_net(
        response.questionnaire.key if response.questionnaire.service_id is None else "", response.answers
    )
    if not reason:
        return False
    return safety.raise_alert(response, reason)


def stop(response: Response) -> Response:
    """The doctor chose not to answer (the rest of) this questionnaire. What they gave is kept, and they may
    come back to it while the offer is open."""
    if response.status == ResponseStatus.IN_PROGRESS:
        response.status = ResponseStatus.STOPPED
        response.updated_at = timezone.now()
        response.save(update_fields=["status", "updated_at"])
    return response


@dataclass(frozen=True)
class Answered:
    """A questionnaire answered in full at one moment: what the demo (and any import) records in bulk."""

    offer: Offer
    questionnaire: Questionnaire
    answers: dict  # {linkId: score}; a question left out was skipped
    at: dt.datetime


def record_answered(batch: list[Answered]) -> list[tuple[Response, str]]:
    """Record many finished responses at once, by the same rules as the pages: every answer must be one of
    its question's options, the total is scored by the same code, and each response the safety net would
    catch is returned with its reason, for the caller to raise (``safety.raise_alert``). A response that
    already exists for the same questionnaire, request and point is left alone. Returns the new responses
    that need the safety net."""
    rows = []
    existing = set(
        Response.objects.filter(request__in={a.offer.request.pk for a in batch}).values_list(
            "request_id", "questionnaire_id", "point_key"
        )
    )
    for item in batch:
        key = (item.offer.request.pk, item.questionnaire.pk, item.offer.reached.point_key)
        if key in existing:
            continue
        existing.add(key)
        questions = catalogue.questions_of(item.questionnaire.definition)
        answers = {}
        for question in questions:
            score = item.answers.get(question.link_id)
            if score is None:
                continue
            if question.option_for(int(score)) is None:
                raise ValueError(f"{score} is not an option of question {question.link_id}")
            answers[question.link_id] = int(score)
        rows.append(
            Response(
                doctor_id=item.offer.request.doctor_id,
                request=item.offer.request,
                case=item.offer.case,
                review=item.offer.reached.review,
                questionnaire=item.questionnaire,
                point=item.offer.reached.point,
                point_key=item.offer.reached.point_key,
                status=ResponseStatus.COMPLETED,
                answers=answers,
                skipped=[q.link_id for q in questions if q.link_id not in answers],
                total=catalogue.score(item.questionnaire, answers).total,
                started_at=item.at - dt.timedelta(minutes=6),
                updated_at=item.at,
                completed_at=item.at,
            )
        )
    created = Response.objects.bulk_create(rows)
    caught = []
    for response in created:
        key = response.questionnaire.key if response.questionnaire.service_id is None else ""
        reason = scoring.needs_safety_net(key, response.answers)
        if reason:
            caught.append((response, reason))
    return caught
