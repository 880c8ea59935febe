"""Peer supporters and matching: who may offer, approval, suggestions, both sides' yes before names, ending,
concerns, and who reaches what."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.peer import services
from supportpath.peer.models import PeerConcern, RequestStatus, SupporterStatus
from supportpath.testing.auth import login_as

from .conftest import OFFER, approved_supporter, closed_case_doctor, peer_request

pytestmark = pytest.mark.django_db


def test_only_a_doctor_whose_support_has_ended_can_offer(world):
    with pytest.raises(services.NotAllowed):
        services.offer(world.doctor.doctor_profile, world.service, OFFER)  # their case is still open
    doctor = closed_case_doctor(world, "Dr Olu Offer")
    supporter = services.offer(doctor, world.service, OFFER)
    assert supporter.status == SupporterStatus.OFFERED
    assert supporter.boundaries_agreed_at is not None


def test_the_service_approves_once_preparation_is_recorded(world, client):
    doctor = closed_case_doctor(world, "Dr Olu Offer")
    supporter = services.offer(doctor, world.service, OFFER)
    login_as(client, world.case_manager)
    response = client.post(reverse("peer:supporter", args=[supporter.pk]), {"preparation_done_on": "not a date"})
    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()
    client.post(reverse("peer:supporter", args=[supporter.pk]), {"preparation_done_on": "01/11/2026"})
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.APPROVED
    assert str(supporter.preparation_done_on) == "2026-11-01"


def test_a_peer_supporter_can_pause_and_stop_at_any_time(world, client):
    supporter = approved_supporter(world)
    login_as(client, supporter.doctor.user)
    client.post(reverse("peer:my_status"), {"supporter": supporter.pk, "status": "paused"})
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.PAUSED
    assert services.suggestions(peer_request(world)) == []
    client.post(reverse("peer:my_status"), {"supporter": supporter.pk, "status": "stopped"})
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.STOPPED


def test_suggestions_never_come_from_the_doctors_own_employer_unless_they_say_so(world):
    same_employer = approved_supporter(world, "Dr Same Place", employer=world.trust)
    elsewhere = approved_supporter(world, "Dr Else Where")
    suggested = [s.supporter for s in services.suggestions(peer_request(world))]
    assert suggested == [elsewhere]
    fine = peer_request(world, same_employer_ok=True)
    assert {s.supporter for s in services.suggestions(fine)} == {same_employer, elsewhere}


def test_suggestions_rank_by_shared_experience_and_respect_capacity(world):
    exams = approved_supporter(world, "Dr Exam Talker")
    other = closed_case_doctor(world, "Dr Career Talker")
    career = services.approve(
        services.offer(other, world.service, {**OFFER, "experiences": ["career"], "most_at_once": "1"}),
        by=world.case_manager,
        preparation_done_on=exams.preparation_done_on,
    )
    suggestions = services.suggestions(peer_request(world))
    assert [s.supporter for s in suggestions] == [exams, career]
    assert suggestions[0].shared == ["Exams"]
    # Career talker is full once they have one doctor.
    services.propose(peer_request(world, experiences=["career"]), career.pk, by=world.case_manager)
    assert career not in [s.supporter for s in services.suggestions(peer_request(world))]


def test_both_say_yes_before_either_learns_the_others_name(world, client):
    supporter = approved_supporter(world)
    request = peer_request(world)
    match = services.propose(request, supporter.pk, by=world.case_manager)
    doctor_client = login_as(client.__class__(), world.doctor)
    supporter_client = login_as(client.__class__(), supporter.doctor.user)
    url = reverse("peer:match", args=[match.pk])

    page = doctor_client.get(url).content.decode()
    assert "I failed an exam twice" in page  # the profile, in their words
    assert "Dr Sam Supporter" not in page
    # The peer supporter does not see the doctor at all until the doctor has chosen them.
    assert supporter_client.get(url).status_code == 404

    doctor_client.post(url, {"answer": "yes"})
    page = supporter_client.get(url).content.decode()
    assert "My exam is in March." in page
    assert world.doctor.full_name not in page
    assert "Dr Sam Supporter" not in doctor_client.get(url).content.decode()

    supporter_client.post(url, {"answer": "yes"})
    assert world.doctor.full_name in supporter_client.get(url).content.decode()
    assert world.doctor.email in supporter_client.get(url).content.decode()
    assert "Dr Sam Supporter" in doctor_client.get(url).content.decode()


@pytest.mark.parametrize("side", ["doctor", "supporter"])
def test_either_side_ends_it_with_no_reason_and_names_are_no_longer_shown(world, client, side):
    supporter = approved_supporter(world)
    match = services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    services.answer(match, "doctor", True)
    services.answer(match, "supporter", True)
    ender = world.doctor if side == "doctor" else supporter.doctor.user
    login_as(client, ender)
    client.post(reverse("peer:end_match", args=[match.pk]))
    match.refresh_from_db()
    assert match.ended_at is not None and match.ended_by == side
    page = client.get(reverse("peer:match", args=[match.pk])).content.decode()
    other = "Dr Sam Supporter" if side == "doctor" else world.doctor.full_name
    assert other not in page


def test_a_no_lets_the_case_manager_suggest_someone_else(world):
    first = approved_supporter(world, "Dr First One")
    second = approved_supporter(world, "Dr Second One")
    request = peer_request(world)
    match = services.propose(request, first.pk, by=world.case_manager)
    services.answer(match, "doctor", False)
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert [s.supporter for s in services.suggestions(request)] == [second]


def test_a_peer_supporter_reaches_only_the_doctors_who_chose_them(world, client):
    supporter = approved_supporter(world)
    another = approved_supporter(world, "Dr Another Supporter")
    chosen = services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    services.answer(chosen, "doctor", True)
    not_chosen = services.propose(
        peer_request(world, closed_case_doctor(world, "Dr Someone Else")), another.pk, by=world.case_manager
    )
    login_as(client, supporter.doctor.user)
    assert client.get(reverse("peer:match", args=[chosen.pk])).status_code == 200
    assert client.get(reverse("peer:match", args=[not_chosen.pk])).status_code == 404
    home = client.get(reverse("peer:home")).content.decode()
    assert "Dr Someone Else" not in home


def test_a_concern_reaches_the_case_manager_and_not_the_case_record(world, client, django_capture_on_commit_callbacks):
    supporter = approved_supporter(world)
    match = services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    services.answer(match, "doctor", True)
    services.answer(match, "supporter", True)
    case_before = list(Case.objects.values())
    login_as(client, supporter.doctor.user)
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("peer:concern", args=[match.pk]),
            {"text": "They said they feel hopeless.", "submission_token": token},
        )
        client.post(
            reverse("peer:concern", args=[match.pk]),
            {"text": "They said they feel hopeless.", "submission_token": token},
        )
    assert PeerConcern.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[world.case_manager.email]]
    assert "hopeless" not in mail.outbox[0].body
    assert list(Case.objects.values()) == case_before
    login_as(client, world.case_manager)
    page = client.get(reverse("peer:request", args=[match.request_id])).content.decode()
    assert "They said they feel hopeless." in page
    assert "My exam is in March." not in page  # what the doctor wrote is for the peer supporter only
    assert AccessRecord.objects.filter(actor=world.case_manager, doctor=world.doctor.doctor_profile).exists()


def test_the_doctor_cannot_raise_a_concern_about_their_peer_supporter_through_the_supporters_form(world, client):
    supporter = approved_supporter(world)
    match = services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    services.answer(match, "doctor", True)
    services.answer(match, "supporter", True)
    login_as(client, world.doctor)
    assert client.get(reverse("peer:concern", args=[match.pk])).status_code == 404


def test_another_services_case_manager_reaches_nothing(world, client):
    supporter = approved_supporter(world)
    request = peer_request(world)
    login_as(client, world.other_case_manager)
    assert client.get(reverse("peer:supporter", args=[supporter.pk])).status_code == 404
    assert client.get(reverse("peer:request", args=[request.pk])).status_code == 404
    assert "Dr Sam Supporter" not in client.get(reverse("peer:supporters")).content.decode()


def test_a_double_submitted_request_makes_one(world, client):
    login_as(client, world.doctor)
    token = str(uuid.uuid4())
    data = {"experiences": ["examinations"], "same_employer": "no", "to_tell": "", "submission_token": token}
    client.post(reverse("peer:ask"), data)
    client.post(reverse("peer:ask"), data)
    assert world.doctor.doctor_profile.peer_requests.count() == 1


def test_proposing_someone_not_suggested_is_refused(world):
    same_employer = approved_supporter(world, "Dr Same Place", employer=world.trust)
    with pytest.raises(services.NotAllowed):
        services.propose(peer_request(world), same_employer.pk, by=world.case_manager)


def test_after_a_no_the_peer_supporter_no_longer_reads_what_the_doctor_wrote(world, client):
    supporter = approved_supporter(world)
    match = services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    services.answer(match, "doctor", True)
    services.answer(match, "supporter", False)
    login_as(client, supporter.doctor.user)
    page = client.get(reverse("peer:match", args=[match.pk])).content.decode()
    assert "My exam is in March." not in page
    assert "One of you said no" in page


def test_the_case_managers_approval_and_suggestion_are_in_the_doctors_access_log(world, client):
    supporter = approved_supporter(world)
    request = peer_request(world)
    login_as(client, world.case_manager)
    client.post(reverse("peer:request", args=[request.pk]), {"supporter": str(supporter.pk)})
    assert AccessRecord.objects.filter(
        actor=world.case_manager, doctor=world.doctor.doctor_profile, action=AccessRecord.Action.CHANGED
    ).exists()
    fresh = services.offer(closed_case_doctor(world, "Dr New Offer"), world.service, OFFER)
    client.post(reverse("peer:supporter", args=[fresh.pk]), {"preparation_done_on": "01/11/2026"})
    assert AccessRecord.objects.filter(doctor=fresh.doctor, action=AccessRecord.Action.CHANGED).exists()
