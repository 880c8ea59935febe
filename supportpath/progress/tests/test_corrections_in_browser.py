"""Corrections end to end in a browser, at desktop and phone widths: the facilitator corrects a review and the
case manager the needs assessment (a date before the request was accepted refused with a clear message); the
case shows what changed; axe finds nothing; the review's correction works without JavaScript too."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from supportpath.casework.models import Case
from supportpath.pathway import services as pathway
from supportpath.progress import services as progress
from supportpath.progress.models import ReviewVersion
from supportpath.testing.browser import assert_accessible, sign_in

from .test_progress import NOW, supported  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def with_review(supported):  # noqa: F811
    world = supported
    Case.objects.filter(pk=world.case.pk).update(opened_at=NOW - dt.timedelta(days=14))
    with time_machine.travel(NOW, tick=False):
        pathway.save_needs_assessment(
            world.case,
            by=world.case_manager,
            data={
                "conversation_held_on": (NOW - dt.timedelta(days=10)).date(),
                "presenting_issues": ["career"],
                "individual_factors": "",
                "team_factors": "A new team, little feedback.",
                "structural_factors": "",
                "cultural_factors": "",
                "strengths": "",
                "doctor_goals": "Lead the ward round.",
                "mandated": False,
                "staff_notes": "",
            },
            based_on_version=None,
        )
        progress.record_review(
            world.case, by=world.facilitator, held_on=NOW.date(), levels=[0, 0], notes="Going well.", token=uuid.uuid4()
        )
    return world


def _details_open(page):
    for summary in page.locator(".nhsuk-details__summary-text", has_text="what changed").all():
        summary.click()


def test_a_review_and_the_needs_assessment_are_corrected_and_the_case_shows_what_changed(
    page, live_server, with_review
):
    world, base_url = with_review, live_server.url
    case_url = base_url + reverse("pathway:case_detail", args=[world.case.pk])
    with time_machine.travel(NOW, tick=True):
        sign_in(page, base_url, world.facilitator)
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.goto(case_url)
            page.get_by_role("link", name="Correct this review").click()
            assert_accessible(page)
            page.get_by_label("Date of the review").fill("10/11/2026")
            page.get_by_role("button", name="Save the correction").click()
            expect(page.locator(".nhsuk-error-summary")).to_contain_text(
                "cannot be before Monday 16 November 2026, the day the plan was agreed"
            )
            assert_accessible(page)
            page.get_by_label("Date of the review").fill("20/11/2026" if size is PHONE else "19/11/2026")
            page.get_by_label("+1: Lead the ward round: level 1").check()
            page.get_by_role("button", name="Save the correction").click()
            expect(page.locator("body")).to_contain_text("The review is corrected")
            _details_open(page)
            expect(page.locator("body")).to_contain_text("Goal 1: Lead the ward round")
            assert_accessible(page)
        assert ReviewVersion.objects.count() == 2

        sign_in(page, base_url, world.case_manager)
        page.set_viewport_size(PHONE)
        page.goto(case_url)
        expect(page.get_by_role("link", name="Correct this review")).to_have_count(0)
        page.get_by_role("link", name="Correct the needs assessment").click()
        assert_accessible(page)
        page.get_by_label("Date of the conversation").fill("02/11/2026")
        page.get_by_label("Team factors").fill("A new team; feedback now weekly.")
        page.get_by_role("button", name="Save needs assessment").click()
        expect(page.locator(".nhsuk-error-summary")).to_contain_text(
            "cannot be before Monday 9 November 2026, the day the request for support was accepted"
        )
        expect(page.get_by_label("Team factors")).to_have_value("A new team; feedback now weekly.")
        page.get_by_label("Date of the conversation").fill("12/11/2026")
        page.get_by_role("button", name="Save needs assessment").click()
        expect(page.locator("body")).to_contain_text("The needs assessment is saved")
        _details_open(page)
        expect(page.locator("body")).to_contain_text("A new team, little feedback.")
        expect(page.locator("body")).to_contain_text("Thursday 12 November 2026")
        assert_accessible(page)


def test_a_review_is_corrected_without_javascript(page_without_js, live_server, with_review):
    world, base_url, page = with_review, live_server.url, page_without_js
    with time_machine.travel(NOW, tick=True):
        sign_in(page, base_url, world.facilitator)
        page.goto(base_url + reverse("pathway:case_detail", args=[world.case.pk]))
        page.get_by_role("link", name="Correct this review").click()
        page.get_by_label("Notes for the doctor (optional)").fill("Going well; led one round.")
        page.get_by_role("button", name="Save the correction").click()
        expect(page.locator("body")).to_contain_text("The review is corrected")
        expect(page.locator("body")).to_contain_text("Going well; led one round.")
    assert ReviewVersion.objects.get().notes == "Going well."
