"""A form sent with nothing in it (a POST with no fields at all: a hand-made request, a browser that lost the
form, a bot) gets the form's own NHS error summary, a clean refusal, or a redirect; never a server error.

Every row of the access-policy table (docs/access-policy.md) is tried, as every persona the table lets in,
with an empty POST, in the same rolled-back world as the access tests.
"""

import re
import uuid

import pytest
from django.utils import timezone

from supportpath.testing.access_table import access_world_for_module, read_policy, rolled_back, url_for
from supportpath.testing.personas import PERSONAS

ROWS = read_policy()
ALLOWED = {"200", "redirect"}
# A clean answer: the page, a redirect, a refusal of what was sent; 308 is an old address passing the form on to
# its new one, method and body kept (supportpath/core/legacy_addresses.py).
CLEAN = (200, 302, 303, 308, 400, 405, 409, 410)
ERROR_SUMMARY = 'class="nhsuk-error-summary"'
# A form that posts back to the page itself (one with an ``action`` posts to another page, tried on its own row).
SELF_POSTING_FORM = re.compile(r'<form method="post"(?![^>]*\saction=)[^>]*>')


TRIED = [(row, persona) for row in ROWS for persona in PERSONAS if row.outcomes[persona] in ALLOWED]


@pytest.fixture(scope="module")
def access(django_db_setup, django_db_blocker):
    with access_world_for_module(django_db_blocker) as world_and_clients:
        yield world_and_clients


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), TRIED, ids=[f"{row.id}-{persona}" for row, persona in TRIED])
def test_an_empty_form_gets_the_error_summary_or_a_redirect_never_a_server_error(access, row, persona):
    world, signed = access
    url = url_for(world, row)
    try:
        response, _ = signed.request(persona, "POST", url, {})
    except Exception as error:  # noqa: BLE001 - the failure names the page and the error
        pytest.fail(f"POST {{}} to {url} as {persona} raised {type(error).__name__}: {error}")
    status = response.status_code
    assert status < 500, f"POST {{}} to {url} as {persona}: {status}"
    assert status in CLEAN, f"POST {{}} to {url} as {persona}: {status}"
    if status in (200, 400) and response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        # A page that shows its form again after an empty POST says what is wrong, at the top, as the NHS does
        # (a form left unbound because the empty POST was taken for a GET shows the blank form, and no errors).
        if SELF_POSTING_FORM.search(page):
            assert ERROR_SUMMARY in page, f"POST {{}} to {url} as {persona}: the form again, with no error summary"


def test_the_walk_covers_the_form_pages():
    names = {row.url_name for row, _ in TRIED}
    for name in ("accounts:register", "referrals:referral_doctor", "casework:request_detail", "plans:edit_plan"):
        assert name in names, name
    assert len(TRIED) > 100


def _assert_clean(response, where: str) -> None:
    status = response.status_code
    assert status in CLEAN, f"POST {{}} to {where}: {status}"
    if status in (200, 400) and response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        if SELF_POSTING_FORM.search(page):
            assert ERROR_SUMMARY in page, f"POST {{}} to {where}: the form again, with no error summary"


def _every_variant(world):
    """The pages the table tries with one slug, tried with each; and the journeys whose forms need a step or a
    link behind them. Each yields (persona, a function that gets the client ready and returns the URL)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from supportpath.accounts.forms import DETAIL_FORMS
    from supportpath.referrals.self_referral import STEPS
    from supportpath.sharing.choices import AUDIENCE_SLUGS

    for slug in DETAIL_FORMS:
        yield "doctor", f"change_detail {slug}", lambda c, s=slug: reverse("accounts:change_detail", args=[s])
    for name in STEPS.keys() - {"service"}:  # "service" is asked only of a doctor with a choice of two services
        yield "doctor", f"self-referral {name}", lambda c, n=name: reverse("referrals:self_referral_step", args=[n])
    for slug in AUDIENCE_SLUGS:
        yield (
            "doctor",
            f"sharing {slug}",
            lambda c, s=slug: reverse("sharing:change", args=[world.own.referral.reference, s]),
        )

    def referral_details(client):
        client.post(
            reverse("referrals:referral_doctor"),
            {"gmc_number": "7999999", "full_name": "Dr New Starter", "email": "new.starter@example.test"},
        )
        return reverse("referrals:referral_details")

    yield "referrer", "referral details after the doctor step", referral_details

    def referral_check(client):
        referral_details(client)
        client.post(
            reverse("referrals:referral_details"),
            {
                "route": "supervisor",
                "reasons": ["career"],
                "description": "Noticed.",
                "discussed": "We talked.",
                "urgent": "no",
                "mandated": "no",
            },
        )
        return reverse("referrals:referral_check")

    yield "referrer", "referral check after both steps", referral_check

    def reset_password(client):
        user = world.other_doctor
        link = reverse(
            "accounts:password_reset_confirm",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
        )
        return client.get(link)["Location"]

    yield "anonymous", "a password reset link followed", reset_password

    def invitation(client):
        from supportpath.referrals import referral_services
        from supportpath.referrals.models import ReferralInvitation

        referral = referral_services.make_referral(
            referrer=world.referrer,
            doctor={"gmc_number": "7999998", "full_name": "Dr Newer", "email": "newer@example.test"},
            details={
                "route": "supervisor",
                "reasons": ["career"],
                "description": "Noticed.",
                "discussed": "We talked.",
                "urgent": "no",
                "mandated": "no",
            },
            token=uuid.uuid4(),
        )
        invite = ReferralInvitation.objects.get(request=referral)
        token = invite.issue_token(timezone.now())
        invite.save()
        return reverse("referrals:accept_invitation", args=[token])

    yield "anonymous", "an invitation link followed", invitation


VARIANTS = [
    "change_detail",
    "self-referral",
    "sharing",
    "referral details",
    "referral check",
    "password reset",
    "invitation",
]


@pytest.mark.django_db
def test_every_slug_and_every_step_of_a_journey_takes_an_empty_form_cleanly(access):
    world, signed = access
    problems = []
    for persona, what, prepare in _every_variant(world):
        with rolled_back(), signed.using(persona) as client:
            try:
                url = prepare(client)
                response = client.post(url, {})
                _assert_clean(response, f"{what} ({url}) as {persona}")
            except Exception as error:  # noqa: BLE001 - every variant is tried, and every failure listed
                problems.append(f"{what} as {persona}: {type(error).__name__}: {error}")
    tried = {what for _, what, _ in _every_variant(world)}
    assert all(any(w.startswith(v) or v in w for w in tried) for v in VARIANTS)
    assert not problems, "\n".join(problems)


def test_no_view_binds_a_form_with_request_post_or_none():
    """``request.POST or None`` takes an empty POST for a GET (see ``core.form_fields.posted``)."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    found = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "request.POST or None" in path.read_text() and path.name not in (Path(__file__).name, "form_fields.py")
    ]
    assert not found, f"Use supportpath.core.form_fields.posted(request) in {found}"
