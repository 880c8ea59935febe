import uuid

import pytest
from django.urls import reverse

from supportpath.records import erasure
from supportpath.referrals.models import SupportRequest
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ask(page, base_url, world, check) -> None:
    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("referrals:my_support"))
    page.get_by_role("link", name="Ask for your record to be erased").click()
    check(page)
    page.get_by_label("Is there anything you would like the service to know? (optional)").fill("Everything, please.")
    page.get_by_role("button", name="Ask for my record to be erased").click()
    page.wait_for_url("**/erase-my-record/sent/")
    assert "Your request has been sent" in page.content()
    check(page)


def _erase(page, base_url, admin, check) -> None:
    sign_in(page, base_url, admin)
    page.goto(base_url + reverse("records:records_and_retention"))
    check(page)
    page.get_by_role("link", name="ER-").first.click()
    assert "Dr Ada Example" in page.content()
    check(page)
    page.get_by_role("button", name="Save decision").click()
    assert "Select whether to erase the records or keep them" in page.content()
    check(page)
    page.get_by_label("Erase these records").check()
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url("**/records-and-retention/")
    assert "The records are erased" in page.content()
    check(page)


def _keep_and_read_why(admin_page, doctor_page, base_url, world, admin, check) -> None:
    erasure.ask(world.doctor.doctor_profile, note="", token=uuid.uuid4())
    sign_in(admin_page, base_url, admin)
    admin_page.goto(base_url + reverse("records:records_and_retention"))
    admin_page.get_by_role("link", name="ER-").first.click()
    admin_page.get_by_label("Keep them, and tell the doctor why").check()
    admin_page.get_by_role("button", name="Save decision").click()
    assert "Tell the doctor why their records are kept" in admin_page.content()
    check(admin_page)
    admin_page.get_by_label("Why the records are kept").fill(
        "Your support is part of a mandated process that needs it."
    )
    admin_page.get_by_role("button", name="Save decision").click()
    assert "The records are kept" in admin_page.content()

    sign_in(doctor_page, base_url, world.doctor)
    doctor_page.goto(base_url + reverse("records:erasure"))
    assert "part of a mandated process that needs it" in doctor_page.content()
    check(doctor_page)


def _close_own_account(page, base_url, world, check) -> None:
    sign_in(page, base_url, world.other_doctor)
    page.goto(base_url + reverse("records:erasure"))
    check(page)
    page.get_by_role("button", name="Close my account").click()
    assert "Confirm that you understand" in page.content()
    check(page)
    page.get_by_label("I understand that my account will be closed").check()
    page.get_by_role("button", name="Close my account").click()
    page.wait_for_url("**/account-closed/")
    check(page)


def test_a_doctor_asks_for_erasure_and_the_service_admin_carries_it_out(
    page, browser, live_server, world, service_admin
):
    _ask(page, live_server.url, world, assert_accessible)
    context = browser.new_context(bypass_csp=True)
    _erase(context.new_page(), live_server.url, service_admin, assert_accessible)
    context.close()
    assert not SupportRequest.objects.filter(pk=world.self_request.pk).exists()
    page.goto(live_server.url + reverse("referrals:my_support"))
    assert "/account/sign-in/" in page.url  # the account is closed: signed out for good


def test_asking_and_erasing_work_without_javascript(page_without_js, browser, live_server, world, service_admin):
    _ask(page_without_js, live_server.url, world, lambda page: None)
    context = browser.new_context(java_script_enabled=False)
    _erase(context.new_page(), live_server.url, service_admin, lambda page: None)
    context.close()
    assert not SupportRequest.objects.filter(pk=world.self_request.pk).exists()


@pytest.mark.parametrize("javascript", [True, False])
def test_keeping_the_record_and_the_doctor_reading_why(browser, live_server, world, service_admin, javascript):
    admin_context = browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    doctor_context = browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    check = assert_accessible if javascript else (lambda page: None)
    _keep_and_read_why(
        admin_context.new_page(), doctor_context.new_page(), live_server.url, world, service_admin, check
    )
    admin_context.close()
    doctor_context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_doctor_with_nothing_held_closes_their_account(browser, live_server, world, javascript):
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    _close_own_account(context.new_page(), live_server.url, world, assert_accessible if javascript else lambda p: None)
    context.close()
