import datetime as dt
import re

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
from supportpath.testing.queries import pinned

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def fresh_request(world, **kwargs):
    kwargs.setdefault("doctor", world.other_doctor.doctor_profile)
    kwargs.setdefault("service", world.service)
    return f.SupportRequestFactory(**kwargs)


def contacted_request(world, **kwargs):
    """A request whose first contact is recorded: the point at which it can be accepted or handed over."""
    kwargs.setdefault("first_contact_on", timezone.localdate())
    kwargs.setdefault("first_contact_method", "phone")
    return fresh_request(world, status=Status.CONTACTED, **kwargs)


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
def test_inbox_query_count_is_the_same_for_3_and_30_requests(client, world, django_assert_num_queries):
    login_as(client, world.case_manager)
    fresh_request(world)
    with django_assert_num_queries(pinned(17, 18)):
        client.get(reverse("casework:inbox"))
    for _ in range(20):
        fresh_request(world, reasons=["career", "bullying"])
    # The same doctor, seen on the list today already: no access records to write this time.
    with django_assert_num_queries(pinned(12)):
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
    support_request = contacted_request(world, submitted_at=dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC))
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
    support_request = contacted_request(world)
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
    support_request = contacted_request(world)
    second_manager = f.MembershipFactory(organisation=world.service, role="case_manager").user
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    client.post(url, {"action": "hand_over", "destination": "gp", "reason": "GP first", "consent": "on"})
    login_as(client, second_manager)
    response = client.post(url, {"action": "accept"}, follow=True)
    assert "Someone else has just changed this request" in response.content.decode()
    assert not Case.objects.filter(request=support_request).exists()


@pytest.mark.django_db
def test_accepted_cases_list_query_count_is_flat(client, world, django_assert_num_queries):
    login_as(client, world.case_manager)
    with django_assert_num_queries(pinned(20, 21)) as small:  # PostgreSQL: the access log chain's lock
        client.get(reverse("casework:cases"))
    small_count = len(small.captured_queries)
    for _ in range(10):
        f.CaseFactory(request=fresh_request(world), case_manager=world.case_manager, opened_at=timezone.now())
    with django_assert_num_queries(small_count):
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


@pytest.mark.django_db
@time_machine.travel(MONDAY, tick=False)
def test_inbox_puts_overdue_uncontacted_requests_above_contacted_ones(client, world):
    contacted = contacted_request(world, first_contact_due=dt.date(2026, 11, 2), first_contact_on=dt.date(2026, 10, 30))
    contacted_later = contacted_request(
        world, first_contact_due=dt.date(2026, 11, 9), first_contact_on=dt.date(2026, 11, 6)
    )
    overdue = fresh_request(world, first_contact_due=dt.date(2026, 11, 20))
    later = fresh_request(world, first_contact_due=dt.date(2026, 11, 27))
    urgent_contacted = contacted_request(world, urgent=True, first_contact_due=dt.date(2026, 11, 25))
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox")).content.decode()
    order = [page.index(r.reference) for r in (urgent_contacted, overdue, later, contacted, contacted_later)]
    assert order == sorted(order)
    assert "Accept or hand over (contacted Friday 30 October 2026)" in page
    assert "First contact by Friday 20 November 2026" in page


@pytest.mark.django_db
def test_inbox_can_show_only_what_waits_for_first_contact_or_for_a_decision(client, world):
    contacted = contacted_request(world)
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox"), {"waiting": "contacted"}).content.decode()
    assert contacted.reference in page and world.self_request.reference not in page
    page = client.get(reverse("casework:inbox"), {"waiting": "received"}).content.decode()
    assert contacted.reference not in page and world.referral.reference in page
    page = client.get(reverse("casework:inbox"), {"waiting": "accepted"}).content.decode()
    assert "Choose from the list" in page and "Select a valid choice" not in page


@pytest.mark.django_db
def test_inbox_pagination_keeps_the_waiting_filter(client, world):
    for _ in range(26):
        contacted_request(world)
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox"), {"waiting": "contacted"}).content.decode()
    assert "26 requests waiting" in page
    assert "?waiting=contacted&amp;page=2" in page


