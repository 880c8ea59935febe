"""Secure messages: who may read and write them, what is logged, what the email says, and that double presses
and bad input lose nothing."""

import uuid

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from supportpath.accounts.models import Membership, Role
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, Stage
from supportpath.messaging import services
from supportpath.messaging.access import get_own_thread, get_thread_for
from supportpath.messaging.export import messages
from supportpath.messaging.models import Message
from supportpath.referrals.models import Status
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

pytestmark = pytest.mark.django_db

SECRET = "I have not slept properly since the inquest."


def _thread_url(support_request) -> str:
    return reverse("messaging:thread", args=[support_request.reference])


def _send(client, user, support_request, text=SECRET, token=None):
    login_as(client, user)
    return client.post(_thread_url(support_request), {"text": text, "token": str(token or uuid.uuid4())})


def _accepted(world):
    Case.objects.filter(pk=world.case.pk).update(facilitator=world.facilitator, stage=Stage.SUPPORT)
    world.case.refresh_from_db()


def test_the_doctor_writes_the_case_manager_is_told_only_that_there_is_a_message(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, world.doctor, world.self_request)
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.text == SECRET and message.author_role == Role.DOCTOR
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM messaging_message")
        assert SECRET not in cursor.fetchone()[0]  # encrypted at rest
    assert [m.to for m in mail.outbox] == [[world.case_manager.email]]
    email = mail.outbox[0]
    assert email.subject == "You have a new message"
    assert "inquest" not in email.body and world.doctor.full_name not in email.body
    assert _thread_url(world.self_request) in email.body


def test_the_case_manager_replies_the_doctor_is_emailed_and_the_read_is_logged(
    client, world, django_capture_on_commit_callbacks
):
    _send(client, world.doctor, world.self_request)
    login_as(client, world.case_manager)
    page = client.get(_thread_url(world.self_request))
    assert SECRET in page.content.decode()
    assert AccessRecord.objects.filter(
        actor=world.case_manager, what=f"Messages about request {world.self_request.reference}", action="viewed"
    ).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, world.case_manager, world.self_request, text="Thank you for telling me. Could we talk?")
    assert [m.to for m in mail.outbox] == [[world.doctor.email]]
    assert "talk" not in mail.outbox[0].body
    login_as(client, world.doctor)
    seen = client.get(reverse("audit:access_log")).content.decode()
    assert "Messages about request" in seen and world.case_manager.full_name in seen


def test_pressing_send_twice_sends_one_message(client, world):
    token = uuid.uuid4()
    _send(client, world.doctor, world.self_request, token=token)
    _send(client, world.doctor, world.self_request, token=token)
    assert Message.objects.count() == 1


def test_a_message_too_long_keeps_what_was_typed(client, world):
    typed = "x" * 5001
    response = _send(client, world.doctor, world.self_request, text=typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your message must be 5,000 characters or fewer" in body and typed in body
    assert not Message.objects.exists()
    empty = _send(client, world.doctor, world.self_request, text="   ")
    assert "Enter your message" in empty.content.decode()


@pytest.mark.parametrize(
    "who",
    [
        "referrer",
        "responsible_officer",
        "other_doctor",
        "other_case_manager",
        "other_facilitator",
        "service_admin",
        "evaluator",
        "facilitator",
    ],
)
def test_nobody_outside_the_relationship_reads_or_writes(client, world, who):
    _send(client, world.doctor, world.self_request)
    before = AccessRecord.objects.count()
    login_as(client, getattr(world, who))
    assert client.get(_thread_url(world.self_request)).status_code in (404,)
    assert client.post(_thread_url(world.self_request), {"text": "hi", "token": str(uuid.uuid4())}).status_code == 404
    contact = reverse("messaging:doctor_contact", args=[world.self_request.reference])
    assert client.get(contact).status_code == 404
    assert Message.objects.count() == 1
    assert AccessRecord.objects.count() == before


def test_the_facilitator_once_accepted_then_not_after_the_case_closes_or_their_role_ends(client, world):
    _accepted(world)
    login_as(client, world.facilitator)
    assert client.get(_thread_url(world.self_request)).status_code == 200
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.CLOSED)
    assert client.get(_thread_url(world.self_request)).status_code == 404
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.SUPPORT)
    Membership.objects.filter(user=world.facilitator, role=Role.FACILITATOR).delete()
    client.logout()
    login_as(client, world.facilitator)
    assert client.get(_thread_url(world.self_request)).status_code == 404


