"""The service admin's interventions catalogue: their own service's entries only, one entry per form sent, limits
and messages in our words; and the addresses it had under /plans/ lead here."""

import uuid

import pytest
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.plans import services
from supportpath.plans.models import Intervention
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    services.seed_interventions(world.service)
    return Intervention.objects.filter(service=world.service)


@pytest.fixture
def admin(world):
    return f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN).user


def test_service_admin_keeps_the_catalogue_and_cannot_touch_another_services(client, world, catalogue):
    admin = f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN).user
    services.seed_interventions(world.other_service)
    theirs = Intervention.objects.filter(service=world.other_service).first()
    login_as(client, admin)
    page = client.get(reverse("service:intervention_list")).content.decode()
    assert "Return-to-work programme" in page
    assert client.get(reverse("service:intervention_edit", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("service:intervention_add"),
        {"type": "coaching", "name": "Leadership coaching", "provider": "Fictional Coaching Ltd", "active": "on"},
    )
    assert response.status_code == 302
    assert Intervention.objects.filter(service=world.service, name="Leadership coaching").exists()
    text = client.post(reverse("service:intervention_add"), {"type": "coaching", "name": "coaching"}).content.decode()
    assert "The catalogue already has support with this name" in text
    mine = Intervention.objects.get(service=world.service, name="Leadership coaching")
    client.post(
        reverse("service:intervention_edit", args=[mine.pk]), {"type": "coaching", "name": "Leadership coaching"}
    )
    mine.refresh_from_db()
    assert mine.active is False


def test_adding_to_the_catalogue_twice_makes_one_entry_and_no_error(client, world, admin):
    login_as(client, admin)
    url = reverse("service:intervention_add")
    page = client.get(url).content.decode()
    assert 'name="submission_token"' in page
    form = {
        "type": "coaching",
        "name": "Leadership coaching",
        "provider": "Fictional Coaching Ltd",
        "description": "For new consultants.",
        "active": "on",
        "submission_token": str(uuid.uuid4()),
    }
    first = client.post(url, form)
    second = client.post(url, form)
    assert first.status_code == 302 and second.status_code == 302
    assert Intervention.objects.filter(service=world.service, name="Leadership coaching").count() == 1
    follow = client.get(reverse("service:intervention_list")).content.decode()
    assert "already has support with this name" not in follow

    # A new form with the same name is a real clash.
    again = client.post(url, {**form, "submission_token": str(uuid.uuid4())}).content.decode()
    assert "The catalogue already has support with this name" in again
    assert Intervention.objects.filter(service=world.service, name="Leadership coaching").count() == 1


def test_catalogue_limits_are_stated_and_errors_are_our_own(client, world, admin):
    login_as(client, admin)
    url = reverse("service:intervention_add")
    page = client.get(url).content.decode()
    assert "Up to 200 characters." in page and "Up to 1,000 characters." in page
    page = client.post(url, {"type": "astrology", "name": "x" * 201, "description": "d" * 1001}).content.decode()
    assert "Choose a type of support from the list" in page
    assert "Name must be 200 characters or fewer" in page
    assert "Description must be 1,000 characters or fewer" in page
    assert "Ensure this value" not in page and "Select a valid choice" not in page
    assert "x" * 201 in page
    assert not Intervention.objects.filter(service=world.service).exists()


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("/plans/service/", "service:home"),
        ("/plans/interventions/", "service:intervention_list"),
        ("/plans/interventions/new/", "service:intervention_add"),
    ],
)
def test_the_old_addresses_lead_to_the_new_ones_for_good(client, old, name):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == reverse(name)
    response = client.get(old + "?page=2&q=a%20b")
    assert response.status_code == 301 and response["Location"] == reverse(name) + "?page=2&q=a%20b"


def test_an_old_entry_address_leads_to_the_same_entry_and_opens_nothing_by_itself(client, world, admin, catalogue):
    services.seed_interventions(world.other_service)
    mine = catalogue.first()
    theirs = Intervention.objects.filter(service=world.other_service).first()
    response = client.get(f"/plans/interventions/{mine.pk}/")
    assert response.status_code == 301 and response["Location"] == reverse("service:intervention_edit", args=[mine.pk])
    login_as(client, admin)
    assert client.get(f"/plans/interventions/{mine.pk}/", follow=True).status_code == 200
    assert client.get(f"/plans/interventions/{theirs.pk}/", follow=True).status_code == 404


def test_a_form_sent_to_an_old_address_is_sent_on_as_it_was(client, world, admin, catalogue):
    login_as(client, admin)
    response = client.post("/plans/interventions/new/", {"type": "coaching", "name": "Leadership coaching"})
    assert response.status_code == 308 and response["Location"] == reverse("service:intervention_add")
    assert not Intervention.objects.filter(name="Leadership coaching").exists(), "the redirect itself writes nothing"


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.FACILITATOR, Role.EVALUATOR])
def test_the_catalogue_is_a_service_admins_working_page_anyone_else_is_told_403(client, world, catalogue, role):
    person = f.MembershipFactory(organisation=world.service, role=role).user
    login_as(client, person)
    for name in ("service:intervention_list", "service:intervention_add"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "This page is for service admins" in response.content.decode()
    before = Intervention.objects.count()
    client.post(reverse("service:intervention_add"), {"type": "coaching", "name": "Sneaky", "active": "on"})
    assert Intervention.objects.count() == before, "a refused form changes nothing"
    theirs = catalogue.first()
    assert client.get(reverse("service:intervention_edit", args=[theirs.pk])).status_code == 404, "names a record"
