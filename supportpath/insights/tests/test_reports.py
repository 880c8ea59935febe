"""The service report's figures against values worked by hand, and its disclosure."""

import datetime as dt

import pytest
from django.db import connection

from supportpath.accounts.models import Organisation

from .. import reports, stats
from ..models import Fact
from ..selection import Selection
from .helpers import fact

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def service(db):
    return Organisation.objects.create(name="Test PSU", kind="regional_psu")


def march(service, organisation=None):
    return Selection(service, MARCH, MARCH, organisation)


def test_median_and_90th_percentile_of_the_waits_by_hand(service):
    # 20 requests whose first contact took 1, 2, ..., 20 days; the target was 5 days.
    for day in range(1, 21):
        fact(service, days_to_first_contact=day, first_contact_due_days=5)
    n, (median, p90) = stats.percentiles(Fact.objects.all(), "days_to_first_contact", (0.5, 0.9))
    # Interpolated (percentile_cont): position 0.5 * 19 = 9.5 -> 10.5; 0.9 * 19 = 17.1 -> 18.1.
    assert n == 20 and median == pytest.approx(10.5) and p90 == pytest.approx(18.1)
    table = reports.waits(march(service))
    first = table.rows[0]
    # 5 within target, 15 after: 5 is hidden, so its partner is hidden too (secondary suppression).
    assert first[:4] == ["To first contact", "20", "10", "18"]  # 10.5 shows as 10 (round half to even)
    assert first[4] in ("*", "not shown")


def test_within_target_share_comes_from_rounded_figures(service):
    for day in range(1, 31):
        fact(service, days_to_first_contact=day, first_contact_due_days=10)
    # 10 within, 20 after: shown 10 of 30 -> 33%.
    assert reports.waits(march(service)).rows[0][4] == "33%"


def test_mean_interval_by_hand():
    # Values 1..10: mean 5.5, sample SD 3.02765, t(9) = 2.262 -> half-width 2.1658.
    interval = stats.mean_interval(10, 5.5, 3.0276503540974917)
    assert interval.low == pytest.approx(3.3342, abs=1e-3) and interval.high == pytest.approx(7.6658, abs=1e-3)


def test_rate_ratio_by_hand():
    # 30 requests from 1,000 doctors against 20 from 2,000: ratio 3; SE = sqrt(1/30 + 1/20) = 0.288675.
    interval = stats.rate_ratio(30, 1000, 20, 2000)
    assert interval.estimate == pytest.approx(3.0)
    assert interval.low == pytest.approx(3 * 2.718281828 ** (-1.959964 * 0.288675), rel=1e-4)
    assert interval.low == pytest.approx(1.7040, abs=1e-3) and interval.high == pytest.approx(5.2816, abs=1e-3)
    assert interval.above_one
    assert stats.rate_ratio(0, 1000, 20, 2000) is None


def test_goal_attainment_change_with_interval(service):
    for i in range(10):
        fact(service, stage="ended", is_case=True, ended_month=MARCH, gas_start=40.0, gas_end=41.0 + i)
    table = reports.goal_attainment(march(service))
    # Changes 1..10: mean 5.5 (3.3 to 7.7).
    assert table.rows[3] == ["Change (mean, 95% CI)", "5.5 (3.3 to 7.7)"]
    assert table.rows[1][1] == "40.0" and table.rows[2][1] == "45.5"


def test_fewer_than_ten_scored_shows_nothing(service):
    for i in range(9):
        fact(service, stage="ended", is_case=True, ended_month=MARCH, gas_start=40.0, gas_end=50.0 + i)
    assert not reports.goal_attainment(march(service)).shown


def test_talking_therapies_classification_by_hand(service):
    def closed(phq, gad):
        fact(service, stage="ended", is_case=True, ended_month=MARCH, measures={"phq-9": phq, "gad-7": gad})

    # 10 reliably recovered: a case at the start (PHQ 15), below both at closure, PHQ down 9.
    for _ in range(10):
        closed((15, 6), (9, 5))
    # 10 recovered but not reliably: PHQ 10 -> 9, GAD 8 -> 7.
    for _ in range(10):
        closed((10, 9), (8, 7))
    # 10 reliably deteriorated: PHQ 3 -> 12 (not a case at the start).
    for _ in range(10):
        closed((3, 12), (2, 2))
    # 10 improved on GAD (9 -> 4) but deteriorated on PHQ (2 -> 12): neither improvement nor deterioration, and
    # not recovered (PHQ 12 at closure).
    for _ in range(10):
        closed((2, 12), (9, 4))
    rows = {row[0]: row for row in reports.talking_therapies(march(service)).rows}
    assert rows["Reliable improvement"][1:3] == ["10 of 40 (all with both)", "25%"]
    assert rows["Reliable deterioration"][1:3] == ["10 of 40 (all with both)", "25%"]
    # Cases at the start: the first 20 and the last 10 (GAD 9) = 30; recovered: the first 20.
    assert rows["Recovery"][1:3] == ["20 of 30 (a case at the start)", "67%"]
    assert rows["Reliable recovery"][1:3] == ["10 of 30 (a case at the start)", "33%"]
    low, high = stats.wilson(10, 30)
    assert rows["Reliable recovery"][3] == f"{round(100 * low)}% to {round(100 * high)}%"


def test_requests_by_month_hides_small_routes(service):
    for _ in range(20):
        fact(service)
    for _ in range(3):
        fact(service, route="supervisor", self_referred=False)
    table = reports.requests_by_month(march(service))
    header = table.columns
    row = dict(zip(header, table.rows[0], strict=True))
    assert row["Asked for support themselves"] != "20" or row["Referred by a supervisor"] == "*"
    assert row["Referred by a supervisor"] == "*"
    assert row["All routes"] in ("*", "25")


def test_a_selection_that_isolates_is_refused(service):
    trust = Organisation.objects.create(name="Trust", kind="acute_trust", support_service=service)
    practice = Organisation.objects.create(name="Practice", kind="gp_practice", support_service=service)
    for _ in range(30):
        fact(service, employer=trust)
    for _ in range(4):
        fact(service, employer=practice)
    assert march(service).refusal() == ""
    assert "Fewer than 10" in march(service, practice).refusal()
    assert "leave out fewer than 10" in march(service, trust).refusal()
    thin = Selection(service, MARCH, dt.date(2026, 4, 1))
    fact(service, month=dt.date(2026, 4, 1))
    assert "last month" in thin.refusal()


def test_every_report_aggregates_in_a_fixed_number_of_queries(service, django_assert_num_queries):
    for day in range(40):
        fact(
            service,
            days_to_first_contact=day,
            days_to_first_conversation=day + 5,
            days_to_plan_agreed=day + 20,
            days_to_first_session=day + 30,
            first_contact_due_days=5,
            stage="ended",
            ended_month=MARCH,
        )
    selection = march(service)
    # requests 1; waits 1 on PostgreSQL (percentile_cont with the counts), or 1 and per step a count and 2
    # fetches on SQLite; open 1, capacity 2, closures 1, engagement 1, GAS 1, measures 1, talking therapies 1,
    # feedback 1.
    waits = 1 if connection.vendor == "postgresql" else 1 + 4 * 3
    with django_assert_num_queries(1 + waits + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1):
        reports.service_report(selection)
