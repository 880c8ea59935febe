"""The facts read from the insights fact record, with the check-in answers through the fact's link."""

import datetime as dt

from django.utils import timezone

from supportpath.insights.facts import backfill
from supportpath.measures import catalogue
from supportpath.measures.models import Point, Response, ResponseStatus
from supportpath.theory import facts


def test_each_request_of_the_service_is_a_fact_with_its_context_and_its_doctor(world):
    backfill()
    rows = facts.rows_for(world.service)
    assert len(rows) == 2
    assert {r.context["route_in"] for r in rows} == {"self", "referred"}
    assert {r.doctor_id for r in rows} == {world.doctor.doctor_profile.pk}
    referred = next(r for r in rows if r.context["route_in"] == "referred")
    assert referred.context["reason"] == "confidence|mental_health"
    assert referred.dates["received"] == timezone.localdate().replace(day=1)
    assert facts.rows_for(world.other_service) == []


def test_a_check_in_answer_reaches_the_fact_of_its_request(world):
    at = timezone.now() - dt.timedelta(days=1)
    Response.objects.create(
        doctor=world.doctor.doctor_profile,
        request=world.self_request,
        questionnaire=catalogue.ensure_shipped()["check-in"],
        point=Point.FIRST_CONVERSATION,
        point_key="first",
        status=ResponseStatus.COMPLETED,
        answers={"1": 5, "3": 2},
        started_at=at,
        updated_at=at,
        completed_at=at,
    )
    backfill()
    fact = next(r for r in facts.rows_for(world.service) if r.context["route_in"] == "self")
    assert fact.checkin("1") == 5
    assert fact.checkin("3") == 2
    assert fact.checkin("4") is None
