"""Access ends when the relationship ends (docs/access-policy.md, "When the relationship has ended"): the rule
through the pages, with the states the policy table's world does not build one by one, and what each refusal
leaves behind (nothing: no row, no access record)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from supportpath.accounts.models import Membership, Role
from supportpath.audit.models import AccessRecord
from supportpath.casework import relationships
from supportpath.closure import services as closing
from supportpath.facilitation import services as facilitation
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.pathway import services as pathway
from supportpath.pathway.models import SupportSession
from supportpath.referrals.models import Route
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.personas import _accepted, _facilitated, _needs_recorded

pytestmark = pytest.mark.django_db


def new_case(world):
    request = f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service, reasons=["career"])
    return _accepted(request, world.case_manager)


def supported(world):
    """A case the world's facilitator supports: accepted, with a session and private notes of their own."""
    case = new_case(world)
    allocation = _facilitated(case, world.case_manager, world.facilitator, held_on=dt.date.today() - dt.timedelta(9))
    case.refresh_from_db()
    return case, allocation


def end_membership(user, organisation, role):
    Membership.objects.filter(user=user, organisation=organisation, role=role).delete()


def case_urls(case) -> list[str]:
    names = ["pathway:case_detail", "plans:plan_detail", "pathway:record_session", "progress:record_review"]
    return [reverse(name, args=[case.pk]) for name in names]


def refused_and_unseen(client, urls):
    """Every URL refused, GET and POST, and nothing written: no new row of the doctor's record, no access
    record (the person saw nothing)."""
    before = (AccessRecord.objects.count(), SupportSession.objects.count())
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"held_on": "01/01/2026", "attendance": "attended"}).status_code == 404, url
    assert (AccessRecord.objects.count(), SupportSession.objects.count()) == before


def test_the_facilitator_of_a_closed_case_reaches_nothing_of_it_but_their_own_notes(client, world):
    case, allocation = supported(world)
    closing.close_case(case, by=world.case_manager, data={"reason": "goals_met", "closed_on": dt.date.today()})
    case.refresh_from_db()
    assert case.facilitator_id == world.facilitator.pk, "the record of who supported the doctor is kept"
    assert not relationships.is_facilitating(world.facilitator, case)
    login_as(client, world.facilitator)
    refused_and_unseen(client, [*case_urls(case), reverse("facilitation:respond", args=[allocation.pk])])
    notes = client.get(reverse("pathway:own_private_notes", args=[case.pk]))
    assert notes.status_code == 200 and "only its author may read it" in notes.content.decode()


def test_a_handed_over_case_is_closed_to_its_facilitator_too(client, world):
    case, _ = supported(world)
    closing.close_case(
        case,
        by=world.case_manager,
        data={
            "reason": "handed_over",
            "handed_over_to": "gp",
            "handover_reason": "Their GP can help best.",
            "doctor_consented": True,
            "closed_on": dt.date.today(),
        },
    )
    login_as(client, world.facilitator)
    refused_and_unseen(client, case_urls(case))


def test_when_a_facilitators_role_ends_so_does_everything_they_reached_through_it(client, world):
    case, _ = supported(world)
    waiting = new_case(world)
    _needs_recorded(waiting, world.case_manager, held_on=dt.date.today(), issues=["career"])
    offer = facilitation.propose(waiting, world.facilitator.pk, by=world.case_manager)
    login_as(client, world.facilitator)
    assert client.get(reverse("pathway:case_detail", args=[case.pk])).status_code == 200
    end_membership(world.facilitator, world.service, Role.FACILITATOR)
    refused_and_unseen(
        client,
        [
            *case_urls(case),
            reverse("pathway:own_private_notes", args=[case.pk]),
            reverse("facilitation:respond", args=[offer.pk]),
            reverse("facilitation:record_introduction", args=[offer.pk]),
        ],
    )
    assert client.get(reverse("facilitation:my_allocations")).status_code == 403
    offer.refresh_from_db()
    assert offer.status == AllocationStatus.PROPOSED, "the refused answer changed nothing"


def test_a_facilitator_of_another_service_only_is_not_this_services_facilitator(client, world):
    """The role must be held at the case's own service: a facilitator role elsewhere opens nothing here."""
    case, _ = supported(world)
    end_membership(world.facilitator, world.service, Role.FACILITATOR)
    f.MembershipFactory(user=world.facilitator, organisation=world.other_service, role=Role.FACILITATOR)
    login_as(client, world.facilitator)
    refused_and_unseen(client, case_urls(case))


def test_a_former_case_manager_reaches_none_of_the_services_cases(client, world):
    case, _ = supported(world)
    login_as(client, world.case_manager)
    assert client.get(reverse("pathway:case_detail", args=[case.pk])).status_code == 200
    end_membership(world.case_manager, world.service, Role.CASE_MANAGER)
    refused_and_unseen(
        client,
        [
            *case_urls(case),
            reverse("pathway:needs_assessment", args=[case.pk]),
            reverse("casework:request_detail", args=[case.request.reference]),
        ],
    )
    assert client.get(reverse("casework:inbox")).status_code == 403