def test_when_the_doctor_writes_after_acceptance_the_facilitator_is_told_too(
    client, world, django_capture_on_commit_callbacks
):
    _accepted(world)
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, world.doctor, world.self_request)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.case_manager.email, world.facilitator.email])


def test_before_a_case_the_doctor_writes_to_the_services_case_managers(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, world.doctor, world.referral)
    assert [m.to for m in mail.outbox] == [[world.case_manager.email]]
    login_as(client, world.case_manager)
    assert SECRET in client.get(_thread_url(world.referral)).content.decode()


def test_a_closed_case_is_read_only_for_everyone(client, world):
    _send(client, world.doctor, world.self_request)
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.CLOSED)
    for person in (world.doctor, world.case_manager):
        login_as(client, person)
        page = client.get(_thread_url(world.self_request)).content.decode()
        assert SECRET in page and "This conversation has ended" in page and "Send message" not in page
        client.post(_thread_url(world.self_request), {"text": "more", "token": str(uuid.uuid4())})
    assert Message.objects.count() == 1
    world.self_request.status = Status.CLOSED
    assert not get_own_thread(world.doctor, world.self_request.reference).can_write


def test_contact_details_for_the_case_manager_and_the_accepted_facilitator_each_read_logged(client, world):
    profile = world.doctor.doctor_profile
    profile.phone = "07700 900 123"
    profile.preferred_contact_times = "Weekday evenings after 6pm"
    profile.save()
    url = reverse("messaging:doctor_contact", args=[world.self_request.reference])
    login_as(client, world.case_manager)
    body = client.get(url).content.decode()
    assert "07700 900 123" in body and "Weekday evenings after 6pm" in body and world.doctor.email in body
    _accepted(world)
    login_as(client, world.facilitator)
    assert client.get(url).status_code == 200
    what = f"Contact details ({world.self_request.reference})"
    assert set(AccessRecord.objects.filter(what=what).values_list("actor", flat=True)) == {
        world.case_manager.pk,
        world.facilitator.pk,
    }
    login_as(client, world.doctor)
    assert client.get(url).status_code == 404
    assert what in client.get(reverse("audit:access_log")).content.decode()


def test_the_doctor_sees_their_teams_work_contact_details(client, world):
    world.case_manager.work_phone = "0113 496 0000"
    world.case_manager.save()
    login_as(client, world.doctor)
    body = client.get(_thread_url(world.self_request)).content.decode()
    assert world.case_manager.email in body and "0113 496 0000" in body
    assert world.facilitator.email not in body  # offered, not accepted
    _accepted(world)
    assert world.facilitator.email in client.get(_thread_url(world.self_request)).content.decode()


def test_the_doctor_sets_preferred_times_on_their_account(client, world):
    login_as(client, world.doctor)
    url = reverse("accounts:change_detail", args=["preferred-contact-times"])
    assert client.post(url, {"preferred_contact_times": " Mornings before 8am "}).status_code == 302
    world.doctor.doctor_profile.refresh_from_db()
    assert world.doctor.doctor_profile.preferred_contact_times == "Mornings before 8am"
    assert "Mornings before 8am" in client.get(reverse("accounts:your_account")).content.decode()


def test_staff_set_their_work_phone(client, world):
    login_as(client, world.case_manager)
    url = reverse("messaging:work_phone")
    bad = client.post(url, {"work_phone": "call me"})
    assert "Enter a UK phone number" in bad.content.decode() and "call me" in bad.content.decode()
    assert client.post(url, {"work_phone": "0113 496 0000"}).status_code == 302
    world.case_manager.refresh_from_db()
    assert world.case_manager.work_phone == "0113 496 0000"
    login_as(client, world.doctor)
    assert client.get(url).status_code == 403


