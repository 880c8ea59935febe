"""In the browser, with and without JavaScript, every page checked with axe: an urgent self-referral is due in
one working day and emails every case manager (who records how it was dealt with); a doctor declines a
referral; a request closes as "no response" after recorded attempts; a paused case's targets move."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.accounts.models import Role
from supportpath.core.working_days import add_working_days, working_days_between
from supportpath.progress import targets
from supportpath.referrals.models import EndedAs, SupportRequest
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_CHECK = lambda page: None  # noqa: E731


def _answer_self_referral(page, check) -> None:
    """Answer each question of "Ask for support", in whatever order the journey asks them, up to "Check your
    answers"; the urgency question is answered yes."""
    for _ in range(10):
        check(page)
        heading = page.locator("h1").first.inner_text()
        if "Check your answers" in heading:
            return
        if "help with" in heading:
            page.get_by_label("Mental health or well-being").check()
        elif "own words" in heading:
            page.get_by_label("In your own words, what is happening?").fill("I am not coping with nights.")
        elif "contact you" in heading:
            page.get_by_label("Email", exact=True).check()
        elif "employer" in heading:
            page.get_by_role("group", name=re.compile("employer")).get_by_label("No", exact=True).check()
        elif "urgent" in heading.lower():
            page.get_by_label("Yes", exact=True).check()
            page.get_by_label("If yes, what makes it urgent? (optional)").fill("I do not feel safe tonight.")
        page.get_by_role("button", name="Continue").click()
    raise AssertionError("the questions did not lead to Check your answers")


def _urgent(page, staff_page, base_url, world, check):
    second = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER, user__full_name="Ola Manager").user
    sign_in(page, base_url, world.other_doctor)
    page.goto(base_url + "/ask-for-support/reasons/")
    _answer_self_referral(page, check)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    check(page)
    urgent = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile, urgent=True)
    due = add_working_days(timezone.localdate(urgent.submitted_at), 1)
    assert urgent.first_contact_due == due
    expect(page.locator("a[href='tel:999']").first).to_be_visible()
    for person in (world.case_manager, second):
        alert = [m for m in mail.outbox if m.to == [person.email] and "urgent" in m.subject]
        assert len(alert) == 1 and urgent.reference in alert[0].body and "Ben" not in alert[0].body

    sign_in(staff_page, base_url, world.case_manager)
    expect(staff_page.get_by_role("heading", name="New requests")).to_be_visible()
    check(staff_page)
    first = staff_page.locator("tbody tr").first
    expect(first).to_contain_text(urgent.reference)
    expect(first).to_contain_text("Urgent")
    first.get_by_role("link", name=urgent.reference).click()
    check(staff_page)
    staff_page.get_by_label("When was it dealt with?").fill(timezone.localdate().strftime("%d/%m/%Y"))
    staff_page.get_by_label("What was done?").fill("Rang her within the hour; she saw her GP the same day.")
    staff_page.get_by_role("button", name="Record how it was dealt with").click()
    expect(staff_page.locator("body")).to_contain_text("How the urgent request was dealt with is recorded.")
    check(staff_page)
    expect(staff_page.locator("body")).to_contain_text("she saw her GP the same day")


def test_an_urgent_self_referral_is_due_in_one_working_day_and_every_case_manager_hears(
    page, another_page, live_server, world
):
    _urgent(page, another_page(), live_server.url, world, assert_accessible)


def test_an_urgent_self_referral_works_without_javascript(page_without_js, another_page, live_server, world):
    _urgent(page_without_js, another_page(javascript=False), live_server.url, world, NO_CHECK)


def _decline(page, base_url, world, check):
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + "/my-support/")
    check(page)
    page.get_by_role("link", name="Decline this referral").click()
    expect(page.get_by_role("heading", name="Decline this referral")).to_be_visible()
    check(page)
    page.get_by_label("Would you like to tell us why? (optional)").fill("My college is already helping me.")
    page.get_by_role("button", name="Decline the referral").click()  # the question about sharing is unanswered
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check(page)
    expect(page.get_by_label("Would you like to tell us why? (optional)")).to_have_value(
        "My college is already helping me."
    )
    page.get_by_label("No, keep it between me and the service").check()
    page.get_by_role("button", name="Decline the referral").click()
    expect(page.get_by_role("heading", name="My support")).to_be_visible()
    check(page)
    expect(page.locator("body")).to_contain_text("You declined this referral")
    referral = SupportRequest.objects.get(pk=world.referral.pk)
    assert referral.ended_as == EndedAs.DECLINED and not referral.ending_reason_shared


