"""Culture and the guide in the browser: a pulse sent to 12 addresses shows nothing after 9 answers and its
results after the 10th; a link works once; a self-assessment's gap becomes an action whose owner is reminded
when it falls due (time frozen); signposts and the guide. Every page axe-checked; the same without JavaScript."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from supportpath.accounts.models import Role
from supportpath.culture import tasks
from supportpath.culture.models import Action, PulseResponse
from supportpath.notifications.models import SentEmail
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESSES = [f"doctor{n}@vale.example.test" for n in range(1, 13)]


def no_check(page):
    return None


@pytest.fixture
def trust_and_lead():
    trust = f.OrganisationFactory(name="Fictional Vale Hospitals NHS Trust")
    lead = f.MembershipFactory(
        organisation=trust, role=Role.ORGANISATION_LEAD, user__full_name="Dr Mo Director", job_title="Medical director"
    ).user
    return trust, lead


def _answer(page, base_url, link, check, *, group=None):
    page.goto(base_url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("How is asking for help seen where you work?")
    check(page)
    for fieldset in page.locator("fieldset").all()[:5]:
        fieldset.get_by_label("Agree", exact=True).check()
    if group:
        page.get_by_role("group", name="Which staff group are you in? (optional)").get_by_label(group).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")


def _pulse(page, another_page, base_url, trust_and_lead, *, javascript, check):
    trust, lead = trust_and_lead
    sign_in(page, base_url, lead)
    expect(page.get_by_role("heading", level=1)).to_have_text("Culture and the guide")
    check(page)
    page.get_by_role("link", name="Open a new wave").click()
    check(page)
    page.get_by_label("Name of this wave").fill("Culture pulse, spring 2027")
    page.get_by_role("button", name="Open the wave").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Culture pulse, spring 2027")
    page.get_by_role("link", name="Send invitations by email").click()
    check(page)
    page.get_by_label("Email addresses").fill("\n".join(ADDRESSES))
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.locator("body")).to_contain_text("12 invitations are being sent")
    expect(page.locator("#results-not-shown")).to_be_visible()
    check(page)

    links = [re.search(r"https?://[^/]+(/pulse/[\w-]+/)", m.body).group(1) for m in mail.outbox]
    assert len(links) == 12
    # The list of addresses is gone once the emails have gone.
    assert not SentEmail.objects.filter(to__in=ADDRESSES).exists()

    doctor = another_page(javascript=javascript)
    for number, link in enumerate(links[:9]):
        _answer(doctor, base_url, link, check if number == 0 else no_check)
        if number == 0:
            check(doctor)
    page.reload()
    expect(page.locator("#results-not-shown")).to_be_visible()
    expect(page.locator("#results-shown")).to_have_count(0)

    _answer(doctor, base_url, links[9], no_check)
    page.reload()
    expect(page.locator("#results-shown")).to_be_visible()
    expect(page.locator("#results-not-shown")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("Agreeing: 100%")
    check(page)

    # A link works once.
    doctor.goto(base_url + links[0])
    expect(doctor.get_by_role("heading", level=1)).to_contain_text("This link has already been used")
    check(doctor)
    assert PulseResponse.objects.count() == 10


def test_a_pulse_sent_to_12_shows_nothing_after_9_answers_and_results_after_the_10th(
    page, another_page, live_server, trust_and_lead
):
    _pulse(page, another_page, live_server.url, trust_and_lead, javascript=True, check=assert_accessible)


def test_the_pulse_without_javascript(page_without_js, another_page, live_server, trust_and_lead):
    _pulse(page_without_js, another_page, live_server.url, trust_and_lead, javascript=False, check=no_check)


def _self_assessment(page, base_url, trust_and_lead, *, check):
    trust, lead = trust_and_lead
    sign_in(page, base_url, lead)
    page.get_by_role("link", name="Self-assessment against the guide").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment against the guide")
    check(page)
    page.get_by_role("link", name=re.compile(r"Rate\s*: Doctors can talk with peers")).click()
    check(page)
    page.get_by_label("Not yet").check()
    page.get_by_label("Your evidence").fill("We have no peer group and no list of peer supporters.")
    page.get_by_role("button", name="Save the rating").click()
    expect(page.locator("body")).to_contain_text("Your rating is saved.")

    page.get_by_role("link", name="Action plan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan")
    check(page)
    page.get_by_role("link", name=re.compile(r"Add an action\s*for: Doctors can talk with peers")).click()
    check(page)
    due = dt.date.today() + dt.timedelta(days=14)
    page.get_by_label("What will be done").fill("Start a monthly peer group for consultants")
    page.get_by_label("Who owns it").fill("Dr Kim Partner")
    page.get_by_label("Their email address").fill("kim.partner@vale.example.test")
    page.get_by_label("Due by").fill(f"{due.day}/{due.month}/{due.year}")
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("body")).to_contain_text("Start a monthly peer group for consultants")
    check(page)

    page.get_by_role("link", name="Start a monthly peer group for consultants").click()
    check(page)
    page.get_by_label("In progress").check()
    page.get_by_label("Note on progress (optional)").fill("First meeting booked")
    page.get_by_role("button", name="Save progress").click()
    expect(page.locator("body")).to_contain_text("In progress: First meeting booked")

    page.get_by_role("link", name="Summary for the board").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Culture and the guide: summary for the board")
    check(page)
    page.get_by_role("link", name="History of ratings").count()  # reachable from the self-assessment

    # The daily job, on the day the action falls due (time frozen), reminds its owner once.
    action = Action.objects.get()
    assert action.due_on == due
    mail.outbox.clear()
    with time_machine.travel(dt.datetime.combine(due, dt.time(7, 30)), tick=False):
        tasks.daily()
        tasks.daily()
    assert [m.to for m in mail.outbox] == [["kim.partner@vale.example.test"]]
    assert "Start a monthly peer group for consultants" in mail.outbox[0].body


def test_a_self_assessment_gap_becomes_an_action_whose_owner_is_reminded_when_due(page, live_server, trust_and_lead):
    _self_assessment(page, live_server.url, trust_and_lead, check=assert_accessible)


def test_the_self_assessment_without_javascript(page_without_js, live_server, trust_and_lead):
    _self_assessment(page_without_js, live_server.url, trust_and_lead, check=no_check)


def test_a_signpost_and_the_guide(page, another_page, live_server, world):
    base_url = live_server.url
    sign_in(page, base_url, world.referrer)
    page.goto(base_url + "/signposts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signposts to support")
    assert_accessible(page)
    page.get_by_role("link", name="Make a signpost").click()
    assert_accessible(page)
    page.get_by_label("Appraiser").check()
    page.get_by_role("button", name="Make the signpost").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support is there if you want it")
    expect(page.get_by_role("img", name="QR code that opens the same link")).to_be_visible()
    assert_accessible(page)
    link = page.locator("a.app-break-words, .app-break-words a").first.get_attribute("href")

    doctor = another_page()
    doctor.goto(link.replace("http://127.0.0.1:8000", base_url))
    expect(doctor.get_by_role("heading", level=1)).to_have_text("Support is there if you want it")
    assert_accessible(doctor)
    doctor.get_by_role("link", name="Ask for support").click()
    expect(doctor).to_have_url(re.compile(r"/ask-for-support/\?via=signpost$"))
    assert_accessible(doctor)

    doctor.goto(base_url + "/guide/")
    expect(doctor.get_by_role("heading", level=1)).to_have_text("The guide to professional support")
    assert_accessible(doctor)
    doctor.get_by_role("link", name="Trust and psychological safety make candid conversations possible").first.click()
    assert_accessible(doctor)


def test_the_evidence_panel_on_a_stage_page_is_accessible(page, live_server, world):
    sign_in(page, live_server.url, world.case_manager)
    page.goto(f"{live_server.url}/cases/requests/{world.self_request.reference}/")
    expect(page.get_by_role("region", name="What the evidence says: routes in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Read the guide on this principle").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Culture shapes whether doctors ask for help")