def test_unread_counts_and_the_inbox_costs_the_same_however_many_threads(client, world, django_assert_num_queries):
    _send(client, world.doctor, world.self_request)
    _send(client, world.doctor, world.referral)
    login_as(client, world.case_manager)
    client.get(reverse("messaging:inbox"))  # the list's sightings are logged once a day
    with django_assert_num_queries(pinned(8)) as captured:
        body = client.get(reverse("messaging:inbox")).content.decode()
    assert "Messages (2 new)" in body.split("</header>")[0]
    assert body.split("</header>")[1].count("1 new") == 2
    few = len(captured)
    client.get(_thread_url(world.self_request))
    body = client.get(reverse("messaging:inbox")).content.decode()
    assert "Messages (1 new)" in body.split("</header>")[0]
    assert body.split("</header>")[1].count("1 new") == 1
    for _ in range(3):
        other = Message.objects.first()
        Message.objects.create(
            request=world.referral,
            author=world.doctor,
            author_role=Role.DOCTOR,
            text="more",
            submission_token=uuid.uuid4(),
            sent_at=other.sent_at,
        )
    with django_assert_num_queries(few):
        client.get(reverse("messaging:inbox"))
    login_as(client, world.doctor)
    assert client.get(reverse("messaging:inbox")).status_code == 200
    login_as(client, world.referrer)
    assert client.get(reverse("messaging:inbox")).status_code == 403


def test_messages_are_in_the_doctors_data_download(world):

    thread = get_own_thread(world.doctor, world.self_request.reference)
    services.send_message(thread, author=world.doctor, text=SECRET, token=uuid.uuid4())
    rows = messages(world.doctor.doctor_profile)
    assert rows[0]["message"] == SECRET and rows[0]["from"] == "You"


def test_the_employer_and_a_former_case_manager_reach_no_message(client, world):
    """The doctor's employer (its organisation lead) never does; a case manager whose membership has ended no
    longer does, though the case still names them."""
    _send(client, world.doctor, world.self_request)
    lead = f.MembershipFactory(organisation=world.trust, role=Role.ORGANISATION_LEAD).user
    login_as(client, lead)
    assert client.get(_thread_url(world.self_request)).status_code == 404
    assert client.get(reverse("messaging:inbox")).status_code == 403
    Membership.objects.filter(user=world.case_manager, role=Role.CASE_MANAGER).delete()
    client.logout()
    login_as(client, world.case_manager)
    assert client.get(_thread_url(world.self_request)).status_code == 404
    assert client.get(reverse("messaging:doctor_contact", args=[world.self_request.reference])).status_code == 404
    assert not AccessRecord.objects.filter(what__startswith="Messages about").exists()


def test_the_header_counts_new_messages_in_one_query_for_the_doctor_and_staff(client, world, django_assert_num_queries):
    """Every page's header links to "Messages", with how many are new: the doctor's from their team, staff's
    over every thread they may open. One query whoever asks, however many threads; nobody else has the link."""
    from supportpath.messaging.services import unread_count

    _send(client, world.doctor, world.self_request)
    _send(client, world.doctor, world.referral)
    login_as(client, world.case_manager)
    header = client.get(reverse("accounts:your_account")).content.decode().split("</header>")[0]
    assert "Messages (2 new)" in header and reverse("messaging:inbox") in header
    with django_assert_num_queries(1):
        assert unread_count(world.case_manager, as_staff=True) == 2
    login_as(client, world.doctor)
    header = client.get(reverse("accounts:your_account")).content.decode().split("</header>")[0]
    assert reverse("messaging:inbox") in header
    assert "new)" not in header, "their own messages are not new to them"
    login_as(client, world.case_manager)
    thread = get_thread_for(world.case_manager, world.self_request.reference)
    services.send_message(thread, author=world.case_manager, text="Hello", token=uuid.uuid4(), notify=False)
    login_as(client, world.doctor)
    header = client.get(reverse("accounts:your_account")).content.decode().split("</header>")[0]
    assert "Messages (1 new)" in header
    doctor = type(world.doctor).objects.get(pk=world.doctor.pk)
    doctor.doctor_profile  # noqa: B018 (read before counting, as the pages have)
    with django_assert_num_queries(1):
        assert unread_count(doctor, as_staff=False) == 1
    for person in (world.referrer, world.responsible_officer, world.service_admin):
        login_as(client, person)
        header = client.get(reverse("accounts:your_account")).content.decode().split("</header>")[0]
        assert reverse("messaging:inbox") not in header, person