@pytest.mark.django_db
def test_inbox_query_count_is_flat_with_contacted_requests(client, world, django_assert_num_queries):
    login_as(client, world.case_manager)
    contacted_request(world)
    with django_assert_num_queries(pinned(17, 18)):
        client.get(reverse("casework:inbox"), {"waiting": "contacted"})
    for _ in range(15):
        contacted_request(world, reasons=["career", "bullying"])
        fresh_request(world)
    # The same doctor, seen on the list today already: no access records to write this time.
    with django_assert_num_queries(pinned(12)):
        client.get(reverse("casework:inbox"), {"waiting": "contacted"})
    # The requests waiting for first contact are a list of their own: its first view today logs the doctor.
    with django_assert_num_queries(pinned(17, 18)):
        client.get(reverse("casework:inbox"))


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["accept", "hand_over"])
def test_nothing_is_decided_before_first_contact_is_recorded(client, world, action):
    support_request = fresh_request(world)
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    page = client.get(url).content.decode()
    assert "Accept as a case" not in page and "Hand over" not in page
    data = {"action": action, "destination": "gp", "reason": "GP first", "consent": "on"}
    response = client.post(url, data, follow=True)
    assert "Record the first contact with the doctor first" in response.content.decode()
    support_request.refresh_from_db()
    assert support_request.status == Status.RECEIVED
    assert not Case.objects.filter(request=support_request).exists()


@pytest.mark.django_db
def test_the_handover_record_shows_where_why_consent_when_and_who(client, world):
    support_request = contacted_request(world)
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    client.post(
        url, {"action": "hand_over", "destination": "practitioner_health", "reason": "Health needs", "consent": "on"}
    )
    support_request.refresh_from_db()
    assert support_request.handed_over_by == world.case_manager
    page = client.get(url).content.decode()
    for expected in ["Practitioner Health", "Health needs", "The doctor agreed to this handover", "Dan Manager"]:
        assert expected in page
    assert timezone.localtime(support_request.handed_over_at).strftime("%-d %B %Y") in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"action": "first_contact", "contacted_on": "01/01/2026", "method": "carrier-pigeon"},
        {"action": "hand_over", "destination": "narnia", "reason": "x", "consent": "on"},
    ],
)
def test_a_choice_not_on_the_request_page_gets_plain_words(client, world, data):
    support_request = contacted_request(world) if data["action"] == "hand_over" else fresh_request(world)
    login_as(client, world.case_manager)
    page = client.post(reverse("casework:request_detail", args=[support_request.reference]), data).content.decode()
    assert "Select one of the options shown" in page
    assert "Select a valid choice" not in page


@pytest.mark.django_db
def test_the_request_page_states_its_limits_and_refuses_over_long_reasons(client, world):
    support_request = contacted_request(world)
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[support_request.reference])
    assert "Up to 1,000 characters" in client.get(url).content.decode()
    page = client.post(
        url, {"action": "hand_over", "destination": "gp", "reason": "x" * 1001, "consent": "on"}
    ).content.decode()
    assert "The reason must be 1,000 characters or fewer" in page


@pytest.mark.django_db
def test_the_case_manager_sees_the_invitation_and_can_send_a_new_one_once_per_press(
    client, world, django_capture_on_commit_callbacks
):
    from supportpath.referrals.tests.test_referral import invitation_link, new_doctor, refer

    login_as(client, world.referrer)
    with django_capture_on_commit_callbacks(execute=True):
        refer(client, new_doctor())
    old_link = invitation_link(mail.outbox[0])
    from supportpath.referrals.models import ReferralInvitation

    invitation = ReferralInvitation.objects.get()
    referral = invitation.request
    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[referral.reference])
    page = client.get(url).content.decode()
    assert "invited to create one" in page and "new.starter@example.test" in page
    import re

    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "send_again", "token": token}, follow=True)
        client.post(url, {"action": "send_again", "token": token})
    assert "A new invitation is on its way to the doctor" in response.content.decode()
    assert len(mail.outbox) == 2
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(invitation_link(mail.outbox[1])).status_code == 200


