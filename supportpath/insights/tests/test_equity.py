"""Workforce files (checked whole, clear messages, nothing lost), the equity report's ratios and flags, and the
capacity forecast."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supportpath.accounts.models import Organisation, Role
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .. import capacity, equity, stats, workforce
from ..models import WorkforceFile
from ..selection import Selection
from .helpers import fact

MARCH = dt.date(2026, 3, 1)
HEADER = "career_stage,contract_type,qualification_region,ethnic_group,gender,age_band,headcount\n"


@pytest.fixture
def orgs(db):
    service = Organisation.objects.create(name="PSU", kind="regional_psu")
    trust = Organisation.objects.create(name="Trust", kind="acute_trust", support_service=service)
    return service, trust


def test_a_good_file_is_summed_into_each_groups_headcount(orgs):
    service, trust = orgs
    data = (HEADER + "consultant,consultant,uk,white,male,46_to_55,100\n"
            "consultant,consultant,international,,female,46_to_55,\"1,200\"\n").encode()  # fmt: skip
    loaded = workforce.load(service=service, organisation=trust, data=data, by=None)
    assert isinstance(loaded, WorkforceFile) and loaded.doctors == 1300 and loaded.rows == 2
    counts = {(c.dimension, c.group): c.headcount for c in loaded.counts.all()}
    assert counts[("qualification_region", "international")] == 1200
    assert counts[("ethnic_group", "")] == 1200 and counts[("ethnic_group", "white")] == 100


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "these are missing"),
        (HEADER.replace(",age_band", "").encode(), "these are missing: age_band"),
        ((HEADER.strip() + ",grade\n").encode(), "These columns are not known: grade"),
        ((HEADER + "registrar,resident,uk,white,male,25_to_35,10\n").encode(), "Row 2, career_stage: 'registrar'"),
        ((HEADER + "consultant,consultant,uk,white,male,25_to_35,ten\n").encode(), "'ten' is not a whole number"),
        ((HEADER + "consultant,consultant,uk,white,male,25_to_35,0\n").encode(), "counts no doctors"),
        ("\ufffe".encode("utf-16"), "not plain text in UTF-8"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_saved(orgs, data, message):
    service, trust = orgs
    result = workforce.load(service=service, organisation=trust, data=data, by=None)
    assert isinstance(result, workforce.Parsed)
    assert any(message in problem for problem in result.problems), result.problems
    assert not WorkforceFile.objects.exists()


def test_the_upload_page_loads_a_file_and_shows_problems_without_losing_the_earlier_one(client, world):
    admin = f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN).user
    trust = world.doctor.doctor_profile.employer
    login_as(client, admin)
    url = reverse("insights:workforce")
    good = SimpleUploadedFile("w.csv", (HEADER + "gp,gp,uk,white,female,36_to_45,40\n").encode(), "text/csv")
    response = client.post(url, {"organisation": trust.pk, "file": good, "service": world.service.pk}, follow=True)
    assert "Loaded the workforce of" in response.content.decode()
    bad = SimpleUploadedFile("w.csv", (HEADER + "gp,gp,uk,white,female,36_to_45,x\n").encode(), "text/csv")
    page = client.post(url, {"organisation": trust.pk, "file": bad}).content.decode()
    assert "The file was not loaded" in page and "Row 2, headcount" in page
    assert WorkforceFile.objects.get().doctors == 40
    page = client.post(url, {"organisation": ""}).content.decode()
    assert "Choose the organisation" in page and "Choose the CSV file to load" in page
    template = client.get(reverse("insights:workforce_template"))
    assert template.content.decode().startswith(HEADER.strip())
    login_as(client, world.evaluator)
    assert client.get(url).status_code == 403


def test_the_equity_report_flags_a_group_referred_three_times_as_often(orgs):
    service, trust = orgs
    data = HEADER + "specialty_trainee,resident,uk,white,female,25_to_35,800\n"
    data += "specialty_trainee,resident,international,asian,male,25_to_35,200\n"
    workforce.load(service=service, organisation=trust, data=data.encode(), by=None)
    for i in range(40):
        fact(service, employer=trust, qualification_region="uk", self_referred=i >= 10)
    for _ in range(30):
        fact(service, employer=trust, qualification_region="international", self_referred=False, route="supervisor")
    tables, flags, files = equity.equity_report(Selection(service, MARCH, MARCH))
    table = next(t for t in tables if t.key == "equity-qualification_region")
    row = next(r for r in table.rows if r[0] == "Elsewhere (international medical graduate)")
    # 30 of 200 against 40 of 800 in one month: 150 against 50 per 1,000, a ratio of 3.
    ratio = stats.rate_ratio(30, 200, 40, 800)
    assert row[2] == "30" and row[4] == f"{ratio.estimate:.2f} ({ratio.low:.2f} to {ratio.high:.2f})"
    assert row[3].startswith("1800.0 (")  # a year's rate: 30 / 200 * 1,000 * 12
    assert any(fl.group.startswith("Elsewhere") and fl.direction == "higher" for fl in flags)
    assert any(fl.measure.startswith("Referred by someone else") for fl in flags)
    organisations = equity.organisations_table(Selection(service, MARCH, MARCH))
    assert organisations.rows[0][0] == "Trust" and "(" in organisations.rows[0][3]


def test_a_small_group_is_hidden_and_gets_no_ratio(orgs):
    service, trust = orgs
    data = HEADER + "gp,gp,uk,white,female,36_to_45,500\ngp,gp,eea,white,female,36_to_45,50\n"
    workforce.load(service=service, organisation=trust, data=data.encode(), by=None)
    for _ in range(40):
        fact(service, employer=trust, qualification_region="uk")
    for _ in range(3):
        fact(service, employer=trust, qualification_region="eea")
    tables, flags, _ = equity.equity_report(Selection(service, MARCH, MARCH))
    table = next(t for t in tables if t.key == "equity-qualification_region")
    row = next(r for r in table.rows if r[0] == "European Economic Area")
    assert row[2] == "*" and row[3] == "not shown" and row[4] == "not shown"


def test_the_capacity_forecast_waits_less_with_more_facilitators():
    given = capacity.Inputs(arrivals_per_week=3, mean_weeks=10, facilitators=6, places=24, held=24, waiting=10)
    now = capacity.simulate(given, 0)
    more = capacity.simulate(given, 3)
    assert more.places == 36
    assert more.median_weeks < now.median_weeks and more.waiting_at_end < now.waiting_at_end
    assert capacity.simulate(given, 0) == now  # the same every time


def test_the_capacity_page_states_its_assumptions_and_refuses_bad_numbers(client, world):
    login_as(client, world.evaluator)
    page = client.get(reverse("insights:capacity"), {"more": "2"}).content.decode()
    assert "With 2 more" in page and "Assumptions" in page
    page = client.get(reverse("insights:capacity"), {"more": "lots"}).content.decode()
    assert "Enter a whole number, like 2" in page


def test_the_equity_page_says_when_no_file_is_loaded(client, world):
    login_as(client, world.evaluator)
    page = client.get(reverse("insights:equity")).content.decode()
    assert "Equity of access" in page
