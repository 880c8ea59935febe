"""The pages: the doctor's erasure request, and the service admin's "Records and retention"."""

import uuid

import pytest
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.models import AccessRecord
from supportpath.records import erasure
from supportpath.records.models import ErasureRequest, RetentionRun
from supportpath.records.retention import apply_retention
from supportpath.referrals.models import SupportRequest
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db

PAGE = reverse("records:records_and_retention")


def decision_url(erasure_request) -> str:
    return reverse("records:erasure_decision", args=[erasure_request.pk])


def ask(profile) -> ErasureRequest:
    [made] = erasure.ask(profile, note="Please.", token=uuid.uuid4())
    return made


# The doctor's side


def test_the_doctor_reads_what_erasure_means_and_what_may_be_kept(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("records:erasure")).content.decode()
    for words in [
        "North Fictional Professional Support Unit",
        "deletes for good",
        "mandated process",
        "the law says the service must keep it",
        "complaint or a legal claim",
        "log of who has seen or changed your record is kept",
        "no longer has your name",
        "restore its data from a backup",
        "at least 6 years old",
        "download your data",
    ]:
        assert words in page, words


def test_my_support_links_to_the_erasure_page(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert reverse("records:erasure") in page


def test_asking_sends_the_request_once_and_shows_what_happens_next(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.doctor)
    token = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(reverse("records:erasure"), {"note": "Everything, please.", "token": token})
        assert response["Location"] == reverse("records:erasure_sent")
    assert ErasureRequest.objects.count() == 1
    page = client.get(reverse("records:erasure_sent")).content.decode()
    assert "Your request has been sent" in page and "will decide by" in page
    page = client.get(reverse("records:erasure")).content.decode()
    assert "Waiting for a decision" in page and "already has your request" in page


def test_a_note_that_is_too_long_is_refused_in_plain_words_and_kept(client, world):
    login_as(client, world.doctor)
    response = client.post(reverse("records:erasure"), {"note": "x" * 1001, "token": str(uuid.uuid4())})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "must be 1,000 characters or fewer" in page and "x" * 1001 in page
    assert not ErasureRequest.objects.exists()


def test_the_sent_page_sends_a_doctor_with_nothing_waiting_back(client, world):
    login_as(client, world.doctor)
    assert client.get(reverse("records:erasure_sent"))["Location"] == reverse("records:erasure")


# The service admin's side: who may see it


@pytest.mark.parametrize("who", ["case_manager", "facilitator", "doctor", "other_case_manager", "referrer"])
def test_only_service_admins_see_records_and_retention(client, world, who):
    login_as(client, getattr(world, who))
    assert client.get(PAGE).status_code == 404


def test_a_service_admin_of_another_service_cannot_open_the_request(client, world, other_service_admin):
    request = ask(world.doctor.doctor_profile)
    login_as(client, other_service_admin)
    assert client.get(PAGE).status_code == 200
    assert request.reference not in client.get(PAGE).content.decode()
    assert client.get(decision_url(request)).status_code == 404
    assert client.post(decision_url(request), {"decision": "erase"}).status_code == 404
    assert SupportRequest.objects.filter(doctor=world.doctor.doctor_profile).count() == 2


@pytest.mark.parametrize("who", ["case_manager", "doctor", "facilitator"])
def test_other_people_cannot_open_or_decide_a_request(client, world, who):
    request = ask(world.doctor.doctor_profile)
    login_as(client, getattr(world, who))
    assert client.get(decision_url(request)).status_code == 404
    assert client.post(decision_url(request), {"decision": "erase"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "waiting"


def test_a_service_admin_needs_the_second_factor(client, world, service_admin):
    login_as(client, service_admin, verified=False)
    response = client.get(PAGE)
    assert response.status_code == 302 and "two-step" in response["Location"]


# The service admin's side: what they see and do


def test_the_page_shows_the_periods_runs_and_waiting_requests(client, world, service_admin):
    request = ask(world.doctor.doctor_profile)
    apply_retention(trigger="command")
    login_as(client, service_admin)
    page = client.get(PAGE).content.decode()
    assert "Records and retention" in page and request.reference in page
    assert "10 years" in page and "the date the case closed" in page
    assert "Command line" in page and "Completed" in page
    # No name on the list: who it is, is read on the request's own page, where the reading is logged.
    assert "Dr Ada Example" not in page


def test_opening_a_request_is_logged_for_the_doctor(client, world, service_admin):
    request = ask(world.doctor.doctor_profile)
    login_as(client, service_admin)
    page = client.get(decision_url(request)).content.decode()
    assert "Dr Ada Example" in page and world.self_request.reference in page and "Please." in page
    record = AccessRecord.objects.get(actor=service_admin)
    assert record.doctor_id == world.doctor.doctor_profile.pk and record.actor_role == Role.SERVICE_ADMIN


def test_a_doctor_who_is_also_staff_is_pointed_out(client, world, service_admin):
    f.MembershipFactory(user=world.doctor, organisation=world.service, role=Role.FACILITATOR)
    request = ask(world.doctor.doctor_profile)
    login_as(client, service_admin)
    assert "also a staff account" in client.get(decision_url(request)).content.decode()


def test_the_decision_needs_a_choice_and_a_reason_to_keep(client, world, service_admin):
    request = ask(world.doctor.doctor_profile)
    login_as(client, service_admin)
    page = client.post(decision_url(request), {}).content.decode()
    assert "Select whether to erase the records or keep them" in page
    page = client.post(decision_url(request), {"decision": "keep", "reason": "  "}).content.decode()
    assert "Tell the doctor why their records are kept" in page
    request.refresh_from_db()
    assert request.status == "waiting"


def test_carrying_out_from_the_page_erases_and_says_so(client, world, service_admin):
    request = ask(world.doctor.doctor_profile)
    login_as(client, service_admin)
    response = client.post(decision_url(request), {"decision": "erase"}, follow=True)
    assert "The records are erased" in response.content.decode()
    assert not SupportRequest.objects.filter(pk=world.self_request.pk).exists()
    page = client.get(PAGE).content.decode()
    assert "No requests are waiting" in page and "account closed" in page
    # Pressing again finds nothing left to decide.
    assert client.post(decision_url(request), {"decision": "erase"}).status_code == 404


def test_keeping_from_the_page_stores_the_reason_for_the_doctor(client, world, service_admin):
    request = ask(world.doctor.doctor_profile)
    login_as(client, service_admin)
    client.post(decision_url(request), {"decision": "keep", "reason": "A mandated process needs it."})
    request.refresh_from_db()
    assert request.status == "declined" and request.decline_reason == "A mandated process needs it."
    response = client.get(decision_url(request))
    assert response.status_code == 302  # already decided


def _fill(world, n: int) -> None:
    for i in range(n):
        doctor = f.DoctorFactory(employer=world.trust)
        f.SupportRequestFactory(doctor=doctor, service=world.service)
        request = ask(doctor)
        if i % 2:
            erasure.decline(request, by=world.case_manager, reason="Kept.")
        RetentionRun.objects.create(started_at=request.asked_at, trigger="schedule", counts={"closed_cases": i})


@pytest.mark.parametrize("n", [2, 12])
def test_the_page_keeps_its_query_count_as_requests_and_runs_grow(
    client, world, service_admin, django_assert_num_queries, n
):
    _fill(world, n)
    login_as(client, service_admin)
    client.get(PAGE)
    # session, user, memberships, the second-factor device, services, waiting, declined, ledger, runs
    with django_assert_num_queries(9):
        response = client.get(PAGE)
    assert response.status_code == 200
