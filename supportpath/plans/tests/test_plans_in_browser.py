import pytest
from django.urls import reverse
from playwright.sync_api import expect

from supportpath.plans import services
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _make_and_agree_a_plan(page, base_url, world, *, check_accessibility: bool):
    check = assert_accessible if check_accessibility else (lambda page: None)
    services.seed_interventions(world.service)
    plan_url = base_url + reverse("plans:plan_detail", args=[world.case.pk])

    sign_in(page, base_url, world.case_manager)
    page.goto(plan_url)
    check(page)
    page.get_by_role("link", name="Start the plan").click()
    check(page)
    page.get_by_role("button", name="Save the draft").click()
    # A blank form is a valid empty draft; sharing it is refused until there is a goal.
    page.goto(plan_url)
    page.get_by_role("link", name="Change the draft").click()
    page.locator("#id_goals-0-text").fill("Lead the ward round with confidence")
    page.locator("#id_goals-0-level_minus_2").fill("Avoiding ward rounds")
    page.locator("#id_goals-0-level_minus_1").fill("Leading with a senior beside me")
    page.locator("#id_goals-0-level_0").fill("Leading two ward rounds a week on my own")
    page.locator("#id_goals-0-level_plus_1").fill("Leading every ward round on my own")
    page.locator("#id_goals-0-level_plus_2").fill("Teaching juniors to lead one")
    page.locator("#id_interventions-0-intervention").select_option(label="Coaching")
    page.locator("#id_interventions-0-note").fill("Six sessions, fortnightly")
    page.locator("#id_milestones-0-text").fill("First ward round led alone")
    page.locator("#id_milestones-0-due").fill("01/02/2030")
    page.get_by_label("Review dates").fill("15/01/2030")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("body")).to_contain_text("The plan is saved as a draft")
    check(page)
    page.get_by_role("link", name="Share the plan with the doctor").click()
    check(page)
    page.get_by_role("button", name="Share the plan").click()
    expect(page.locator("body")).to_contain_text("The plan is shared")
    page.context.clear_cookies()

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("plans:my_plan", args=[world.case.pk]))
    check(page)
    expect(page.locator("body")).to_contain_text("Leading two ward rounds a week on my own")
    # The catalogue's description for doctors, as it was when the plan was saved.
    expect(page.locator("body")).to_contain_text("A trained coach helps you think through what you would like")
    expect(page.locator("body")).to_contain_text("Who provides it: The unit's coaching team")
    page.get_by_role("link", name="Agree this plan").last.click()  # at the end of the plan, read through
    check(page)
    page.get_by_role("button", name="Agree the plan").click()
    expect(page.locator("body")).to_contain_text("Tick the box to confirm")
    check(page)
    page.get_by_label("I have read this plan and I agree it").check()
    page.get_by_role("button", name="Agree the plan").click()
    expect(page.locator("body")).to_contain_text("You have agreed your support plan")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 1 as a PDF").click()
    assert download.value.suggested_filename == "support-plan-version-1.pdf"
    page.context.clear_cookies()

    sign_in(page, base_url, world.case_manager)
    page.goto(plan_url)
    page.get_by_role("link", name="Change the plan (this makes a new version)").click()
    page.locator("#id_goals-1-text").fill("Speak up at the team huddle")
    for level in ["minus_2", "minus_1", "0", "plus_1", "plus_2"]:
        page.locator(f"#id_goals-1-level_{level}").fill(f"Huddle level {level}")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("body")).to_contain_text("What changed since version 1")
    page.get_by_role("link", name="Share the plan with the doctor").click()
    page.get_by_role("button", name="Share the plan").click()
    page.context.clear_cookies()

    sign_in(page, base_url, world.doctor)
    page.goto(base_url + reverse("plans:my_plan", args=[world.case.pk]))
    check(page)
    expect(page.locator("body")).to_contain_text("What changed since version 1")
    expect(page.locator("body")).to_contain_text("Added goal: Speak up at the team huddle")
    page.get_by_role("link", name="Ask for changes").last.click()
    check(page)
    page.get_by_label("What would you like to change?").fill("Could the huddle goal start next month?")
    page.get_by_role("button", name="Send to my case manager").click()
    expect(page.locator("body")).to_contain_text("Your case manager will read your comments")
    page.context.clear_cookies()

    sign_in(page, base_url, world.case_manager)
    page.goto(plan_url)
    changes = page.locator(".nhsuk-inset-text").filter(has_text="The doctor asked for changes")
    expect(changes.get_by_role("heading", name="The doctor asked for changes")).to_be_visible()
    expect(changes).to_contain_text("Could the huddle goal start next month?")
    expect(changes).not_to_contain_text("<h2")
    check(page)


def test_a_plan_is_drafted_shared_agreed_downloaded_and_changed(page, live_server, world):
    _make_and_agree_a_plan(page, live_server.url, world, check_accessibility=True)


def test_the_same_journey_works_without_javascript(page_without_js, live_server, world):
    _make_and_agree_a_plan(page_without_js, live_server.url, world, check_accessibility=False)
