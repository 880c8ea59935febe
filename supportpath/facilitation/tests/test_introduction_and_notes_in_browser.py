"""In a real browser: the doctor asks to meet their proposed facilitator first, the facilitator records the
introduction and accepts, writes private notes after a session; the doctor later changes facilitator, and the
former facilitator can still read their own notes (and nothing else of the case: the offer says only that it
happened). Every page axe-checked; the same journey without JavaScript."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _meet_first_then_change(page, base_url, world, *, check):
    today = timezone.localdate()
    body = page.locator("body")
    my_facilitator = base_url + reverse("facilitation:my_facilitator", args=[world.case.pk])

    sign_in(page, base_url, world.doctor)
    page.goto(my_facilitator)
    check(page)
    page.get_by_role("button", name="Ask for an introduction").click()
    expect(body).to_contain_text("We have asked Fay Coach to arrange a short introduction")
    page.context.clear_cookies()

    sign_in(page, base_url, world.facilitator)
    page.get_by_role("link", name=f"Case {world.self_request.reference}").click()
    check(page)
    page.get_by_role("link", name="Record the introduction").click()
    check(page)
    page.get_by_role("button", name="Save").click()
    expect(body).to_contain_text("Select whether the introduction took place")
    check(page)
    page.get_by_label("It took place").check()
    page.get_by_label("Date of the introduction").fill(_uk(today))
    page.get_by_role("button", name="Save").click()
    expect(body).to_contain_text("The introduction is recorded")
    check(page)
    page.get_by_label("Yes, I accept this case").check()
    page.get_by_role("button", name="Send your answer").click()
    expect(body).to_contain_text("You have accepted the case")
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Date of the session").fill(_uk(today))
    page.get_by_label("Video call").check()
    page.get_by_label("Attended", exact=True).check()
    page.get_by_label("Summary for the doctor").fill("We talked about what matters most.")
    page.get_by_label("Your private notes").fill("Private: ask about sleep next time.")
    page.get_by_role("button", name="Save session").click()
    expect(body).to_contain_text("The session is recorded")
    page.context.clear_cookies()

    sign_in(page, base_url, world.doctor)
    page.goto(my_facilitator)
    expect(body).to_contain_text("You met Fay Coach for a short introduction on")
    check(page)
    page.get_by_role("link", name="Change facilitator").click()
    page.get_by_role("button", name="Change facilitator").click()
    expect(body).to_contain_text("Your case manager will find you a different facilitator")
    page.context.clear_cookies()

    sign_in(page, base_url, world.facilitator)
    page.get_by_role("link", name=f"Your private notes on case {world.self_request.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your private notes")
    expect(body).to_contain_text("Private: ask about sleep next time.")
    expect(body).to_contain_text("You no longer support this doctor")
    expect(body).not_to_contain_text("We talked about what matters most.")
    check(page)

    # The offer itself now says only that it happened: its page is gone, their list names the case and outcome.
    page.goto(base_url + reverse("facilitation:my_allocations"))
    expect(body).to_contain_text(f"Case {world.self_request.reference}: ended")
    expect(body).not_to_contain_text(world.doctor.full_name)
    check(page)
    assert page.goto(base_url + reverse("facilitation:respond", args=[world.allocation.pk])).status == 404
    assert page.goto(base_url + reverse("pathway:case_detail", args=[world.case.pk])).status == 404


def test_meeting_first_and_keeping_ones_own_notes(page, live_server, world):
    _meet_first_then_change(page, live_server.url, world, check=assert_accessible)


def test_the_same_without_javascript(page_without_js, live_server, world):
    _meet_first_then_change(page_without_js, live_server.url, world, check=lambda page: None)
