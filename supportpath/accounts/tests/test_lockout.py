"""Lockout after repeated failed sign-ins (django-axes), by email address and by network address."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from supportpath.accounts.lockout import client_address
from supportpath.testing import factories as f
from supportpath.testing.factories import PASSWORD

SIGN_IN = reverse("accounts:sign_in")
PAUSED = "Signing in is paused for 15 minutes"
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def attempt(email: str, password: str, address: str = "192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(SIGN_IN, {"email": email, "password": password})


def fail(email: str, times: int, address: str = "192.0.2.10") -> None:
    for _ in range(times):
        response = attempt(email, "not the password at all", address)
        assert response.status_code == 200 and "is not right" in response.content.decode()


def lock(email: str, limit: int, address: str = "192.0.2.10") -> None:
    """The failure that reaches the limit is answered with the lockout page."""
    fail(email, limit - 1, address)
    assert attempt(email, "not the password at all", address).status_code == 429


def without_nonce(response) -> str:
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


@pytest.fixture
def limit(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    return settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_an_account_is_locked_after_repeated_wrong_passwords_even_from_elsewhere(world, limit):
    fail(world.doctor.email, limit - 1)
    assert attempt(world.doctor.email, PASSWORD).status_code == 302  # not yet, and success clears the count
    fail(world.doctor.email, limit - 1)
    locked = attempt(world.doctor.email, "still wrong")
    assert locked.status_code == 429 and PAUSED in locked.content.decode()
    # The right password from another address does not get in either.
    from_elsewhere = attempt(world.doctor.email.upper(), PASSWORD, address="198.51.100.7")
    assert from_elsewhere.status_code == 429 and PAUSED in from_elsewhere.content.decode()
    assert "_auth_user_id" not in Client().session


@pytest.mark.django_db
def test_an_unknown_email_address_is_locked_the_same_way(world, limit):
    fail("nobody@example.test", limit - 1)
    unknown = attempt("nobody@example.test", "anything at all")
    fail(world.doctor.email, limit - 1, address="198.51.100.8")
    known = attempt(world.doctor.email, "anything at all", address="198.51.100.8")
    assert unknown.status_code == known.status_code == 429
    assert without_nonce(unknown) == without_nonce(known)


@pytest.mark.django_db
def test_an_address_is_locked_after_failures_across_many_accounts(world, limit):
    for n in range(limit - 1):
        fail(f"guess{n}@example.test", 1, address="203.0.113.5")
    assert attempt("one.more.guess@example.test", "wrong", address="203.0.113.5").status_code == 429
    blocked = attempt(world.case_manager.email, PASSWORD, address="203.0.113.5")
    assert blocked.status_code == 429 and PAUSED in blocked.content.decode()
    # Someone else, somewhere else, signs in as usual.
    assert attempt(world.case_manager.email, PASSWORD, address="203.0.113.99").status_code == 302


@pytest.mark.django_db
def test_the_lockout_page_says_what_to_do(world, limit):
    lock(world.doctor.email, limit)
    page = attempt(world.doctor.email, PASSWORD).content.decode()
    assert "Wait 15 minutes" in page
    assert "ask your service admin to unlock your account" in page
    assert reverse("core:urgent_help") in page


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(world, limit):
    with time_machine.travel(START, tick=False) as traveller:
        lock(world.doctor.email, limit)
        assert attempt(world.doctor.email, PASSWORD).status_code == 429
        traveller.move_to(START + dt.timedelta(minutes=14))
        assert attempt(world.doctor.email, PASSWORD).status_code == 429
        traveller.move_to(START + dt.timedelta(minutes=16))
        assert attempt(world.doctor.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_staff_sign_in_is_locked_too(limit):
    staff = f.MembershipFactory().user
    lock(staff.email, limit)
    assert attempt(staff.email, PASSWORD).status_code == 429


def test_the_address_is_the_connection_unless_proxies_are_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.44")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "192.0.2.44"  # what our one proxy saw; "1.1.1.1" could be made up
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2"  # fewer entries than proxies: do not trust the header
