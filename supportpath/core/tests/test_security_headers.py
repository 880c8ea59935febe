"""The security headers every page carries, asserted exactly."""

import re

import pytest
from django.urls import reverse

from supportpath.testing.auth import authenticator_for, login_as

NONCE = re.compile(r"^'nonce-([A-Za-z0-9+/=]{16,})'$")


def directives(header: str) -> dict[str, str]:
    """The policy as directive -> sources. django-csp writes the directives in no fixed order, so compare them
    as a mapping; every directive appears once and nothing else is in the header."""
    parts = [part.strip() for part in header.split(";")]
    names = [part.split(" ", 1)[0] for part in parts]
    assert len(names) == len(set(names)), header
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in parts}


def exact_policy(nonce: str) -> dict[str, str]:
    return {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["public page", "signed-in page"])
def test_the_content_security_policy_is_exactly_this(client, world, signed_in):
    if signed_in:
        login_as(client, world.case_manager)
    url = reverse("casework:inbox") if signed_in else reverse("core:start")
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    nonce = NONCE.match(policy["script-src"].split(" ")[1]).group(1)
    assert policy == exact_policy(nonce)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    # The only inline script is the one that carries this request's nonce.
    html = response.content.decode()
    assert f'nonce="{nonce}"' in html
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.django_db
def test_each_response_has_a_new_nonce(client):
    first = directives(client.get(reverse("core:start"))["Content-Security-Policy"])["script-src"]
    second = directives(client.get(reverse("core:start"))["Content-Security-Policy"])["script-src"]
    assert first != second


@pytest.mark.django_db
def test_the_other_security_headers(client, world):
    login_as(client, world.doctor)
    response = client.get(reverse("accounts:your_account"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store, no-cache, must-revalidate, private, max-age=0"


@pytest.mark.django_db
def test_the_two_step_page_carries_the_policy_too(client, world):
    authenticator_for(world.case_manager)
    login_as(client, world.case_manager, verified=False)
    response = client.get(reverse("accounts:second_factor_verify"))
    assert response.status_code == 200
    nonce = NONCE.match(directives(response["Content-Security-Policy"])["script-src"].split(" ")[1]).group(1)
    assert directives(response["Content-Security-Policy"]) == exact_policy(nonce)
    assert "no-store" in response["Cache-Control"]
