import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _walk_the_early_pathway(page, base_url, world, *, check_accessibility: bool):
    check = assert_accessible if check_accessibility else (lambda page: None)
    today = timezone.localdate()

    sign_in(page, base_url, world.case_manager)
    page.goto(base_url + reverse("pathway:case_detail", args=[world.case.pk]))
    check(page)
    page.get_by_role("link", name="Arrange the conversation").click()
    check(page)
    page.get_by_label("Date of the conversation").fill(_uk(today + dt.timedelta(days=7)))
    page.get_by_label("Time").fill("14:30")
    page.get_by_label("Video call").check()
    page.get_by_label("Joining link").fill("https://meet.example.org/first")
    page.get_by_role("button", name="Arrange conversation").click()
    expect(page.locator("body")).to_contain_text("The conversation is arranged")
    page.context.clear_cookies()

    # Before the conversation takes place, the doctor asks for another time.
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("pathway:my_case", args=[world.case.pk]))
    check(page)
    page.get_by_role("link", name="Ask for another time").click()
    check(page)
    page.get_by_label("When would suit you better?").fill("Any morning next week")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("body")).to_contain_text("Your case manager will get in touch")
    page.context.clear_cookies()

    # The case manager sees it, holds the conversation at a time that suits, and records what it found.
    sign_in(page, base_url, world.case_manager)
    page.goto(base_url + reverse("pathway:case_detail", args=[world.case.pk]))
    expect(page.locator("body")).to_contain_text("Any morning next week")
    page.get_by_role("link", name="Record the needs assessment").click()
    check(page)
    page.get_by_role("button", name="Save needs assessment").click()
    expect(page.locator("body")).to_contain_text("There is a problem")
    check(page)
    page.get_by_label("Date of the conversation").fill(_uk(today))
    page.get_by_label("Career advice or planning").check()
    page.get_by_label("The doctor's goals, in their own words").fill("Decide whether to change specialty.")
    page.get_by_label("Structural factors").fill("No protected time for training.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save needs assessment").click()
    expect(page.locator("body")).to_contain_text("The needs assessment is saved")
    page.context.clear_cookies()

    # Only after the first conversation does the case have a facilitator (DESIGN.md §2).
    world.case.refresh_from_db()
    world.case.facilitator = world.facilitator
    world.case.save(update_fields=["facilitator"])
    sign_in(page, base_url, world.facilitator)
    page.goto(base_url + reverse("pathway:record_session", args=[world.case.pk]))
    check(page)
    page.get_by_label("Date of the session").fill(_uk(today))
    page.get_by_label("Video call").check()
    page.get_by_label("Attended", exact=True).check()
    page.get_by_label("Summary for the doctor").fill("We mapped the options and what matters most.")
    page.get_by_label("Your private notes").fill("Private: follow up on sleep.")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("body")).to_contain_text("The session is recorded")
    page.context.clear_cookies()

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("pathway:my_case", args=[world.case.pk]))
    check(page)
    expect(page.locator("body")).to_contain_text("Decide whether to change specialty.")
    expect(page.locator("body")).to_contain_text("We mapped the options and what matters most.")
    expect(page.locator("body")).not_to_contain_text("Private: follow up on sleep.")
    # The conversation has taken place: there is no time left to change.
    expect(page.locator("body")).to_contain_text("It took place on")
    expect(page.get_by_role("link", name="Ask for another time")).to_have_count(0)


def test_early_pathway_with_javascript(page, live_server, world):
    _walk_the_early_pathway(page, live_server.url, world, check_accessibility=True)


def test_early_pathway_without_javascript(page_without_js, live_server, world):
    _walk_the_early_pathway(page_without_js, live_server.url, world, check_accessibility=False)
