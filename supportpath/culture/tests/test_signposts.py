"""Signposts given at appraisal: no referral, nobody told, nothing recorded about the doctor; a request made
through one carries the route "signposted", and the signposter's pages show nothing of it."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from supportpath.culture import services
from supportpath.culture.models import Signpost
from supportpath.referrals.models import REFERRER_ROUTES, Route, SelfReferralDraft, SupportRequest
from supportpath.referrals.tests.test_self_referral import answer_everything
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
SIGNPOSTS_QUERIES = 5


def page_text(client, url) -> bytes:
    """A page as its reader sees it: without the per-request script nonce and form token."""
    content = client.get(url).content
    return re.sub(rb'(nonce|value)="[^"]*"', b"", content)


def test_a_signpost_records_who_gave_it_and_nothing_about_the_doctor():
    fields = {f.name for f in Signpost._meta.get_fields()}
    assert fields == {"id", "made_by", "given_as", "token", "made_on", "submission_token"}


def test_making_a_signpost_creates_no_referral_and_tells_nobody(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.referrer)
    requests_before = SupportRequest.objects.count()
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("culture:signpost_new"), {"given_as": "appraiser", "submission_token": token})
        client.post(reverse("culture:signpost_new"), {"given_as": "appraiser", "submission_token": token})
    signpost = Signpost.objects.get(made_by=world.referrer)
    assert response["Location"] == reverse("culture:signpost", args=[signpost.pk])
    assert SupportRequest.objects.count() == requests_before
    assert mail.outbox == []
    page = client.get(reverse("culture:signpost", args=[signpost.pk])).content.decode()
    assert "data:image/svg+xml;base64," in page  # the QR code
    assert f"/signpost/{signpost.token}/" in page


def test_the_signposts_page_lists_only_your_own(client, world):
    mine = services.make_signpost(world.referrer, "appraiser")
    theirs = services.make_signpost(world.case_manager, "colleague")
    login_as(client, world.referrer)
    page = client.get(reverse("culture:signposts")).content.decode()
    assert reverse("culture:signpost", args=[mine.pk]) in page
    assert reverse("culture:signpost", args=[theirs.pk]) not in page
    assert client.get(reverse("culture:signpost", args=[theirs.pk])).status_code == 404


def test_a_signpost_followed_to_a_self_referral_carries_the_route_signposted_and_the_signposter_sees_nothing(
    client, world, django_capture_on_commit_callbacks
):
    signpost = services.make_signpost(world.referrer, "appraiser")
    signposter = type(client)()
    login_as(signposter, world.referrer)
    pages = [
        reverse("culture:signposts"),
        reverse("culture:signpost", args=[signpost.pk]),
        reverse("referrals:my_referrals"),
    ]
    before = [page_text(signposter, url) for url in pages]

    # The doctor opens the signpost (signed out), follows it to "ask for support", signs in and asks.
    landing = client.get(reverse("culture:signpost_landing", args=[signpost.token]))
    assert landing.status_code == 200
    ask = reverse("referrals:self_referral_start") + "?via=signpost"
    assert ask in landing.content.decode()
    assert client.get(ask).status_code == 200
    login_as(client, world.other_doctor)
    answer_everything(client)
    token = SelfReferralDraft.objects.get(doctor=world.other_doctor.doctor_profile).answers["token"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:self_referral_check"), {"token": token})
    made = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile)
    assert made.route == Route.SIGNPOSTED
    assert not made.is_referral and made.referrer is None
    assert [m.to for m in mail.outbox] == [[world.other_doctor.email]]  # the doctor only

    after = [page_text(signposter, url) for url in pages]
    assert after == before
    for content in after:
        assert world.other_doctor.full_name.encode() not in content
        assert made.reference.encode() not in content


def test_an_ordinary_self_referral_stays_self(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.other_doctor)
    client.get(reverse("referrals:self_referral_start"))
    answer_everything(client)
    token = SelfReferralDraft.objects.get(doctor=world.other_doctor.doctor_profile).answers["token"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:self_referral_check"), {"token": token})
    assert SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile).route == Route.SELF


def test_a_referrer_cannot_choose_the_signposted_route():
    assert Route.SIGNPOSTED not in REFERRER_ROUTES and Route.SELF not in REFERRER_ROUTES


def test_a_made_up_signpost_link_says_so_and_still_offers_support(client):
    response = client.get(reverse("culture:signpost_landing", args=["made-up"]))
    assert response.status_code == 404
    assert reverse("referrals:self_referral_start") in response.content.decode()


def test_the_signposts_page_reads_in_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    login_as(client, world.referrer)
    url = reverse("culture:signposts")
    services.make_signpost(world.referrer, "appraiser")
    client.get(url)
    with django_assert_num_queries(SIGNPOSTS_QUERIES):
        client.get(url)
    for _ in range(5):
        services.make_signpost(world.referrer, "appraiser")
    with django_assert_num_queries(SIGNPOSTS_QUERIES):
        client.get(url)


def test_referrers_find_signposts_from_their_referrals(client, world):
    login_as(client, world.referrer)
    page = client.get(reverse("referrals:my_referrals")).content.decode()
    assert reverse("culture:signposts") in page