@pytest.mark.django_db
def test_another_service_cannot_send_a_referral_again(client, world):
    login_as(client, world.other_case_manager)
    url = reverse("casework:request_detail", args=[world.referral.reference])
    response = client.post(url, {"action": "send_again", "token": "5b0c3f4e-6d0a-4d1e-9a51-0d3c2f9e7a10"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_case_manager_is_warned_when_the_referrer_typed_someone_else(client, world):
    world.referral.referred_name = "Dr Somebody Else"
    world.referral.referred_email = "somebody@example.test"
    world.referral.save()
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[world.referral.reference])).content.decode()
    assert "Check this is the right doctor" in page and "Dr Somebody Else" in page


@pytest.mark.django_db
def test_a_send_again_form_from_before_the_request_was_accepted_is_refused(client, world):
    from supportpath.casework import services as casework

    login_as(client, world.case_manager)
    url = reverse("casework:request_detail", args=[world.referral.reference])
    casework.record_first_contact(world.referral, by=world.case_manager, on=timezone.localdate(), method="phone")
    casework.accept(world.referral, by=world.case_manager)
    assert "Email the doctor again" not in client.get(url).content.decode()
    token = "5b0c3f4e-6d0a-4d1e-9a51-0d3c2f9e7a10"
    response = client.post(url, {"action": "send_again", "token": token}, follow=True)
    assert "already accepted as a case, so there is no need to send it again" in response.content.decode()
    assert not world.referral.resends.exists()


def _primary_buttons(page: str) -> list[str]:
    """The text of each main (green) button in the page's content: NHS pages have one at each step."""
    main = page.split("<main", 1)[1]
    buttons = re.findall(r"<button([^>]*)>(.*?)</button>", main, flags=re.S)
    return [
        re.sub(r"\s+", " ", text).strip()
        for attributes, text in buttons
        if "nhsuk-button" in attributes and "nhsuk-button--secondary" not in attributes
    ]


@pytest.mark.django_db
def test_the_request_page_has_one_main_button_the_next_step(client, world):
    login_as(client, world.case_manager)
    fresh = fresh_request(world)
    page = client.get(reverse("casework:request_detail", args=[fresh.reference])).content.decode()
    assert _primary_buttons(page) == ["Record first contact"]
    contacted = contacted_request(world)
    page = client.get(reverse("casework:request_detail", args=[contacted.reference])).content.decode()
    assert _primary_buttons(page) == ["Accept as a case"]


@pytest.mark.django_db
def test_a_long_inbox_says_more_than_its_limit_and_keeps_every_page(client, world, monkeypatch):
    from supportpath.core import pagination

    monkeypatch.setattr(pagination, "COUNT_LIMIT", 27)
    for _ in range(26):
        fresh_request(world)
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:inbox")).content.decode()
    assert "More than 27 requests waiting" in page and "page=2" in page
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 28)
    assert "28 requests waiting" in client.get(reverse("casework:inbox")).content.decode()
    second = client.get(reverse("casework:inbox"), {"page": "2"}).content.decode()
    assert "28 requests waiting" in second and "page=3" not in second


@pytest.mark.django_db
def test_the_demo_accepts_and_hands_over_as_history_telling_nobody(world, django_capture_on_commit_callbacks):
    from supportpath.casework import services as casework

    opened = timezone.now() - dt.timedelta(days=40)
    accepted = contacted_request(world, submitted_at=opened - dt.timedelta(days=3))
    handed = contacted_request(world)
    with django_capture_on_commit_callbacks(execute=True):
        case = casework.accept(accepted, by=world.case_manager, at=opened, notify=False)
        casework.hand_over(
            handed, by=world.case_manager, destination="gp", reason="GP first", consent=True, at=opened, notify=False
        )
    assert case.opened_at == opened
    accepted.refresh_from_db()
    handed.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    assert handed.status == Status.HANDED_OVER and handed.handed_over_at == opened
    assert mail.outbox == []