def test_past_offers_say_only_that_they_happened(client, world):
    declined_case = new_case(world)
    _needs_recorded(declined_case, world.case_manager, held_on=dt.date.today(), issues=["career"])
    declined = facilitation.propose(declined_case, world.facilitator.pk, by=world.case_manager)
    facilitation.decline(declined, reason="I know the doctor's consultant.")
    changed_case, changed = supported(world)
    facilitation.change_facilitator(changed_case)
    login_as(client, world.facilitator)
    refused_and_unseen(
        client,
        [reverse(name, args=[a.pk]) for a in (declined, changed) for name in ("facilitation:respond",)],
    )
    page = client.get(reverse("facilitation:my_allocations")).content.decode()
    earlier = page.split("<h2>Earlier</h2>")[1]
    assert declined_case.request.reference in earlier and "declined by the facilitator" in earlier
    assert changed_case.request.reference in earlier
    assert world.doctor.full_name not in page and reverse("facilitation:respond", args=[declined.pk]) not in page
    # Their own notes on the case they no longer support stay theirs.
    assert client.get(reverse("pathway:own_private_notes", args=[changed_case.pk])).status_code == 200


def test_an_accepted_offer_says_so_in_plain_words(client, world):
    case, allocation = supported(world)
    login_as(client, world.facilitator)
    page = client.get(reverse("facilitation:respond", args=[allocation.pk])).content.decode()
    assert "You accepted this case on" in page
    assert "You declined by" not in page


def test_a_former_referrer_no_longer_follows_their_referrals(client, world):
    referral = world.referral
    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[referral.reference])
    assert client.get(url).status_code == 200
    end_membership(world.referrer, world.trust, Role.REFERRER)
    before = AccessRecord.objects.count()
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "send_again", "token": str(uuid.uuid4())}).status_code == 404
    assert client.get(reverse("referrals:referral_sent", args=[referral.reference])).status_code == 404
    assert AccessRecord.objects.count() == before


def test_a_referrer_who_moved_organisation_follows_only_the_new_ones_referrals(client, world):
    end_membership(world.referrer, world.trust, Role.REFERRER)
    elsewhere = f.OrganisationFactory(name="Fictional Elsewhere Hospital", support_service=world.service)
    f.MembershipFactory(user=world.referrer, organisation=elsewhere, role=Role.REFERRER)
    new = f.SupportRequestFactory(
        doctor=world.other_doctor.doctor_profile,
        service=world.service,
        route=Route.SUPERVISOR,
        referrer=world.referrer,
        referrer_organisation=elsewhere,
    )
    login_as(client, world.referrer)
    assert client.get(reverse("referrals:referral_status", args=[world.referral.reference])).status_code == 404
    assert client.get(reverse("referrals:referral_status", args=[new.reference])).status_code == 200


def test_a_closed_case_takes_nothing_more_from_its_case_manager_or_its_doctor(client, world):
    case, _ = supported(world)
    pathway_sessions = SupportSession.objects.count()
    closing.close_case(case, by=world.case_manager, data={"reason": "goals_met", "closed_on": dt.date.today()})
    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[case.pk])).content.decode()
    for name in ("pathway:needs_assessment", "pathway:arrange_conversation", "facilitation:allocate_case"):
        url = reverse(name, args=[case.pk])
        assert url not in page, f"no link to {name} on a closed case"
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert client.get(reverse("closure:close_case", args=[case.pk])).status_code == 302, "closing twice: no form"
    login_as(client, world.doctor)
    assessment = case.needs_assessment
    response = client.post(reverse("pathway:comment_on_assessment", args=[case.pk]), {"comment": "Late words."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.doctor_comment == ""
    assert SupportSession.objects.count() == pathway_sessions
    assert Allocation.objects.filter(case=case, status__in=["proposed", "accepted"]).count() == 0
    assert pathway.another_time_refusal(case), "the doctor's other ask on a closed case already says no"


def test_a_closed_cases_doctor_is_sent_back_from_its_forms_and_nothing_changes(client, world):
    from supportpath.facilitation.models import MatchingPreferences
    from supportpath.plans.models import PlanVersion

    case, _ = supported(world)
    closing.close_case(case, by=world.case_manager, data={"reason": "goals_met", "closed_on": dt.date.today()})
    login_as(client, world.doctor)
    before = (MatchingPreferences.objects.count(), PlanVersion.objects.count(), AccessRecord.objects.count())
    for url, data in (
        (reverse("facilitation:my_preferences", args=[case.pk]), {"in_person": "yes", "trained_outside_uk": "no"}),
        (reverse("plans:agree_plan", args=[case.pk]), {"number": "1", "agree": "on"}),
        (reverse("plans:ask_for_changes", args=[case.pk]), {"number": "1", "comment": "More, please."}),
        (reverse("progress:reflect", args=[case.pk, 1]), {"reflection": "Too late."}),
    ):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and response["Location"] == reverse("pathway:my_case", args=[case.pk])
    assert (MatchingPreferences.objects.count(), PlanVersion.objects.count(), AccessRecord.objects.count()) == before
    page = client.get(reverse("pathway:my_case", args=[case.pk])).content.decode()
    assert "Your support with us has ended, so this can no longer be changed." in page
    assert reverse("pathway:comment_on_assessment", args=[case.pk]) not in page
    assert client.get(reverse("closure:exit_feedback", args=[case.pk])).status_code == 200, "feedback: the one form"
