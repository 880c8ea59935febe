"""Error pages keep the layout (and "Need help now?"), speak kindly, and give nothing away. DEBUG is off in the
test settings, as in production, so these are the pages people really see."""

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from supportpath.core import views
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.urls("supportpath.core.tests.error_urls")
URGENT_HELP = reverse("core:urgent_help")


def assert_in_layout(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert f'href="{URGENT_HELP}">Need help now?</a>' in page  # the banner in the layout
    assert "nhsuk-header" in page and "nhsuk-footer" in page
    assert "a reason nobody should see" not in page and "Traceback" not in page
    return page


def without_nonce(page: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", page)


@pytest.mark.django_db
def test_debug_is_off_as_in_production(settings):
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_a_missing_page_is_404_in_the_layout(client):
    page = assert_in_layout(client.get("/no-such-page/"), 404, "Page not found")
    assert "check it is right" in page


@pytest.mark.django_db
def test_a_404_says_the_same_for_a_record_that_exists_and_one_that_does_not(client, world):
    login_as(client, world.other_doctor)
    real = client.get(reverse("referrals:self_referral_done", args=[world.self_request.reference]))
    made_up = client.get(reverse("referrals:self_referral_done", args=["NO-SUCH-REF"]))
    assert real.status_code == made_up.status_code == 404
    assert without_nonce(real.content.decode()) == without_nonce(made_up.content.decode())
    assert_in_layout(real, 404, "Page not found")


@pytest.mark.django_db
def test_a_refusal_is_403_in_the_layout(client):
    page = assert_in_layout(client.get("/test-errors/forbidden/"), 403, "You cannot use this page")
    assert "ask your service admin" in page


@pytest.mark.django_db
def test_a_bad_request_is_400_in_the_layout(client):
    assert_in_layout(client.get("/test-errors/suspicious/"), 400, "Sorry, something went wrong with that request")


@pytest.mark.django_db
def test_a_request_for_a_host_we_do_not_serve_is_400_in_the_layout(client, settings):
    settings.ALLOWED_HOSTS = ["supportpath.example.nhs.uk"]
    response = client.get(reverse("core:start"), HTTP_HOST="elsewhere.example")
    assert_in_layout(response, 400, "Sorry, something went wrong with that request")


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_gets_a_kind_403(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign_in"), {"email": world.doctor.email, "password": "whatever"})
    page = assert_in_layout(response, 403, "Your form could not be sent")
    assert "what you typed has not been saved" in page
    assert "CSRF" not in page


@pytest.mark.django_db
def test_a_signed_in_persons_form_without_its_token_keeps_their_header(world):
    client = login_as(Client(enforce_csrf_checks=True), world.doctor)
    response = client.post(reverse("accounts:change_detail", args=["phone"]), {"phone": "07700 900 982"})
    page = assert_in_layout(response, 403, "Your form could not be sent")
    assert world.doctor.full_name in page


@pytest.mark.django_db
def test_a_crash_is_a_static_500_in_the_layout(world):
    client = login_as(Client(raise_request_exception=False), world.doctor)
    page = assert_in_layout(client.get("/test-errors/broken/"), 500, "Sorry, there is a problem with the service")
    assert 'href="tel:999"' in page and 'href="tel:116123"' in page
    assert "help@" in page
    assert world.doctor.full_name not in page  # rendered without the request: nothing about anyone


def test_the_500_page_needs_no_database_and_no_request():
    # No django_db mark: any query here would fail the test.
    response = views.server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "Need help now?" in response.content.decode()


@pytest.mark.django_db
def test_the_500_page_still_works_when_the_database_is_down(world):
    client = login_as(Client(raise_request_exception=False), world.doctor)
    failing = mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("could not connect to server")
    )
    with failing:
        # Signed in, so the middleware's first look at the session already needs the database.
        response = client.get(reverse("core:about"))
        response_from_view = client.get("/test-errors/database-down/")
    for each in (response, response_from_view):
        assert_in_layout(each, 500, "Sorry, there is a problem with the service")
