import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.referrals.models import Status
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def fresh_request(world, **kwargs):
    kwargs.setdefault("doctor", world.other_doctor.doctor_profile)
    kwargs.setdefault("service", world.service)
    return f.SupportRequestFactory(**kwargs)


@pytest.mark.django_db
@time_machine.travel(MONDAY, tick=False)
def test_inbox_lists_urgent_first_then_by_deadline_with_tags(client, world):
    later = fresh_request(world, first_contact_due=dt.date(2026, 11, 27))
    overdue = fresh_request(world, first_contact_due=dt.date(2026, 11, 20))
    urgent = fresh_request(world, first_contact_due=dt.date(2026, 11, 30), urgent=True)
    soon = fresh_request(world, first_contact_due=dt.date(2026, 11, 24))
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox")).content.decode()
    order = [page.index(r.reference) for r in (urgent, overdue, soon, later)]
    assert order == sorted(order)
    assert "Overdue" in page and "Due soon" in page and "Urgent" in page


@pytest.mark.django_db
def test_inbox_shows_only_the_case_managers_own_service(client, world):
    elsewhere = fresh_request(world, service=world.other_service)
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox")).content.decode()
    assert world.self_request.reference in page
    assert elsewhere.reference not in page
    login_as(client, world.other_case_manager)
    page = client.get(reverse("casework:inbox")).content.decode()
    assert elsewhere.reference in page
    assert world.self_request.reference not in page


@pytest.mark.django_db
def test_inbox_filters_by_reason_route_and_urgency(client, world):
    urgent = fresh_request(world, urgent=True, reasons=["examinations"])
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox"), {"reason": "examinations"}).content.decode()
    assert urgent.reference in page and world.self_request.reference not in page
    page = client.get(reverse("casework:inbox"), {"route": "supervisor"}).content.decode()
    assert world.referral.reference in page and world.self_request.reference not in page
    page = client.get(reverse("casework:inbox"), {"urgent": "on"}).content.decode()
    assert urgent.reference in page and world.referral.reference not in page


@pytest.mark.django_db
def test_inbox_paginates(client, world):
    for _ in range(26):
        fresh_request(world)
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox")).content.decode()
    assert "28 requests waiting" in page
    assert "page=2" in page
    filtered = client.get(reverse("casework:inbox"), {"route": "self"}).content.decode()
    assert "?route=self&amp;page=2" in filtered, "the next page keeps the filters"
    second = client.get(reverse("casework:inbox"), {"route": "self", "page": "2"}).content.decode()
    assert "?route=self&amp;page=1" in second and "page=3" not in second


@pytest.mark.django_db
def test_inbox_query_count_is_the_same_for_3_and_30_requests(client, world, django_assert_max_num_queries):
    login_as(client, world.case_manager)
    fresh_request(world)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("casework:inbox"))
    small_count = len(small.captured_queries)
    for _ in range(20):
        fresh_request(world, reasons=["career", "bullying"])
    with django_assert_max_num_queries(small_count):
        client.get(reverse("casework:inbox"))


@pytest.mark.django_db
def test_opening_a_request_is_logged_with_its_purpose(client, world):
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[world.self_request.reference])).content.decode()
    assert world.self_request.doctor_account in page
    record = AccessRecord.objects.get()
    assert (record.actor, record.purpose) == (world.case_manager, "Triage of a new request")


@pytest.mark.django_db
def test_equality_answers_never_appear_on_the_request(client, world):
    from supportpath.accounts.models import EqualityMonitoring

    EqualityMonitoring.objects.create(doctor=world.doctor.doctor_profile, ethnic_group="Distinctive Answer Xyz")
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[world.self_request.reference])).content.decode()
    assert "Distinctive Answer Xyz" not in page


