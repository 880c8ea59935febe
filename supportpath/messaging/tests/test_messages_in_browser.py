"""A doctor and their case manager exchange secure messages: each is emailed only that there is one; the doctor
sees the read in "Who has seen my record". Every page passes axe, and the same works without JavaScript."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from supportpath.messaging.models import Message
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCTOR_WROTE = "The rota change has made things worse. Could we talk this week?"
MANAGER_WROTE = "Thank you for telling me. I can ring you on Thursday after 6pm."


def _exchange(doctor_page, staff_page, base_url, world, *, check):
    world.case_manager.work_phone = "0113 496 0000"
    world.case_manager.save()
    sign_in(doctor_page, base_url, world.doctor)
    doctor_page.goto(f"{base_url}/my-support/")
    doctor_page.get_by_role("link", name=re.compile("Messages with your support team")).first.click()
    expect(doctor_page.get_by_role("heading", name=re.compile("Messages with"))).to_be_visible()
    expect(doctor_page.locator("body")).to_contain_text("0113 496 0000")  # the team's work contact details
    check(doctor_page)
    doctor_page.get_by_role("button", name="Send message").click()  # nothing typed
    expect(doctor_page.locator(".nhsuk-error-summary")).to_contain_text("Enter your message")
    check(doctor_page)
    doctor_page.get_by_label("Write a message").fill(DOCTOR_WROTE)
    doctor_page.get_by_role("button", name="Send message").click()
    expect(doctor_page.locator("body")).to_contain_text("Your message is sent.")
    expect(doctor_page.locator("body")).to_contain_text(DOCTOR_WROTE)
    check(doctor_page)

    told = [m for m in mail.outbox if m.to == [world.case_manager.email]]
    assert len(told) == 1 and told[0].subject == "You have a new message"
    assert "rota" not in told[0].body and world.doctor.full_name not in told[0].body

    sign_in(staff_page, base_url, world.case_manager)
    staff_page.goto(f"{base_url}/messages/")
    expect(staff_page.locator("body")).to_contain_text("1 new")
    check(staff_page)
    staff_page.goto(f"{base_url}/support/cases/{world.case.pk}/")
    staff_page.get_by_role("link", name="Messages with the doctor").click()
    expect(staff_page.locator("body")).to_contain_text(DOCTOR_WROTE)
    check(staff_page)
    staff_page.get_by_label("Write a message").fill(MANAGER_WROTE)
    staff_page.get_by_role("button", name="Send message").click()
    expect(staff_page.locator("body")).to_contain_text("Your message is sent.")
    check(staff_page)
    staff_page.get_by_role("link", name="The doctor's contact details and preferred times").click()
    expect(staff_page.get_by_role("heading", name=re.compile("How to contact"))).to_be_visible()
    check(staff_page)

    told = [m for m in mail.outbox if m.to == [world.doctor.email]]
    assert len(told) == 1 and "Thursday" not in told[0].body
    assert Message.objects.count() == 2

    doctor_page.reload()
    expect(doctor_page.locator("body")).to_contain_text(MANAGER_WROTE)
    doctor_page.goto(f"{base_url}/my-support/who-has-seen-my-record/")
    expect(doctor_page.locator("body")).to_contain_text(f"Messages about request {world.self_request.reference}")
    expect(doctor_page.locator("body")).to_contain_text(f"Contact details ({world.self_request.reference})")
    check(doctor_page)


def test_a_doctor_and_their_case_manager_exchange_messages(page, another_page, live_server, world):
    _exchange(page, another_page(), live_server.url, world, check=assert_accessible)


def test_the_same_exchange_works_without_javascript(page_without_js, another_page, live_server, world):
    _exchange(page_without_js, another_page(javascript=False), live_server.url, world, check=lambda page: None)
