"""The realist report on facts made in the test."""

import pytest

from supportpath.theory import stats
from supportpath.theory.models import Cmoc
from supportpath.theory.report import report_for

from .helpers import fact, many


def _cmoc(**links) -> Cmoc:
    return Cmoc(reference="4.7", outcome_group=4, context="c", mechanism="m", outcome="o", **links)


def test_self_referral_completing_more_often_bears_out_4_7():
    facts = (
        many(16, context={"route_in": "self"}, completed=True)
        + many(4, context={"route_in": "self"}, completed=False)
        + many(8, context={"route_in": "referred"}, completed=True)
        + many(12, context={"route_in": "referred"}, completed=False)
    )
    made = report_for(_cmoc(context_field="route_in", context_value="self", outcome_indicator="completed"), facts)
    (compared,) = made.compared
    assert (compared.first_people, compared.second_people) == ("20", "20")
    # 16/20 - 8/20 = +40 points; Newcombe: 0.8 -> (0.584, 0.919), 0.4 -> (0.219, 0.613); low = 0.4 - sqrt(0.216^2
    # + 0.213^2) = 0.097, high = 0.4 + sqrt(0.119^2 + 0.181^2) = 0.617
    assert compared.difference == "+40 percentage points"
    assert compared.interval == "10 to 62"
    assert made.reading == stats.BEARS_OUT


def test_a_mechanism_whose_high_group_does_no_better_questions_the_cmoc():
    facts = many(12, checkin={"5": 5}, gas_t=48.0) + many(3, checkin={"5": 5}, gas_t=44.0)
    facts += many(12, checkin={"5": 2}, gas_t=52.0) + many(3, checkin={"5": 3}, gas_t=56.0)
    made = report_for(_cmoc(mechanism_item="5", outcome_indicator="gas_t"), facts)
    (compared,) = made.compared
    assert compared.shown
    assert compared.difference == "-5.6 points"
    assert made.reading == stats.QUESTIONS


def test_groups_too_small_show_no_figures_and_lack_data():
    facts = many(30, context={"route_in": "self"}, completed=True) + many(
        6, context={"route_in": "signposted"}, completed=True
    )
    made = report_for(_cmoc(context_field="route_in", context_value="signposted", outcome_indicator="completed"), facts)
    (compared,) = made.compared
    assert not compared.shown
    assert compared.difference == ""
    assert compared.first_people == "*"  # 6 doctors, hidden by the disclosure rule
    assert made.reading == stats.NOT_ENOUGH


def test_people_whose_context_is_not_known_are_left_out_of_the_comparison():
    facts = many(10, context={"mandated": "yes"}, completed=True) + many(10, context={"mandated": ""}, completed=False)
    made = report_for(_cmoc(context_field="mandated", context_value="yes", outcome_indicator="completed"), facts)
    assert made.compared[0].second_people == "0"
    assert not made.compared[0].shown


def test_a_doctor_with_two_requests_counts_once_in_a_group():
    facts = [fact(doctor_id=7, completed=True), fact(doctor_id=7, completed=True)] + many(9, completed=True)
    facts += many(10, context={"route_in": "referred"}, completed=False)
    made = report_for(_cmoc(context_field="route_in", context_value="self", outcome_indicator="completed"), facts)
    assert made.compared[0].first_people == "10"


@pytest.mark.parametrize(
    "links", [{}, {"outcome_indicator": "completed"}, {"context_field": "route_in", "context_value": "self"}]
)
def test_an_unlinked_cmoc_has_no_report(links):
    assert report_for(_cmoc(**links), many(30, completed=True)) is None
