"""In a real browser, with and without JavaScript: the case manager moves a milestone's date with a reason and
the doctor reads it on both their pages; the case is handed over to a service by name; the doctor's
feedback reaches the case manager as far as the doctor allows, and the offer to be a peer supporter is
listed for the service."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.casework.models import Stage
from supportpath.facilitation import services as facilitation
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

from .conftest import assessed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _long(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _walk(page, base_url, world, *, check):
    today = timezone.localdate()
    assessed(world.case, today - dt.timedelta(days=10))
    facilitation.accept(world.allocation)
    world.case.refresh_from_db()
    world.case.stage = Stage.SUPPORT
    world.case.save()
    f.agreed_plan(
        world.case,
        by=world.case_manager,
        milestones=[("Teach a junior", today + dt.timedelta(days=2))],
        review_dates=[today + dt.timedelta(days=40)],
    )
    new_day = today + dt.timedelta(days=16)
    body = page.locator("body")
    case_url = base_url + reverse("pathway:case_detail", args=[world.case.pk])

    # The case manager sees the milestone will be missed, and moves it with a reason.
    sign_in(page, base_url, world.case_manager)
    page.goto(case_url)
    check(page)
    page.get_by_role("link", name="Set a new date for Milestone: Teach a junior").click()
    check(page)
    expect(page.get_by_label("Milestone: Teach a junior", exact=False)).to_be_checked()
    page.get_by_label("New date").fill(_uk(new_day))
    page.get_by_role("button", name="Save the new date").click()
    expect(body).to_contain_text("Enter why the date has moved, in words the doctor will read")
    check(page)
    expect(page.get_by_label("New date")).to_have_value(_uk(new_day))
    page.get_by_label("Why has the date moved?").fill("The teaching list for that week is already full.")
    page.get_by_role("button", name="Save the new date").click()
    expect(body).to_contain_text("The new date is saved. The doctor has been told")
    expect(body).to_contain_text("Reason given: The teaching list for that week is already full.")
    check(page)
    page.context.clear_cookies()

    # The doctor reads the new date and why, on both their pages.
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("referrals:my_support"))
    check(page)
    expect(body).to_contain_text(f"Your next milestone, \u201cTeach a junior\u201d, is planned for {_long(new_day)}")
    page.get_by_role("link", name="Your conversation, sessions and plan").first.click()
    check(page)
    expect(body).to_contain_text(f"new date: {_long(new_day)}")
    expect(body).to_contain_text("The teaching list for that week is already full.")
    page.context.clear_cookies()

    # The case manager hands the doctor over to a service by its name.
    sign_in(page, base_url, world.case_manager)
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    check(page)
    page.get_by_label("Handed over to another service").check()
    page.get_by_label("If handed over, to which service?").select_option("other")
    page.get_by_role("button", name="Close the case").click()
    expect(body).to_contain_text("Enter the name of the service the doctor is handed over to")
    check(page)
    page.get_by_label("If another service, what is it called?").fill("Fenland Doctors' Wellbeing Hub")
    page.get_by_label("If handed over, why is this service a better fit?").fill("It runs groups near home.")
    page.get_by_label("The doctor agrees to the handover").check()
    page.get_by_role("button", name="Close the case").click()
    expect(body).to_contain_text("The case is closed")
    expect(body).to_contain_text("handed over to Fenland Doctors' Wellbeing Hub")
    check(page)
    page.context.clear_cookies()

    # The doctor looks back, keeps their account to themselves, and offers to be a peer supporter.
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("referrals:my_support"))
    expect(body).to_contain_text("We have passed your request to Fenland Doctors' Wellbeing Hub")
    page.goto(base_url + reverse("pathway:my_case", args=[world.case.pk]))
    expect(body).not_to_contain_text("Ask for another time")
    page.get_by_role("link", name="Tell us what changed and how the support felt").click()
    check(page)
    page.get_by_label("In your own words, what has changed for you?").fill("I ask for help sooner.")
    page.get_by_label("No, keep it to myself").check()
    page.get_by_role("group", name="I felt safe to be open").get_by_label("Strongly agree").check()
    page.get_by_label("Yes, please get in touch").check()
    page.get_by_role("button", name="Send").click()
    expect(body).to_contain_text("Thank you. What you told us helps")
    page.context.clear_cookies()

    # The case manager reads what the doctor allowed, and finds the offer in the service's list.
    sign_in(page, base_url, world.case_manager)
    page.goto(case_url)
    expect(body).to_contain_text("They chose to keep this to themselves.")
    expect(body).not_to_contain_text("I ask for help sooner.")
    expect(body).to_contain_text("Strongly agree")
    page.get_by_role("link", name="Doctors who have offered to be peer supporters").click()
    check(page)
    expect(body).to_contain_text(world.doctor.full_name)
    expect(body).to_contain_text(world.doctor.email)


def test_new_dates_handover_and_feedback(page, live_server, world):
    _walk(page, live_server.url, world, check=assert_accessible)


def test_new_dates_handover_and_feedback_without_javascript(page_without_js, live_server, world):
    _walk(page_without_js, live_server.url, world, check=lambda page: None)
