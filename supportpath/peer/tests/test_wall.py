"""The wall: peer-support records never reach a referrer, a responsible officer or the employer (whose audience is
the people with the responsible-officer role there), even when the doctor shares everything with them,
well-being and peer-support content included. None of their pages shows any of it, and every peer-support page
refuses them."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from supportpath.peer import services
from supportpath.sharing import agreement, wall
from supportpath.sharing.choices import Audience, Item
from supportpath.testing.auth import login_as

from .conftest import approved_supporter, peer_request

pytestmark = pytest.mark.django_db

SECRETS = ["I failed an exam twice", "My exam is in March.", "They seem very low.", "Night-shift survivors"]


@pytest.fixture
def peer_world(world):
    supporter = approved_supporter(world)
    request = peer_request(world)
    match = services.propose(request, supporter.pk, by=world.case_manager)
    services.answer(match, "doctor", True)
    services.answer(match, "supporter", True)
    services.raise_concern(match, "They seem very low.", token=uuid.uuid4())
    group = services.create_group(
        world.service,
        {
            "name": "Night-shift survivors",
            "purpose": "Support after hard nights.",
            "who_may_join": "Anyone.",
            "facilitator": world.facilitator,
            "size_limit": 6,
            "starts_on": dt.date(2027, 1, 5),
            "dates": "Mondays",
            "place": "Room 1",
        },
        by=world.case_manager,
    )
    services.admit(services.ask_to_join(group, world.doctor.doctor_profile, share_first_name=True), yes=True)
    # The doctor shares everything, with everyone, the well-being and peer-support item included.
    everything = list(Item)
    for audience in (Audience.REFERRER, Audience.RESPONSIBLE_OFFICER):
        agreement.set_audience(
            world.referral, audience, everything, by=world.doctor, based_on=agreement.current_version(world.referral)
        )
    return {"match": match, "request": request, "supporter": supporter, "group": group}


def test_what_the_wall_discloses_holds_no_peer_support_record(world, peer_world):
    for audience in (Audience.REFERRER, Audience.RESPONSIBLE_OFFICER):
        text = " ".join(" ".join(shown.lines) for shown in wall.disclose(world.referral, audience))
        for secret in SECRETS:
            assert secret not in text


def test_referrer_and_responsible_officer_pages_show_no_peer_support_record(world, peer_world, client):
    pages = {
        world.referrer: [
            reverse("referrals:my_referrals"),
            reverse("referrals:referral_status", args=[world.referral.reference]),
        ],
        world.responsible_officer: [
            reverse("sharing:officer_doctors"),
            reverse("sharing:officer_request", args=[world.referral.reference]),
        ],
    }
    for person, urls in pages.items():
        login_as(client, person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            for secret in SECRETS:
                assert secret not in page, (person, url, secret)


def test_every_peer_support_page_refuses_referrers_officers_evaluators_and_admins(world, peer_world, client):
    match, request, supporter, group = (peer_world[k] for k in ("match", "request", "supporter", "group"))
    urls = [
        reverse("peer:home"),
        reverse("peer:offer"),
        reverse("peer:ask"),
        reverse("peer:match", args=[match.pk]),
        reverse("peer:concern", args=[match.pk]),
        reverse("peer:supporter", args=[supporter.pk]),
        reverse("peer:request", args=[request.pk]),
        reverse("peer:groups"),
        reverse("peer:group", args=[group.pk]),
        reverse("peer:join", args=[group.pk]),
        reverse("peer:record_meeting", args=[group.pk]),
    ]
    # Working pages of a role (they name no record): 403, saying whom they are for (docs/access-policy.md).
    role_pages = [reverse("peer:supporters"), reverse("peer:new_group"), reverse("peer:checks")]
    for person in (world.referrer, world.responsible_officer, world.evaluator, world.service_admin):
        login_as(client, person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        for url in role_pages:
            assert client.get(url).status_code == 403, (person, url)
