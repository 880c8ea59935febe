"""In a browser, with and without JavaScript, every page checked with axe: a doctor answers the check-in and
WHO-5 at a review and reads their results; a PHQ-9 with question 9 above 0 shows urgent help at once and
emails the case manager, and the case shows the alert until the case manager records the follow-up."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.measures.models import SafetyAlert, ServicePoints
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible as check
from supportpath.testing.browser import sign_in

from .conftest import record_first_conversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHO5 = [
    "More than half of the time",
    "Less than half of the time",
    "Less than half of the time",
    "Some of the time",
    "More than half of the time",
]  # 3, 2, 2, 1, 3
CHECK_IN = ["Agree", "Strongly agree", "Neither agree nor disagree", "Agree", "Agree"]


@pytest.fixture
def at_review(world):
    """world.case in support with a review just held; the service offers the check-in and WHO-5 at reviews."""
    from supportpath.facilitation import services as facilitation
    from supportpath.progress import services as progress

    record_first_conversation(world.case, world.case_manager)
    facilitation.accept(world.allocation)
    f.agreed_plan(world.case, by=world.case_manager, goals=[("Lead the ward round", 3, 2)])
    progress.record_review(
        world.case, by=world.facilitator, held_on=timezone.localdate(), levels=[0], notes="", token=uuid.uuid4()
    )
    ServicePoints.objects.create(
        service=world.service, points={"first": [], "review": ["check-in", "who-5"], "closure": []}
    )
    return world


def _answer(page, answers, assert_accessible):
    for choice in answers:
        assert_accessible(page)
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Save and continue").click()


def _review_journey(page, base_url, world, *, javascript: bool):
    def assert_accessible(page):
        if javascript:
            check(page)

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("referrals:my_support"))
    assert_accessible(page)
    page.get_by_role("link", name="Questionnaires for you to answer (2)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaires")
    expect(page.locator("body")).to_contain_text("Not a validated scale")
    assert_accessible(page)

    page.get_by_role("link", name="How your support feels: a check-in").click()
    expect(page.locator("body")).to_contain_text("Not a validated scale")
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I trust the people supporting me")
    # Nothing chosen: a clear message, nothing lost.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the answer that fits best")
    _answer(page, CHECK_IN, assert_accessible)
    expect(page.locator("body")).to_contain_text("There is no score")
    assert_accessible(page)
    page.get_by_role("button", name="Back to questionnaires").click()

    page.get_by_role("link", name="WHO-5 Well-Being Index").click()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("body")).to_contain_text("Over the last two weeks")
    _answer(page, WHO5, assert_accessible)
    expect(page.locator("body")).to_contain_text("44% (raw score 11 of 25)")
    expect(page.locator("body")).to_contain_text("Low well-being")
    assert_accessible(page)
    page.get_by_role("button", name="Back to questionnaires").click()
    page.get_by_role("link", name="Your results over time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results over time")
    expect(page.locator("svg.app-chart")).to_have_count(1)
    expect(page.locator("table").first).to_contain_text("44%")
    expect(page.locator("body")).to_contain_text("If you are worried")
    assert_accessible(page)


def test_a_doctor_answers_the_check_in_and_who5_at_a_review(page, live_server, at_review):
    _review_journey(page, live_server.url, at_review, javascript=True)


def test_answering_at_a_review_works_without_javascript(page_without_js, live_server, at_review):
    _review_journey(page_without_js, live_server.url, at_review, javascript=False)


def _safety_journey(page, staff_page, base_url, world, *, javascript: bool):
    def assert_accessible(page):
        if javascript:
            check(page)

    record_first_conversation(world.case, world.case_manager)
    mail.outbox.clear()
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("measures:my_measures"))
    page.get_by_role("link", name="Patient Health Questionnaire (PHQ-9)").click()
    page.get_by_role("button", name="Start").click()
    _answer(page, ["Not at all"] * 8 + ["Several days"], assert_accessible)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
    for number in ("tel:999", "tel:111", "tel:116123", "tel:03000303300"):
        expect(page.locator(f'a[href="{number}"]').first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Your case manager will be in touch")
    assert_accessible(page)

    [email] = [m for m in mail.outbox if m.to == [world.case_manager.email]]
    assert world.self_request.reference in email.body
    assert "Several days" not in email.body

    sign_in(staff_page, base_url, world.case_manager)
    staff_page.goto(base_url + reverse("pathway:case_detail", args=[world.case.pk]))
    expect(staff_page.locator("body")).to_contain_text("A safety answer waits for you")
    assert_accessible(staff_page)
    staff_page.get_by_role("link", name="Record the follow-up").first.click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Follow up a safety answer")
    assert_accessible(staff_page)
    staff_page.get_by_role("button", name="Record the follow-up").click()
    expect(staff_page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(staff_page)
    staff_page.get_by_label("When you followed it up").fill(timezone.localdate().strftime("%d/%m/%Y"))
    staff_page.get_by_label("What was done").fill("Phoned the doctor: safe, seeing their GP today.")
    staff_page.get_by_role("button", name="Record the follow-up").click()
    expect(staff_page.locator("body")).to_contain_text("The follow-up is recorded")
    expect(staff_page.locator("body")).not_to_contain_text("A safety answer waits for you")
    assert_accessible(staff_page)
    assert SafetyAlert.objects.get().followed_up_by == world.case_manager


def test_a_phq9_safety_answer_shows_urgent_help_and_waits_on_the_case(page, another_page, live_server, world):
    _safety_journey(page, another_page(), live_server.url, world, javascript=True)


def test_the_safety_net_works_without_javascript(page_without_js, another_page, live_server, world):
    _safety_journey(page_without_js, another_page(javascript=False), live_server.url, world, javascript=False)


def test_sharing_results_with_the_facilitator_and_the_staff_pages(page, another_page, live_server, world):
    """The doctor shares their results; the facilitator can then read them; the case manager's results page;
    the service admin's choices and a definition refused with clear messages. Every page checked with axe."""
    from supportpath.facilitation import services as facilitation
    from supportpath.measures import catalogue, offers, services
    from supportpath.measures.models import Point

    base_url = live_server.url
    record_first_conversation(world.case, world.case_manager)
    facilitation.accept(world.allocation)
    offer = offers.Offer(
        request=world.self_request, case=world.case, reached=offers.Reached(Point.FIRST_CONVERSATION, "first")
    )
    shipped = catalogue.ensure_shipped()
    services.record_answered(
        [
            services.Answered(offer, shipped["who-5"], {"1": 3, "2": 2, "3": 2, "4": 1, "5": 3}, timezone.now()),
            services.Answered(offer, shipped["check-in"], {str(i): 4 for i in range(1, 6)}, timezone.now()),
        ]
    )
    results = base_url + reverse("measures:case_results", args=[world.case.pk])

    coach = another_page()
    sign_in(coach, base_url, world.facilitator)
    coach.goto(results)
    expect(coach.get_by_role("heading", level=1)).to_have_text("Page not found")

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("measures:my_measures"))
    page.get_by_role("link", name="Choose whether your facilitator can see your results").click()
    check(page)
    expect(page.get_by_label("No")).to_be_checked()  # nothing shared until the doctor says so
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Your facilitator can now see your questionnaire results")
    check(page)

    coach.goto(results)
    expect(coach.locator("body")).to_contain_text("44% (raw score 11 of 25)")
    expect(coach.locator("body")).not_to_contain_text("Safety answers")
    check(coach)

    manager = another_page()
    sign_in(manager, base_url, world.case_manager)
    manager.goto(base_url + reverse("pathway:case_detail", args=[world.case.pk]))
    manager.get_by_role("link", name="The doctor's questionnaire results").click()
    expect(manager.locator("body")).to_contain_text("Not a validated scale")
    check(manager)

    admin = another_page()
    sign_in(admin, base_url, world.service_admin)
    admin.goto(base_url + reverse("service:home"))
    admin.get_by_role("link", name="Questionnaires").first.click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Questionnaires")
    check(admin)
    admin.get_by_role("link", name="Load another questionnaire").click()
    admin.get_by_label("The questionnaire's definition (FHIR R4 Questionnaire, as JSON)").fill(
        '{"resourceType": "Patient"}'
    )
    admin.get_by_role("button", name="Check and load").click()
    expect(admin.locator(".nhsuk-error-summary")).to_contain_text('"resourceType" must be "Questionnaire"')
    check(admin)
