import re
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

from supportpath.testing.auth import login_as

PUBLIC_PAGES = ["core:start", "core:what_to_expect", "core:urgent_help", "core:about", "core:accessibility"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_open_without_signing_in_and_link_to_urgent_help(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert reverse("core:urgent_help") in response.content.decode()


@pytest.mark.django_db
def test_start_page_says_support_is_confidential_and_for_every_doctor(client):
    page = client.get(reverse("core:start")).content.decode()
    assert "confidential" in page
    assert "whatever your grade or contract" in page
    assert reverse("referrals:self_referral_start") in page


@pytest.mark.django_db
def test_urgent_help_lists_emergency_and_listening_services(client):
    page = client.get(reverse("core:urgent_help")).content.decode()
    for expected in ["999", "NHS 111", "116 123", "Practitioner Health", "BMA wellbeing support"]:
        assert expected in page


@pytest.mark.django_db
def test_urgent_help_gives_a_real_way_to_reach_each_service(client):
    page = client.get(reverse("core:urgent_help")).content.decode()
    for link in [
        '<a href="tel:999">999</a>',
        '<a href="tel:111">111</a>',
        '<a href="https://111.nhs.uk">NHS 111 online</a>',
        '<a href="tel:116123">116 123</a>',
        '<a href="mailto:jo@samaritans.org">jo@samaritans.org</a>',
        '<a href="tel:03000303300">0300 0303 300</a>',
        '<a href="https://www.practitionerhealth.nhs.uk">',
        '<a href="tel:03301231245">0330 123 1245</a>',
    ]:
        assert link in page
    assert "not an emergency service" in page
    assert "whether or not you are a BMA member" in page
    assert "free and confidential" in page


@pytest.mark.django_db
def test_what_to_expect_shows_the_service_target_times(client, settings):
    settings.TARGET_WORKING_DAYS = {"first_contact": 4, "initial_conversation": 12, "plan_agreed": 25}
    page = client.get(reverse("core:what_to_expect")).content.decode()
    assert "Within 4 working days" in page
    assert "Within 12 working days" in page
    assert "Within 25 working days" in page


@pytest.mark.django_db
def test_about_page_cites_the_research(client):
    page = client.get(reverse("core:about")).content.decode()
    assert "10.1136/bmjqs-2025-019749" in page


@pytest.mark.django_db
def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("supportpath.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_content_security_policy_has_a_nonce_and_no_unsafe_inline(client):
    response = client.get(reverse("core:start"))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client, world):
    login_as(client, world.doctor)
    response = client.get(reverse("accounts:your_account"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_do_not_forbid_caching_needlessly(client):
    response = client.get(reverse("core:about"))
    assert "no-store" not in response.get("Cache-Control", "")
