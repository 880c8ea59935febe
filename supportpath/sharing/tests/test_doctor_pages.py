"""The doctor's "who can see what": who each audience is, what they see now, changing it, and the history."""

import pytest
import time_machine
from django.urls import reverse

from supportpath.referrals.models import SupportRequest
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.sharing.models import AgreementVersion, Source
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def overview(client, reference) -> str:
    response = client.get(reverse("sharing:who_can_see_what", args=[reference]))
    assert response.status_code == 200
    return response.content.decode()


def change_url(reference, slug="referrer"):
    return reverse("sharing:change", args=[reference, slug])


def test_the_page_names_each_audience_and_says_exactly_what_they_see(client, sharing):
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.GOALS)
    login_as(client, sharing.world.doctor)
    text = overview(client, sharing.referral.reference)
    assert "Dr Cara Supervisor" in text and "educational supervisor" in text  # the person who referred
    assert "That you were referred, and when (always)" in text
    assert "When your support with us ends (always)" in text
    assert "Dr Rhea Officer" in text and "medical director and responsible officer" in text
    assert "Goals (your choice)" in text
    # Who represents the employer, in plain words: the same people, listed once, with what they see in each role.
    assert f"also act for {sharing.world.trust.name} as your employer" in text
    assert text.count("Dr Rhea Officer") == 1
    assert "What they can see as your responsible officer" in text
    assert "What they can see for your employer" in text
    # The support team, and private notes.
    assert "Dan Manager" in text
    assert "private notes about a session are only ever read by the person who wrote them" in text
    for slug in ("referrer", "responsible-officer", "employer"):
        assert change_url(sharing.referral.reference, slug) in text


def test_a_doctors_own_request_has_no_referrer_to_share_with(client, world):
    login_as(client, world.doctor)
    text = overview(client, world.self_request.reference)
    assert "The person who referred you" not in text
    assert "Your responsible officer, who also acts for your employer" in text
    assert client.get(change_url(world.self_request.reference)).status_code == 404
    assert client.get(change_url(world.self_request.reference, "neighbour")).status_code == 404


def test_the_doctor_changes_a_choice_and_gets_one_version_and_a_confirmation(client, sharing):
    login_as(client, sharing.world.doctor)
    url = change_url(sharing.referral.reference)
    page = client.get(url).content.decode()
    assert "What may Dr Cara Supervisor see?" in page
    assert "Only this choice shares any of it" in page  # what well-being content means, before choosing
    data = {"based_on": "0", "items": ["goals", "milestones"]}
    first = client.post(url, data)
    second = client.post(url, data)  # pressed twice
    assert first.status_code == second.status_code == 302
    assert AgreementVersion.objects.filter(agreement__request=sharing.referral).count() == 1
    text = client.get(first["Location"]).content.decode()
    assert "Your choices are saved (version 1)" in text
    assert "Dr Cara Supervisor can now see: goals, milestones." in text
    assert agreement.items_for(sharing.fresh(), Audience.REFERRER) == [Item.GOALS, Item.MILESTONES]


def test_choosing_nothing_takes_everything_back(client, sharing):
    sharing.share(Audience.REFERRER, Item.GOALS)
    login_as(client, sharing.world.doctor)
    client.post(change_url(sharing.referral.reference), {"based_on": "1"})
    assert agreement.items_for(sharing.fresh(), Audience.REFERRER) == []
    version = AgreementVersion.objects.get(agreement__request=sharing.referral, number=2)
    assert version.removed == ["referrer:goals"] and version.added == []


def test_a_page_left_open_while_sharing_changed_is_not_saved_over_it(client, sharing):
    login_as(client, sharing.world.doctor)
    url = change_url(sharing.referral.reference)
    sharing.share(Audience.REFERRER, Item.STAGE)  # e.g. the doctor agreed a plan in another tab
    page = client.post(url, {"based_on": "0", "items": ["goals"]}).content.decode()
    assert "Your sharing changed while this page was open (it is now version 1)" in page
    assert 'value="goals" checked' in page  # what they chose is kept
    assert agreement.items_for(sharing.fresh(), Audience.REFERRER) == [Item.STAGE]
    assert client.post(url, {"based_on": "1", "items": ["goals"]}).status_code == 302


