"""Every audience, every item, with and without the grant, on the page that audience really reads.

The referrer reads the referral's status page; the responsible officer reads their page for the request, which
also holds what is shared with the employer (the employer is represented by its responsible officer role,
docs/adr/0001-sharing-audiences.md).
"""

import pytest
from django.urls import reverse

from supportpath.audit.models import AccessRecord
from supportpath.sharing.choices import Audience, Item
from supportpath.testing.auth import login_as

from .conftest import MARKERS, NEVER_SHOWN_MEASURES, WELLBEING_MARKERS

pytestmark = pytest.mark.django_db

NEVER_SHOWN = ["PRIVATE NOTE", "AGREED ACTION", "REVIEW NOTE", "finding the rota exhausting"]


def page_for(client, sharing, audience: str) -> str:
    """What ``audience`` sees now, from their own page (the part of it about them)."""
    if audience == Audience.REFERRER:
        login_as(client, sharing.world.referrer)
        response = client.get(reverse("referrals:referral_status", args=[sharing.referral.reference]))
        assert response.status_code == 200
        return response.content.decode()
    login_as(client, sharing.officer)
    response = client.get(reverse("sharing:officer_request", args=[sharing.referral.reference]))
    if response.status_code == 404:
        return ""  # nothing shared with the officer or the employer: the request is not theirs to open
    text = response.content.decode()
    with_you, with_employer = text.split("Shared with the employer", 1)
    return with_you.split("Shared with you as responsible officer", 1)[1] if audience != "employer" else with_employer


def shown_items(text: str) -> set[str]:
    return {item for item, markers in MARKERS.items() if any(m.lower() in text.lower() for m in markers)}


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("item", list(Item))
def test_each_item_is_shown_to_each_audience_exactly_when_granted(client, sharing, audience, item):
    before = page_for(client, sharing, audience)
    assert item not in shown_items(before)
    sharing.share(audience, item)
    after = page_for(client, sharing, audience)
    assert shown_items(after) == {item}, f"{audience} granted only {item}"
    for text in NEVER_SHOWN + NEVER_SHOWN_MEASURES:
        assert text not in after
    # The other two audiences still see nothing of it.
    for other in Audience:
        if other != audience:
            assert item not in shown_items(page_for(client, sharing, other)), f"{item} leaked to {other}"


@pytest.mark.parametrize("audience", list(Audience))
def test_sharing_everything_but_wellbeing_never_shows_wellbeing_or_peer_support_content(client, sharing, audience):
    sharing.share(audience, *[item for item in Item if item != Item.WELLBEING])
    text = page_for(client, sharing, audience).lower()
    assert shown_items(text) == set(Item) - {Item.WELLBEING}
    for marker in WELLBEING_MARKERS:
        assert marker.lower() not in text, f"{marker!r} crossed the wall to {audience}"
    assert "confidence coaching" in text and "we practised the opening" in text  # the ordinary ones are there


@pytest.mark.parametrize("audience", list(Audience))
def test_wellbeing_content_is_shown_once_the_doctor_shares_that_item(client, sharing, audience):
    sharing.share(audience, Item.WELLBEING)
    text = page_for(client, sharing, audience)
    for marker in WELLBEING_MARKERS:
        assert marker in text
    assert "Confidence coaching" not in text and "We practised the opening" not in text


def test_a_mandated_referral_shows_its_minimum_and_never_wellbeing(client, sharing):
    sharing.referral.mandated = True
    sharing.referral.save(update_fields=["mandated"])
    for audience in (Audience.REFERRER, Audience.RESPONSIBLE_OFFICER):
        text = page_for(client, sharing, audience)
        assert shown_items(text) == {Item.STAGE, Item.ATTENDANCE}
        assert "required by the formal process" in text or audience == Audience.REFERRER
        for marker in WELLBEING_MARKERS:
            assert marker.lower() not in text.lower()
    assert shown_items(page_for(client, sharing, Audience.EMPLOYER)) == set()
    # Sharing more with a mandated referral's referrer still keeps the wall.
    sharing.share(Audience.REFERRER, Item.INTERVENTIONS, Item.SESSION_SUMMARIES, Item.REASONS)
    text = page_for(client, sharing, Audience.REFERRER).lower()
    for marker in WELLBEING_MARKERS:
        assert marker.lower() not in text


def test_a_summary_by_an_author_the_service_cannot_place_stays_behind_the_wall(client, sharing):
    from supportpath.facilitation.models import FacilitatorProfile

    FacilitatorProfile.objects.filter(user=sharing.world.facilitator).delete()
    sharing.share(Audience.REFERRER, Item.SESSION_SUMMARIES)
    assert "We practised the opening" not in page_for(client, sharing, Audience.REFERRER)


def test_the_referrer_always_sees_received_and_when_support_ends(client, sharing):
    text = page_for(client, sharing, Audience.REFERRER)
    assert "Received" in text and "Support under way" not in text
    sharing.case.stage = "closed"
    sharing.case.save(update_fields=["stage"])
    assert "Closed" in page_for(client, sharing, Audience.REFERRER)


def test_a_handed_over_request_never_says_where_it_went(client, sharing):
    from supportpath.referrals.models import SupportRequest

    SupportRequest.objects.filter(pk=sharing.referral.pk).update(
        status="handed_over", handed_over_to="practitioner_health"
    )
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.STAGE)
    sharing.share(Audience.REFERRER, Item.STAGE)
    for audience in (Audience.REFERRER, Audience.RESPONSIBLE_OFFICER):
        text = page_for(client, sharing, audience)
        assert "Closed" in text and "Practitioner Health" not in text


def test_the_officer_sees_what_is_shared_with_them_and_with_the_employer_apart(client, sharing):
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.GOALS)
    sharing.share(Audience.EMPLOYER, Item.MILESTONES)
    assert shown_items(page_for(client, sharing, Audience.RESPONSIBLE_OFFICER)) == {Item.GOALS}
    assert shown_items(page_for(client, sharing, Audience.EMPLOYER)) == {Item.MILESTONES}


def test_every_read_by_the_officer_is_logged_for_the_doctor(client, sharing):
    sharing.share(Audience.EMPLOYER, Item.STAGE)
    login_as(client, sharing.officer)
    client.get(reverse("sharing:officer_request", args=[sharing.referral.reference]))
    client.get(reverse("sharing:officer_request", args=[sharing.referral.reference]))
    records = AccessRecord.objects.filter(actor=sharing.officer)
    assert records.count() == 2
    record = records.first()
    assert (record.actor_role, record.doctor, record.actor_organisation) == (
        "responsible_officer",
        sharing.world.doctor.doctor_profile,
        sharing.world.trust.name,
    )
    assert sharing.referral.reference in record.what and record.purpose
    login_as(client, sharing.world.doctor)
    assert "Dr Rhea Officer" in client.get(reverse("audit:access_log")).content.decode()


def test_the_referrers_read_is_logged(client, sharing):
    page_for(client, sharing, Audience.REFERRER)
    assert AccessRecord.objects.filter(actor=sharing.world.referrer, actor_role="referrer").count() == 1