def test_a_doctor_declines_a_referral(page, live_server, world):
    _decline(page, live_server.url, world, assert_accessible)


def test_declining_works_without_javascript(page_without_js, live_server, world):
    _decline(page_without_js, live_server.url, world, NO_CHECK)


def _no_response(page, base_url, world, check):
    reference = world.referral.reference
    sign_in(page, base_url, world.case_manager)
    page.goto(f"{base_url}/cases/requests/{reference}/")
    check(page)
    for method, outcome in (("Phone call", "Left a message"), ("Email", "Sent, no reply yet")):
        page.get_by_label("Date of the attempt").fill(timezone.localdate().strftime("%d/%m/%Y"))
        page.get_by_role("group", name="How did you try?").get_by_label(method, exact=True).check()
        page.get_by_label(outcome).check()
        page.get_by_role("button", name="Record the attempt").click()
        expect(page.locator("body")).to_contain_text("The attempt to make contact is recorded.")
        check(page)
    expect(page.locator("body")).to_contain_text("Attempts recorded so far: 2")
    page.get_by_role("link", name=re.compile("Close the request")).click()
    check(page)
    page.get_by_label(re.compile("No response")).check()
    page.get_by_label("Your message to the doctor").fill("We rang on Monday and emailed on Tuesday.")
    page.get_by_role("button", name="Close the request").click()
    expect(page.get_by_role("heading", name="New requests")).to_be_visible()
    check(page)
    closed = SupportRequest.objects.get(pk=world.referral.pk)
    assert closed.ended_as == EndedAs.NO_RESPONSE
    told = [m for m in mail.outbox if m.to == [world.doctor.email]]
    assert told and "We rang on Monday and emailed on Tuesday." in told[-1].body


def test_a_request_closes_as_no_response_after_recorded_attempts(page, live_server, world):
    _no_response(page, live_server.url, world, assert_accessible)


def test_closing_for_no_response_works_without_javascript(page_without_js, live_server, world):
    _no_response(page_without_js, live_server.url, world, NO_CHECK)


def _pause(page, base_url, world, check):
    case = world.case
    case.opened_at = timezone.now() - dt.timedelta(days=30)  # accepted a month ago
    case.save(update_fields=["opened_at"])
    today = timezone.localdate()
    started = today - dt.timedelta(days=14)
    before = targets.load_one(case).target("initial_conversation").due
    sign_in(page, base_url, world.case_manager)
    page.goto(base_url + "/cases/accepted/")
    check(page)
    page.get_by_role("link", name=case.request.reference).click()
    check(page)
    page.get_by_role("link", name=re.compile("Pause support")).click()
    expect(page.get_by_role("heading", name="Pause support")).to_be_visible()
    check(page)
    page.get_by_label("Exams").check()
    page.get_by_label("Date it pauses from").fill(started.strftime("%d/%m/%Y"))
    page.get_by_label("What the doctor reads (optional)").fill("Good luck with the exam: we pick up afterwards.")
    page.get_by_role("button", name="Pause support").click()
    expect(page.locator("body")).to_contain_text("Support is paused since")
    check(page)
    page.get_by_role("link", name="Start support again").click()
    check(page)
    page.get_by_label("Date support starts again").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Start support again").click()
    expect(page.locator("body")).to_contain_text("Support has started again")
    check(page)
    days = working_days_between(started, today)
    moved = add_working_days(before, days)
    assert targets.load_one(case).target("initial_conversation").due == moved
    expect(page.locator("body")).to_contain_text(f"Moved on {days} working day")


def test_a_paused_case_s_targets_move(page, live_server, world):
    _pause(page, live_server.url, world, assert_accessible)


def test_pausing_works_without_javascript(page_without_js, live_server, world):
    _pause(page_without_js, live_server.url, world, NO_CHECK)
