"""The demo feeds every insights report: each shows something, some groups are hidden, one equity flag shows,
and no report or download names a demo doctor, gives their email address or GMC number."""

import datetime as dt
import io

import pypdf
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from supportpath.accounts.models import DoctorProfile, Organisation, User
from supportpath.demo import insights_stage, people
from supportpath.insights.models import Fact, WorkforceFile
from supportpath.testing.auth import login_as

from .conftest import SEEDED_AT

pytestmark = pytest.mark.django_db
REPORTS = ["insights:service", "insights:equity", "insights:capacity", "insights:board"]
DOWNLOADS = ["insights:service_csv", "insights:board_pdf", "insights:workforce", "insights:workforce_template"]


@pytest.fixture(autouse=True)
def _frozen(seeded):
    with time_machine.travel(SEEDED_AT + dt.timedelta(minutes=5), tick=False):
        yield


def signed_in(key: str) -> Client:
    email = next(p.email for p in people.STAFF if p.key == key)
    return login_as(Client(), User.objects.get(email=email))


def text_of(response) -> str:
    if response["Content-Type"] == "application/pdf":
        return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


def test_the_history_spans_two_years_and_several_hundred_doctors(seeded):
    months = sorted(set(Fact.objects.values_list("referred_month", flat=True)))
    assert (months[-1].year - months[0].year) * 12 + months[-1].month - months[0].month >= 18
    assert DoctorProfile.objects.count() >= 500
    assert Fact.objects.filter(link__isnull=False).count() >= 500
    # Every fact is written from a record the demo made, by the insights' own writer (none is written by hand).
    assert not Fact.objects.filter(link__isnull=True).exists()
    served = set(WorkforceFile.objects.values_list("organisation_id", flat=True))
    assert served == set(Organisation.objects.filter(support_service__isnull=False).values_list("pk", flat=True))


def test_every_report_shows_something_and_some_groups_are_hidden(seeded):
    client = signed_in("evaluator")
    pages = {name: client.get(reverse(name)).content.decode() for name in REPORTS}
    service = pages["insights:service"]
    assert "These figures are not shown" not in service
    assert service.count('<figure class="app-insights-chart">') >= 8
    for title in ["Requests each month", "Days from the request", "Goal attainment at closure", "Exit feedback"]:
        assert title in service
    assert "Too few" not in service.split("Goal attainment at closure", 1)[1].split("</section>", 1)[0]
    assert '<td class="nhsuk-table__cell">*</td>' in service  # small groups hidden
    equity = pages["insights:equity"]
    assert "Flags" in equity and "Elsewhere (international medical graduate)</strong>" in equity
    assert '<td class="nhsuk-table__cell">*</td>' in equity
    assert "Median wait (weeks)" in pages["insights:capacity"]
    assert "Download the board report" in pages["insights:board"]


def test_no_report_or_download_names_a_demo_doctor(seeded):
    texts = []
    for key in ("evaluator", "service_admin"):
        client = signed_in(key)
        for name in REPORTS + DOWNLOADS:
            response = client.get(reverse(name))
            if response.status_code == 200:
                texts.append(text_of(response))
    assert len(texts) == len(REPORTS) * 2 + len(DOWNLOADS) + 2  # the evaluator does not load workforce files
    everything = "\n".join(texts)
    checked = 0
    for profile in DoctorProfile.objects.select_related("user"):
        for value in (profile.user.full_name, profile.user.email, profile.gmc_number):
            assert value not in everything, value
            checked += 1
    assert checked >= 3 * (212 + insights_stage.HISTORY_DOCTOR_COUNT)


def test_the_evaluator_lands_on_the_insights(seeded):
    client = signed_in("evaluator")
    assert client.get(reverse("core:home"))["Location"] == reverse("insights:service")