def test_something_not_offered_is_refused_in_plain_words(client, sharing):
    login_as(client, sharing.world.doctor)
    page = client.post(change_url(sharing.referral.reference), {"based_on": "0", "items": ["diary"]})
    assert "Select only from the choices on this page" in page.content.decode()
    assert not AgreementVersion.objects.exists()
    page = client.post(change_url(sharing.referral.reference), {"items": ["goals"]}).content.decode()
    assert "This page was out of date" in page
    assert not AgreementVersion.objects.exists()


def _mandate(sharing):
    SupportRequest.objects.filter(pk=sharing.referral.pk).update(mandated=True)


def test_a_mandated_referrals_fixed_minimum_is_shown_with_why_and_cannot_be_removed(client, sharing):
    _mandate(sharing)
    login_as(client, sharing.world.doctor)
    text = overview(client, sharing.referral.reference)
    assert "The stage your support is at (required by the formal process)" in text
    assert "How many sessions are held and attended (required by the formal process)" in text
    assert "The people responsible for a formal process need to know that you are taking part" in text
    page = client.get(change_url(sharing.referral.reference)).content.decode()
    assert 'value="stage"' not in page and 'value="attendance"' not in page  # not offered as a choice
    assert 'value="goals"' in page

    # Crafted posts: choosing nothing, or naming the fixed items, never removes them.
    client.post(change_url(sharing.referral.reference), {"based_on": "0"})
    client.post(change_url(sharing.referral.reference, "responsible-officer"), {"based_on": "1"})
    refused = client.post(change_url(sharing.referral.reference), {"based_on": "1", "items": ["stage"]})
    assert "Select only from the choices on this page" in refused.content.decode()
    request = sharing.fresh()
    for audience in (Audience.REFERRER, Audience.RESPONSIBLE_OFFICER):
        assert agreement.items_for(request, audience) == [Item.STAGE, Item.ATTENDANCE]
    with pytest.raises(agreement.NotAllowed):
        agreement.set_audience(request, Audience.REFERRER, [Item.STAGE], by=sharing.world.doctor, based_on=1)


def test_the_doctors_referral_page_says_what_the_referrer_really_sees(client, sharing):
    _mandate(sharing)
    login_as(client, sharing.world.doctor)
    page = client.get(reverse("referrals:referral_for_doctor", args=[sharing.referral.reference])).content.decode()
    assert "they always see that it was received, the stage your support is at, how many sessions" in page
    assert "The stage your support is at (required by the formal process)" in page
    assert reverse("sharing:who_can_see_what", args=[sharing.referral.reference]) in page
    login_as(client, sharing.world.referrer)
    status = client.get(reverse("referrals:referral_status", args=[sharing.referral.reference])).content.decode()
    assert "Support under way" in status and "Sessions attended: 2" in status


@time_machine.travel("2026-12-01 10:04:00+00:00", tick=False)
def test_the_history_records_every_change_with_version_time_and_why(client, sharing, catalogue_plan):
    login_as(client, sharing.world.doctor)
    client.post(change_url(sharing.referral.reference), {"based_on": "0", "items": ["stage"]})
    client.post(change_url(sharing.referral.reference, "employer"), {"based_on": "1", "items": ["reasons"]})
    catalogue_plan(sharing, {"goals": ["referrer"]})
    versions = agreement.versions(sharing.fresh())
    assert [(v.number, v.source) for v in versions] == [(3, Source.PLAN), (2, Source.DOCTOR), (1, Source.DOCTOR)]
    text = overview(client, sharing.referral.reference)
    assert "Tuesday 1 December 2026 at 10:04am" in text
    assert "You agreed version 2 of your support plan" in text
    assert "The person who referred you can now see goals" in text
    assert "Your employer can now see what the support is for" in text
    history = client.get(reverse("sharing:history", args=[sharing.referral.reference])).content.decode()
    assert "Version 1" in history and "Version 3 (now)" in history
    # An earlier version reads as it was: version 1 shared the stage with the referrer and nothing else.
    first = history.split("Version 1")[1]
    assert "The stage your support is at" in first and "What the support is for" not in first