@pytest.mark.django_db
@time_machine.travel(MONDAY, tick=False)
def test_first_contact_refuses_future_impossible_and_too_early_dates(client, world):
    world.self_request.submitted_at = MONDAY - dt.timedelta(days=3)
    world.self_request.save()
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[world.self_request.reference])
    for value, message in [
        ("24/11/2026", "must be today or in the past"),
        ("31/02/2026", "Enter a real date"),
        ("01/11/2026", "on or after the day the request arrived"),
    ]:
        page = client.post(url, {"action": "first_contact", "contacted_on": value, "method": "phone"}).content.decode()
        assert message in page
        assert f'value="{value}"' in page
    client.post(url, {"action": "first_contact", "contacted_on": "23/11/2026", "method": "phone"})
    world.self_request.refresh_from_db()
    assert world.self_request.status == Status.CONTACTED
    assert world.self_request.first_contact_on == dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_accepting_makes_one_case_with_working_day_due_dates_and_tells_the_doctor(
    client, world, django_capture_on_commit_callbacks
):
    support_request = fresh_request(world, submitted_at=dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC))
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "accept"})
        client.post(url, {"action": "accept"})  # a double click
    case = Case.objects.get(request=support_request)
    # 15 working days from Monday 14 December 2026 skip Christmas, Boxing Day (28th) and New Year's Day.
    assert case.initial_conversation_due == dt.date(2027, 1, 7)
    assert case.case_manager == world.case_manager
    support_request.refresh_from_db()
    assert support_request.status == Status.ACCEPTED
    assert len(mail.outbox) == 1
    assert "Thursday 7 January 2027" in mail.outbox[0].body
    assert support_request.doctor_account not in mail.outbox[0].body


@pytest.mark.django_db
def test_handover_needs_a_reason_and_the_doctors_agreement_and_tells_the_doctor(
    client, world, django_capture_on_commit_callbacks
):
    support_request = fresh_request(world)
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    page = client.post(url, {"action": "hand_over", "destination": "practitioner_health"}).content.decode()
    assert "Enter why this service is a better fit" in page
    assert "Confirm that the doctor agreed to this handover" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"action": "hand_over", "destination": "practitioner_health", "reason": "Health needs", "consent": "on"},
        )
    support_request.refresh_from_db()
    assert support_request.status == Status.HANDED_OVER
    assert support_request.handover_consent
    assert "Practitioner Health" in mail.outbox[0].body
    assert "come back" in mail.outbox[0].body
    assert "Health needs" not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_request_handed_over_by_one_manager_cannot_then_be_accepted_by_another(client, world):
    support_request = fresh_request(world)
    second_manager = f.MembershipFactory(organisation=world.service, role="case_manager").user
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    client.post(url, {"action": "hand_over", "destination": "gp", "reason": "GP first", "consent": "on"})
    login_as(client, second_manager)
    response = client.post(url, {"action": "accept"}, follow=True)
    assert "Someone else has just changed this request" in response.content.decode()
    assert not Case.objects.filter(request=support_request).exists()


@pytest.mark.django_db
def test_accepted_cases_list_query_count_is_flat(client, world, django_assert_max_num_queries):
    login_as(client, world.case_manager)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("casework:cases"))
    small_count = len(small.captured_queries)
    for _ in range(10):
        f.CaseFactory(request=fresh_request(world), case_manager=world.case_manager, opened_at=timezone.now())
    with django_assert_max_num_queries(small_count):
        client.get(reverse("casework:cases"))


@pytest.mark.django_db
def test_a_doctor_who_comes_back_is_shown_with_their_earlier_support(client, world):
    world.self_request.status = Status.CLOSED
    world.self_request.submitted_at = timezone.now() - dt.timedelta(days=200)
    world.self_request.save()
    elsewhere = fresh_request(world, doctor=world.doctor.doctor_profile, service=world.other_service)
    elsewhere.submitted_at = timezone.now() - dt.timedelta(days=100)
    elsewhere.save()
    again = fresh_request(world, doctor=world.doctor.doctor_profile)
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[again.reference])).content.decode()
    assert "Earlier support from this service" in page
    assert world.self_request.reference in page and "case record" in page
    assert elsewhere.reference not in page, "another service's request stays with that service"
