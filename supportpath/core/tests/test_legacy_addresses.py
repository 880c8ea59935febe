"""The old addresses of the doctor's own pages (``supportpath/core/legacy_addresses.py``): each one redirects to
its page's new address under /my-support/, parameters and query string kept, a form's method and body too; the
redirect itself says nothing about the record; and a link in an email sent before the move still works."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from supportpath.core.legacy_addresses import MOVED, legacy_name
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

# Arguments of the right kind for every parameter an old address takes; nothing behind them.
SAMPLE = {"pk": 7, "review_pk": 8, "reference": "SP-AAAA-BBBB"}
QUERY = "from=email&utm_source=reminder"


def _parameters(old_route: str) -> dict[str, object]:
    return {name: SAMPLE[name] for name in re.findall(r"<\w+:(\w+)>", old_route)}


def _old_and_new(old_route: str, new_name: str) -> tuple[str, str]:
    parameters = _parameters(old_route)
    return reverse(f"legacy:{legacy_name(new_name)}", kwargs=parameters), reverse(new_name, kwargs=parameters)


def test_every_old_address_is_under_no_new_one_and_every_new_one_is_under_my_support_or_service():
    for old_route, new_name in MOVED.items():
        old, new = _old_and_new(old_route, new_name)
        assert old == "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(SAMPLE[m.group(1)]), old_route)
        assert resolve(old).namespace == "legacy", f"{old} reaches a page, not its redirect"
        assert new.startswith("/service/" if new_name.startswith("service:") else "/my-support/"), new


@pytest.mark.django_db
@pytest.mark.parametrize(("old_route", "new_name"), MOVED.items(), ids=list(MOVED.values()))
def test_an_old_address_redirects_for_good_to_the_new_one_keeping_parameters_and_query(old_route, new_name):
    old, new = _old_and_new(old_route, new_name)
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        got = client.get(f"{old}?{QUERY}")
        head = client.head(old)
    assert (got.status_code, got["Location"]) == (301, f"{new}?{QUERY}")
    assert (head.status_code, head["Location"]) == (301, new)
    # A form posted to an old address is sent on with its method and body (308), not dropped by a GET.
    posted = client.post(f"{old}?{QUERY}", {"answer": "what the doctor wrote"})
    assert (posted.status_code, posted["Location"]) == (308, f"{new}?{QUERY}")
    assert not queries.captured_queries, "a redirect looks nothing up"


@pytest.mark.django_db
def test_the_redirect_is_the_same_for_ones_own_record_someone_elses_and_none(world):
    """Signed in as the doctor: their own case, another doctor's and one that does not exist get the same
    answer, in the same number of queries (those of the session); the page it leads to decides."""
    client = login_as(Client(), world.doctor)
    someone_elses = f.CaseFactory(request=f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile)).pk
    answers = []
    for pk in (world.case.pk, someone_elses, 999_999):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("legacy:pathway_my_case", args=[pk]))
        answers.append((response.status_code, response["Location"].replace(str(pk), "<pk>"), len(queries)))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (301, "/my-support/case/<pk>/")


@pytest.mark.django_db
def test_following_an_old_address_reaches_ones_own_page_and_refuses_someone_elses(world):
    old = reverse("legacy:pathway_my_case", args=[world.case.pk])
    own = login_as(Client(), world.doctor).get(old, follow=True)
    assert own.redirect_chain == [(reverse("pathway:my_case", args=[world.case.pk]), 301)]
    assert own.status_code == 200
    assert login_as(Client(), world.other_doctor).get(old, follow=True).status_code == 404
    assert login_as(Client(), world.case_manager).get(old, follow=True).status_code == 404


@pytest.mark.django_db
def test_a_link_in_an_email_sent_before_the_move_still_takes_the_doctor_to_the_page(
    world, django_capture_on_commit_callbacks
):
    referrer = login_as(Client(), world.referrer)
    status_page = reverse("referrals:referral_status", args=[world.referral.reference])
    token = re.search(r'name="token" value="([^"]+)"', referrer.get(status_page).content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        referrer.post(status_page, {"action": "send_again", "token": token})
    new = reverse("referrals:referral_for_doctor", args=[world.referral.reference])
    assert f"{settings.SITE_URL}{new}" in mail.outbox[0].body  # today's emails hold the new address
    # The same email sent before the move held the old address.
    old = f"/referrals/{world.referral.reference}/about-your-referral/"

    signed_out = Client().get(old, follow=True)
    assert signed_out.redirect_chain[0] == (new, 301)
    assert signed_out.redirect_chain[1][0].startswith(reverse("accounts:sign_in") + "?next=/my-support/")

    page = login_as(Client(), world.doctor).get(old, follow=True)
    assert page.redirect_chain == [(new, 301)]
    assert page.status_code == 200
