"""The whole pathway in a real browser: conversation and needs, a plan the doctor agrees, a facilitator
allocated who accepts, a session, a review with the doctor's reflection, closure and the doctor's feedback."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.plans import services as plans
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _walk_the_whole_pathway(page, base_url, world, *, check):
    world.allocation.delete()  # the case manager chooses the facilitator in the browser
    plans.seed_interventions(world.service)
    today = timezone.localdate()
    body = page.locator("body")
    case_url = base_url + reverse("pathway:case_detail", args=[world.case.pk])

    # The case manager arranges the first conversation, records the needs and drafts the plan.
    sign_in(page, base_url, world.case_manager)
    page.goto(case_url)
    check(page)
    page.get_by_role("link", name="Arrange the conversation").click()
    page.get_by_label("Date of the conversation").fill(_uk(today + dt.timedelta(days=3)))
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Video call").check()
    page.get_by_label("Joining link").fill("https://meet.example.org/first")
    page.get_by_role("button", name="Arrange conversation").click()
    expect(body).to_contain_text("The conversation is arranged")
    page.get_by_role("link", name="Record the needs assessment").click()
    page.get_by_label("Date of the conversation").fill(_uk(today))
    page.get_by_label("Career advice or planning").check()
    page.get_by_label("The doctor's goals, in their own words").fill("Lead ward rounds with confidence.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save needs assessment").click()
    expect(body).to_contain_text("The needs assessment is saved")

    page.goto(base_url + reverse("plans:plan_detail", args=[world.case.pk]))
    page.get_by_role("link", name="Start the plan").click()
    page.locator("#id_goals-0-text").fill("Lead the ward round with confidence")
    for level, words in zip(
        ["minus_2", "minus_1", "0", "plus_1", "plus_2"],
        ["Avoiding ward rounds", "Leading with a senior", "Leading two a week alone", "Leading all alone", "Teaching"],
        strict=True,
    ):
        page.locator(f"#id_goals-0-level_{level}").fill(words)
    page.locator("#id_milestones-0-text").fill("First ward round led alone")
    page.locator("#id_milestones-0-due").fill(_uk(today + dt.timedelta(days=30)))
    page.get_by_label("Review dates").fill(_uk(today + dt.timedelta(days=42)))
    page.get_by_role("button", name="Save the draft").click()
    expect(body).to_contain_text("The plan is saved as a draft")
    page.get_by_role("link", name="Share the plan with the doctor").click()
    page.get_by_role("button", name="Share the plan").click()
    expect(body).to_contain_text("The plan is shared")
    page.context.clear_cookies()

    # The doctor agrees the plan and says what they would like in a facilitator.
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("plans:my_plan", args=[world.case.pk]))
    page.get_by_role("link", name="Agree this plan").last.click()  # at the end of the plan, read through
    page.get_by_label("I have read this plan and I agree it").check()
    page.get_by_role("button", name="Agree the plan").click()
    expect(body).to_contain_text("You have agreed your support plan")
    page.goto(base_url + reverse("pathway:my_case", args=[world.case.pk]))
    page.get_by_role("link", name="Your facilitator").click()
    check(page)
    page.get_by_role("link", name="Tell us what you would like").click()
    check(page)
    page.get_by_label("A woman").check()
    page.get_by_role("group", name="Would you like to meet in person?").get_by_label("Yes").check()
    page.get_by_role("group", name="Would you like a facilitator who").get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(body).to_contain_text("Your case manager will bear this in mind")
    page.context.clear_cookies()

    # The case manager allocates a facilitator from the suggestions.
    sign_in(page, base_url, world.case_manager)
    page.goto(case_url)
    page.get_by_role("link", name="Choose a facilitator").click()
    check(page)
    expect(body).to_contain_text("Meeting in person")
    page.get_by_label("Fay Coach, coach").check()
    page.get_by_role("button", name="Ask this facilitator").click()
    expect(body).to_contain_text("Fay Coach has been asked to take the case")
    page.context.clear_cookies()

    # The facilitator accepts, records a session and a review.
    sign_in(page, base_url, world.facilitator)
    expect(page.get_by_role("heading", name="Your cases")).to_be_visible()
    check(page)
    page.get_by_role("link", name=f"Case {world.self_request.reference}").click()
    check(page)
    page.get_by_label("Yes, I accept this case").check()
    page.get_by_role("button", name="Send your answer").click()
    expect(body).to_contain_text("You have accepted the case")
    check(page)
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Date of the session").fill(_uk(today))
    page.get_by_label("Video call").check()
    page.get_by_label("Attended", exact=True).check()
    page.get_by_label("Summary for the doctor").fill("We planned the first ward round together.")
    page.get_by_role("button", name="Save session").click()
    expect(body).to_contain_text("The session is recorded")
    page.get_by_role("link", name="Record a review").click()
    check(page)
    page.get_by_role("button", name="Save review").click()
    expect(body).to_contain_text("Score goal 1")
    check(page)
    page.get_by_label("Date of the review").fill(_uk(today))
    page.get_by_label("+1: Leading all alone").check()
    page.get_by_role("button", name="Save review").click()
    expect(body).to_contain_text("The review is recorded")
    check(page)
    page.context.clear_cookies()

    # The doctor reflects on the review.
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("pathway:my_case", args=[world.case.pk]))
    check(page)
    expect(body).to_contain_text("We planned the first ward round together.")
    expect(body).to_contain_text("Fay Coach")
    page.get_by_role("link", name="Add your reflection").click()
    check(page)
    page.get_by_label("Your reflection").fill("I feel steadier on the ward.")
    page.get_by_role("button", name="Save your reflection").click()
    expect(body).to_contain_text("Your reflection is saved")
    page.context.clear_cookies()

    # The case manager closes the case; the doctor looks back on it.
    sign_in(page, base_url, world.case_manager)
    page.goto(case_url)
    expect(body).to_contain_text("I feel steadier on the ward.")
    page.get_by_role("link", name="Close the case").click()
    check(page)
    page.get_by_label("The goals were met").check()
    page.get_by_role("button", name="Close the case").click()
    expect(body).to_contain_text("The case is closed")
    check(page)
    page.context.clear_cookies()

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("pathway:my_case", args=[world.case.pk]))
    expect(body).to_contain_text("Your support has ended")
    page.get_by_role("link", name="Tell us what changed and how the support felt").click()
    check(page)
    page.get_by_label("In your own words, what has changed for you?").fill("I lead ward rounds now.")
    page.get_by_label("Yes, they may read it").check()  # nothing is chosen for the doctor
    page.get_by_role("group", name="I felt safe to be open").get_by_label("Strongly agree").check()
    page.get_by_label("Maybe later").check()
    page.get_by_role("button", name="Send").click()
    expect(body).to_contain_text("Thank you. What you told us helps")


def test_the_whole_pathway(page, live_server, world):
    _walk_the_whole_pathway(page, live_server.url, world, check=assert_accessible)


def test_the_whole_pathway_without_javascript(page_without_js, live_server, world):
    _walk_the_whole_pathway(page_without_js, live_server.url, world, check=lambda page: None)
