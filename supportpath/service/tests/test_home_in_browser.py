"""A service admin finds their pages: they land on their service's home, and the header's navigation takes them
to the interventions catalogue and the facilitators. Every page axe-checked; the same journey without JavaScript."""

import pytest
from playwright.sync_api import expect

from supportpath.accounts.models import Role
from supportpath.plans import services
from supportpath.plans.models import Intervention
from supportpath.testing import factories as f
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _run_the_service(page, base_url, world, *, check):
    services.seed_interventions(world.service)
    admin = f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN, user__full_name="Sam Admin").user
    body = page.locator("body")
    menu = page.get_by_role("navigation", name="Menu")

    sign_in(page, base_url, admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your service")
    check(page)
    page.get_by_role("link", name="Interventions catalogue").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interventions catalogue")
    check(page)
    page.get_by_role("link", name="Add support to the catalogue").click()
    check(page)
    page.get_by_label("Type of support").select_option(label="Coaching")
    page.get_by_label("Name").fill("Leadership coaching")
    page.get_by_label("Provider").fill("Fictional Coaching Ltd")
    page.get_by_label("Description for doctors").fill("Coaching for doctors who have just become consultants.")
    page.get_by_role("button", name="Save").click()
    expect(body).to_contain_text("Leadership coaching is in the catalogue.")
    check(page)
    assert Intervention.objects.filter(service=world.service, name="Leadership coaching").count() == 1

    menu.get_by_role("link", name="Facilitators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilitators")
    check(page)
    page.get_by_role("link", name="Change Fay Coach's profile").click()
    check(page)
    page.get_by_label(world.trust.name).check()
    page.get_by_role("button", name="Save profile").click()
    expect(body).to_contain_text("The profile is saved.")
    assert list(world.facilitator_profile.conflicted_organisations.all()) == [world.trust]

    menu.get_by_role("link", name="Your service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your service")


def test_a_service_admin_finds_the_catalogue_and_the_facilitators(page, live_server, world):
    _run_the_service(page, live_server.url, world, check=assert_accessible)


def test_the_same_without_javascript(page_without_js, live_server, world):
    _run_the_service(page_without_js, live_server.url, world, check=lambda page: None)
