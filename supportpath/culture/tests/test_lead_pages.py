"""Every culture page for an organisation lead: their own organisation's opens, another organisation's lead is
refused (404) and their refused forms change nothing. (The access-policy table tries every other persona.)"""

import datetime as dt

import pytest
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.culture import services
from supportpath.culture.models import Action, OwnItem, Rating, Wave
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    trust = f.OrganisationFactory(name="Fictional Vale Hospitals NHS Trust")
    lead = f.MembershipFactory(organisation=trust, role=Role.ORGANISATION_LEAD).user
    other_lead = f.MembershipFactory(role=Role.ORGANISATION_LEAD).user
    wave = services.open_wave(trust, by=lead, title="Pulse", staff_groups=[], shared_link_cap=50)
    services.rate(trust, "peer-contact", "not_yet", "", by=lead)
    action = services.add_action(
        trust,
        statement="peer-contact",
        description="Start a peer group",
        owner_name="Kim",
        owner_email="kim@example.test",
        due_on=dt.date(2027, 1, 1),
        by=lead,
    )
    return trust, lead, other_lead, wave, action


def lead_urls(trust, wave, action):
    org = trust.pk
    return [
        reverse("culture:organisation", args=[org]),
        reverse("culture:wave_new", args=[org]),
        reverse("culture:own_items", args=[org]),
        reverse("culture:assessment", args=[org]),
        reverse("culture:ratings_history", args=[org]),
        reverse("culture:rate", args=[org, "peer-contact"]),
        reverse("culture:action_plan", args=[org]),
        reverse("culture:action_new", args=[org]),
        reverse("culture:summary", args=[org]),
        reverse("culture:summary_pdf", args=[org]),
        reverse("culture:wave", args=[wave.pk]),
        reverse("culture:wave_invite", args=[wave.pk]),
        reverse("culture:action", args=[action.pk]),
    ]


def test_the_lead_opens_every_page_of_their_organisation(client, setting):
    trust, lead, _other, wave, action = setting
    login_as(client, lead)
    assert client.get(reverse("culture:home"))["Location"] == reverse("culture:organisation", args=[trust.pk])
    for url in lead_urls(trust, wave, action):
        assert client.get(url).status_code == 200, url


def test_another_organisations_lead_is_refused_every_page_and_changes_nothing(client, setting):
    trust, _lead, other_lead, wave, action = setting
    login_as(client, other_lead)
    counts = [m.objects.count() for m in (Wave, OwnItem, Rating, Action)]
    for url in lead_urls(trust, wave, action):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "level": "fully", "title": "x", "progress": "done"}).status_code == 404
    assert client.post(reverse("culture:wave_close", args=[wave.pk])).status_code == 404
    assert [m.objects.count() for m in (Wave, OwnItem, Rating, Action)] == counts
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN


def test_a_lead_of_two_organisations_chooses_one(client, setting):
    trust, lead, *_ = setting
    second = f.OrganisationFactory(name="Fictional Brook Surgery")
    f.MembershipFactory(organisation=second, user=lead, role=Role.ORGANISATION_LEAD)
    login_as(client, lead)
    page = client.get(reverse("culture:home")).content.decode()
    assert "Fictional Brook Surgery" in page and trust.name in page


def test_the_lead_opens_a_wave_adds_a_statement_and_closes_the_wave(client, setting):
    trust, lead, *_ = setting
    login_as(client, lead)
    client.post(reverse("culture:own_items", args=[trust.pk]), {"text": "Rota gaps are talked about openly."})
    response = client.post(
        reverse("culture:wave_new", args=[trust.pk]),
        {
            "title": "Spring",
            "staff_groups": "Consultants\nResidents",
            "shared_link_cap": "0",
            "submission_token": "4b9f1b6e-7f7e-4a55-9d6c-1f0a3a0a0a0a",
        },
    )
    wave = Wave.objects.get(title="Spring")
    assert response["Location"] == reverse("culture:wave", args=[wave.pk])
    assert wave.staff_groups == ["Consultants", "Residents"]
    assert wave.items.count() == 6
    client.post(reverse("culture:wave_close", args=[wave.pk]))
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED
    assert client.get(reverse("culture:wave_invite", args=[wave.pk])).status_code == 404


def test_the_wave_page_shows_the_shared_link_with_its_limits_said_plainly(client, setting):
    _trust, lead, _other, wave, _action = setting
    login_as(client, lead)
    page = client.get(reverse("culture:wave", args=[wave.pk])).content.decode()
    assert services.shared_token(wave) in page
    assert "up to 50 answers" in page
    assert "could answer twice" in page
