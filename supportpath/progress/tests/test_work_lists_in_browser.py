"""In a real browser, on a fixed day: the case manager filters their accepted cases to the overdue ones, and the
facilitator's list shows a doctor by name with a milestone overdue and a review coming. Every page axe-checked;
the same without JavaScript (the filters are a plain GET form)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

from .conftest import NOW, TODAY, _in_support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lists_world(world):
    from supportpath.facilitation import services as facilitation

    with time_machine.travel(NOW, tick=False):
        _in_support(world, facilitation)
        request = f.SupportRequestFactory(
            doctor=world.other_doctor.doctor_profile, service=world.service, status="accepted"
        )
        on_time = f.CaseFactory(
            request=request,
            case_manager=world.case_manager,
            opened_at=NOW,
            initial_conversation_due=TODAY + dt.timedelta(days=9),
            plan_agreed_due=TODAY + dt.timedelta(days=30),
        )
    world.on_time = on_time
    return world


def _filter_and_look(page, base_url, world, *, check):
    body = page.locator("body")
    sign_in(page, base_url, world.case_manager)
    page.goto(base_url + reverse("casework:cases"))
    check(page)
    expect(body).to_contain_text("2 open cases, the next date due first")
    page.get_by_label("Overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(body).to_contain_text("1 open case, the next date due first")
    expect(page.get_by_label("Overdue")).to_be_checked()
    expect(body).to_contain_text(world.doctor.full_name)
    expect(body).not_to_contain_text(world.other_doctor.full_name)
    expect(body).to_contain_text("Overdue: no new date yet")
    check(page)
    page.get_by_role("link", name=world.self_request.reference).click()
    page.get_by_role("link", name="The contact log").click()
    check(page)
    page.context.clear_cookies()

    sign_in(page, base_url, world.facilitator)
    page.goto(base_url + reverse("facilitation:my_allocations"))
    row = page.get_by_role("row").filter(has_text=world.doctor.full_name)
    expect(row).to_contain_text("Milestone: First ward round alone, due Saturday 21 November 2026")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Thursday 3 December 2026")  # the next review
    check(page)


def test_work_lists_in_the_browser(page, live_server, lists_world):
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=True):
        _filter_and_look(page, live_server.url, lists_world, check=assert_accessible)


def test_work_lists_without_javascript(page_without_js, live_server, lists_world):
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=True):
        _filter_and_look(page_without_js, live_server.url, lists_world, check=lambda page: None)
