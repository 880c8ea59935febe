"""The demo's culture and guide: two pulse waves for one trust with results and the change between them, a
self-assessment with an action plan in progress, a signpost, and requests that came through signposts."""

import pytest
from django.test import Client
from django.urls import reverse

from supportpath.accounts.models import Membership, Role
from supportpath.culture import services
from supportpath.culture.models import Action, Rating, Signpost, Wave
from supportpath.referrals.models import Route, SupportRequest
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def _lead():
    return Membership.objects.get(user__email="wellbeing.lead@royal.example.test", role=Role.ORGANISATION_LEAD)


def test_one_trust_has_two_pulse_waves_with_results_and_the_change_between_them(output):
    membership = _lead()
    waves = list(Wave.objects.filter(organisation=membership.organisation).order_by("opened_on"))
    assert len(waves) == 2
    later = services.results(waves[1])
    assert later.shown and later.groups_shown
    assert later.compared_with == waves[0]
    assert all(item.change.endswith(")") for item in later.items if item.standard)
    assert not later.items[-1].standard  # the trust's own statement, asked in the second wave only


def test_the_self_assessment_has_a_history_and_an_action_plan_in_progress(output):
    organisation = _lead().organisation
    assert Rating.objects.filter(organisation=organisation).count() > len(services.current_ratings(organisation))
    progress = set(Action.objects.filter(organisation=organisation).values_list("progress", flat=True))
    assert progress == {"not_started", "in_progress", "done"}
    assert services.gaps(organisation)


def test_a_signpost_and_requests_that_came_through_signposts(output):
    assert Signpost.objects.filter(made_by__email="appraiser@kestrel.example.test").exists()
    assert SupportRequest.objects.filter(route=Route.SIGNPOSTED, referrer__isnull=True).count() == 3


def test_the_lead_reads_the_demo_pages(output):
    membership = _lead()
    client = login_as(Client(), membership.user)
    wave = Wave.objects.filter(organisation=membership.organisation).first()
    for url in [
        reverse("culture:organisation", args=[membership.organisation_id]),
        reverse("culture:wave", args=[wave.pk]),
        reverse("culture:action_plan", args=[membership.organisation_id]),
        reverse("culture:summary", args=[membership.organisation_id]),
        reverse("culture:summary_pdf", args=[membership.organisation_id]),
    ]:
        assert client.get(url).status_code == 200, url