@pytest.fixture
def catalogue_plan():
    """Agree a second plan version proposing ``sharing``, through the real agree flow."""

    def agree(sharing_setup, proposal):
        from supportpath.plans import services

        case = sharing_setup.case
        content = services.latest_version(case).content
        content["sharing"] = proposal
        services.save_draft(case, by=sharing_setup.world.case_manager, data=content, based_on=0)
        version = services.share_with_doctor(case, by=sharing_setup.world.case_manager)
        services.agree(case, number=version.number)
        return version

    return agree


def test_agreeing_a_plan_adds_what_it_proposed_and_the_doctor_saw_it_first(client, sharing, catalogue_plan):
    from supportpath.plans import services

    case = sharing.case
    content = services.latest_version(case).content
    content["sharing"] = {"milestones": ["referrer", "responsible_officer"]}
    services.save_draft(case, by=sharing.world.case_manager, data=content, based_on=0)
    version = services.share_with_doctor(case, by=sharing.world.case_manager)
    login_as(client, sharing.world.doctor)
    plan_page = client.get(reverse("plans:my_plan", args=[case.pk])).content.decode()
    assert "Agreeing this version will also share:" in plan_page
    assert "Milestones with the person who referred you, your responsible officer" in plan_page
    agree_page = client.get(reverse("plans:agree_plan", args=[case.pk])).content.decode()
    assert "Agreeing it will also share:" in agree_page
    assert agreement.items_for(sharing.fresh(), Audience.REFERRER) == []
    response = client.post(reverse("plans:agree_plan", args=[case.pk]), {"number": version.number, "confirm": "on"})
    assert response.status_code == 302
    request = sharing.fresh()
    assert agreement.items_for(request, Audience.REFERRER) == [Item.MILESTONES]
    assert agreement.items_for(request, Audience.RESPONSIBLE_OFFICER) == [Item.MILESTONES]
    latest = agreement.versions(request)[0]
    assert (latest.source, latest.plan_version, latest.made_by) == (Source.PLAN, 2, sharing.world.doctor)

    # After that the sharing page governs: taking it back sticks, and a later plan does not quietly ask again.
    client.post(change_url(sharing.referral.reference), {"based_on": "1"})
    login_as(client, sharing.world.case_manager)
    form = client.get(reverse("plans:edit_plan", args=[case.pk])).content.decode()
    assert 'name="share_milestones" type="checkbox" value="referrer"' in form
    assert 'name="share_milestones" type="checkbox" value="referrer" checked' not in form
    assert "The responsible officer: milestones" in form  # staff see what is shared now


def test_another_doctor_or_staff_cannot_open_a_doctors_sharing_pages(client, sharing):
    reference = sharing.referral.reference
    urls = [
        reverse("sharing:who_can_see_what", args=[reference]),
        reverse("sharing:history", args=[reference]),
        change_url(reference),
    ]
    for person in (
        sharing.world.other_doctor,
        sharing.world.referrer,
        sharing.world.case_manager,
        sharing.world.other_case_manager,
        sharing.officer,
    ):
        login_as(client, person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(urls[2], {"based_on": "0", "items": ["goals"]}).status_code == 404
    assert not AgreementVersion.objects.exists()


def test_my_support_links_each_request_to_its_sharing_page(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    for r in (world.self_request, world.referral):
        assert reverse("sharing:who_can_see_what", args=[r.reference]) in page


def test_a_doctor_with_no_employer_on_record_is_told_nobody_there_can_see_anything(client, world):
    profile = world.doctor.doctor_profile
    profile.employer = None
    profile.save(update_fields=["employer"])
    login_as(client, world.doctor)
    text = overview(client, world.self_request.reference)
    assert "We do not know who you work for, so no employer can see anything." in text
    assert change_url(world.self_request.reference, "employer") not in text
    assert client.get(change_url(world.self_request.reference, "employer")).status_code == 404
