"""The service admin's home: where they land, the pages for running their service, and nobody else's way in."""

import pytest
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.accounts.roles import home_url_for
from supportpath.plans import services
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN, user__full_name="Sam Admin").user


def test_a_service_admin_lands_on_their_service_home_with_links_to_its_pages(client, world, admin):
    assert home_url_for(admin) == reverse("service:home")
    login_as(client, admin)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("service:home")
    page = client.get(reverse("service:home")).content.decode()
    assert world.service.name in page
    assert f'href="{reverse("service:intervention_list")}"' in page
    assert f'href="{reverse("facilitation:facilitators")}"' in page
    assert f'href="{reverse("emergency_access:my_grants")}"' in page
    assert "The support case managers choose from" in page
    # The header's navigation leads to each of them from every service admin page.
    assert 'class="nhsuk-header__navigation-list"' in page
    assert 'aria-current="page"' in page


@pytest.mark.parametrize(
    "name",
    [
        "service:home",
        "service:intervention_list",
        "service:intervention_add",
        "facilitation:facilitators",
        "emergency_access:my_grants",
        "emergency_access:open",
    ],
)
def test_every_service_admin_page_carries_the_services_navigation(client, world, admin, name):
    login_as(client, admin)
    page = client.get(reverse(name)).content.decode()
    for target in (
        "service:home",
        "service:intervention_list",
        "facilitation:facilitators",
        "emergency_access:my_grants",
    ):
        assert f'class="nhsuk-header__navigation-link" href="{reverse(target)}"' in page, (name, target)


def test_the_emergency_access_list_is_marked_current_in_the_header(client, world, admin):
    login_as(client, admin)
    page = client.get(reverse("emergency_access:my_grants")).content.decode()
    assert f'href="{reverse("emergency_access:my_grants")}" aria-current="page"' in page


def test_the_facilitators_page_shows_a_service_admin_no_case_manager_tabs(client, world, admin):
    login_as(client, admin)
    page = client.get(reverse("facilitation:facilitators")).content.decode()
    assert "Case manager pages" not in page
    assert "Fay Coach" in page
    login_as(client, world.case_manager)
    page = client.get(reverse("facilitation:facilitators")).content.decode()
    assert "Case manager pages" in page
    assert "nhsuk-header__navigation-list" not in page


def test_a_case_manager_still_lands_on_their_inbox(world):
    assert home_url_for(world.case_manager) == reverse("casework:inbox")
    assert home_url_for(world.facilitator) == reverse("facilitation:my_allocations")


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.EVALUATOR, Role.REFERRER, Role.RESPONSIBLE_OFFICER])
def test_nobody_but_a_service_admin_or_case_manager_reaches_the_service_home(client, world, role):
    person = f.MembershipFactory(organisation=world.service, role=role).user
    login_as(client, person)
    response = client.get(reverse("service:home"))
    assert response.status_code == 403, "a role's working page: 403, saying whom it is for"
    assert "service admins and case managers" in response.content.decode()


def test_a_service_admin_finds_the_service_insights_on_their_service_home(client, world, admin):
    """The panels other apps offer staff (as on the evaluator's home): the insights of the admin's service."""
    login_as(client, admin)
    page = client.get(reverse("service:home")).content.decode()
    assert "Service insights" in page
    assert f'href="{reverse("insights:service")}?service={world.service.pk}"' in page
    assert f'href="{reverse("insights:board")}?service={world.service.pk}"' in page


def test_a_case_manager_is_offered_no_insights_on_their_service_home(client, world):
    login_as(client, world.case_manager)
    page = client.get(reverse("service:home")).content.decode()
    assert reverse("insights:service") not in page


def test_the_service_home_and_catalogue_take_the_same_queries_for_few_and_many(
    client, world, admin, django_assert_num_queries
):
    login_as(client, admin)
    # The session, the user, the two-step device that verified them, and their memberships.
    with django_assert_num_queries(4):
        assert client.get(reverse("service:home")).status_code == 200
    counts = []
    for extra in (0, 30):
        services.seed_interventions(world.service)
        for n in range(extra):
            world.service.interventions.create(type="coaching", name=f"Coaching {n}")
        with django_assert_num_queries(5) as queries:
            assert client.get(reverse("service:intervention_list")).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_case_manager_reaches_their_service_from_their_tabs_and_sees_no_admin_only_page(client, world):
    login_as(client, world.case_manager)
    for name in ("casework:inbox", "casework:cases", "facilitation:waiting_list", "closure:peer_supporter_offers"):
        page = client.get(reverse(name)).content.decode()
        assert f'href="{reverse("service:home")}"' in page, name
    page = client.get(reverse("service:home")).content.decode()
    assert world.service.name in page
    assert "Case manager pages" in page
    assert f'href="{reverse("service:home")}" aria-current="page"' in page
    assert f'href="{reverse("facilitation:facilitators")}"' in page
    assert f'href="{reverse("closure:peer_supporter_offers")}"' in page
    for admin_only, refusal in (("service:intervention_list", 403), ("emergency_access:my_grants", 403)):
        assert reverse(admin_only) not in page, admin_only
        assert client.get(reverse(admin_only)).status_code == refusal, "and the page itself stays shut"
    assert "nhsuk-header__navigation-list" not in page, "the service admin's navigation is not theirs"


def test_a_service_admin_sees_no_case_manager_page_on_their_service_home(client, world, admin):
    login_as(client, admin)
    page = client.get(reverse("service:home")).content.decode()
    assert "Case manager pages" not in page
    assert reverse("closure:peer_supporter_offers") not in page
    assert client.get(reverse("closure:peer_supporter_offers")).status_code == 403


def test_someone_who_is_both_sees_both_kinds_of_page(client, world, admin):
    f.MembershipFactory(user=admin, organisation=world.service, role=Role.CASE_MANAGER)
    login_as(client, admin)
    page = client.get(reverse("service:home")).content.decode()
    for name in (
        "service:intervention_list",
        "facilitation:facilitators",
        "closure:peer_supporter_offers",
        "emergency_access:my_grants",
    ):
        assert f'href="{reverse(name)}"' in page, name
    assert "Case manager pages" in page and "nhsuk-header__navigation-list" in page
