"""Urgent requests: their own first-contact target, every case manager emailed at once (with nothing
confidential), the service admin told once if the target passes, and urgency in sight until it is dealt with."""

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.core.working_days import add_working_days
from supportpath.referrals.models import SupportRequest
from supportpath.referrals.services import SelfReferral, submit_self_referral
from supportpath.referrals.tests.test_referral import DETAILS, as_typed, refer
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _answers(*, urgent: bool) -> SelfReferral:
    return SelfReferral(
        reasons=["mental_health"],
        other_reason="",
        account="I am not coping with nights at the moment.",
        contact_method="phone",
        phone="07700 900982",
        contact_times="",
        employer_may_be_told=False,
        urgent=urgent,
        urgency_details="I do not feel safe on my own tonight." if urgent else "",
    )


def _ask(world, capture, *, urgent: bool = True) -> SupportRequest:
    with capture(execute=True):
        return submit_self_referral(
            world.other_doctor.doctor_profile, world.service, _answers(urgent=urgent), uuid.uuid4()
        )


@time_machine.travel(MONDAY, tick=False)
def test_an_urgent_request_is_due_in_one_working_day_and_every_case_manager_hears_at_once(
    world, django_capture_on_commit_callbacks
):
    second = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER).user
    elsewhere = world.other_case_manager
    urgent = _ask(world, django_capture_on_commit_callbacks)
    assert urgent.first_contact_due == dt.date(2026, 11, 24)
    to = {tuple(m.to)[0]: m for m in mail.outbox}
    for person in (world.case_manager, second):
        body = to[person.email].body
        assert urgent.reference in body and f"/cases/requests/{urgent.reference}/" in body
        # Nothing confidential: not the doctor, their words, or why they asked.
        for secret in ("Ben", "Example", "coping", "safe", "mental", world.other_doctor.email):
            assert secret not in body and secret not in to[person.email].subject
    assert elsewhere.email not in to, "only the request's own service"
    assert world.service_admin.email not in to, "the admin hears only if the target passes"

    mail.outbox.clear()
    ordinary = _ask(world, django_capture_on_commit_callbacks, urgent=False)
    assert ordinary.first_contact_due == add_working_days(MONDAY.date(), 5)
    assert [m.to for m in mail.outbox] == [[world.other_doctor.email]], "an ordinary request alerts nobody"


def test_the_urgent_target_is_a_setting(world, settings, django_capture_on_commit_callbacks):
    settings.TARGET_URGENT_FIRST_CONTACT_DAYS = 2
    with time_machine.travel(MONDAY, tick=False):
        urgent = _ask(world, django_capture_on_commit_callbacks)
    assert urgent.first_contact_due == dt.date(2026, 11, 25)


def test_the_service_admin_is_told_once_when_an_urgent_request_misses_its_target(
    world, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        urgent = _ask(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    def checks_on(day):
        with time_machine.travel(day, tick=False), django_capture_on_commit_callbacks(execute=True):
            call_command("run_stage_checks", stdout=io.StringIO())

    checks_on(MONDAY + dt.timedelta(days=1))  # the due day: not late yet
    assert not [m for m in mail.outbox if m.to == [world.service_admin.email]]
    checks_on(MONDAY + dt.timedelta(days=2))
    checks_on(MONDAY + dt.timedelta(days=3))
    to_admin = [m for m in mail.outbox if m.to == [world.service_admin.email]]
    assert len(to_admin) == 1
    assert urgent.reference in to_admin[0].body and "Ben" not in to_admin[0].body
    urgent.refresh_from_db()
    assert urgent.urgent_escalated_on == dt.date(2026, 11, 25)


def test_a_request_contacted_in_time_never_reaches_the_admin(world, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        urgent = _ask(world, django_capture_on_commit_callbacks)
    SupportRequest.objects.filter(pk=urgent.pk).update(status="contacted", first_contact_on=MONDAY.date())
    mail.outbox.clear()
    with (
        time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_stage_checks", stdout=io.StringIO())
    assert not [m for m in mail.outbox if m.to == [world.service_admin.email]]


def test_referrers_are_asked_about_urgency_too(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.referrer)
    page = client.get(reverse("referrals:referral_doctor"))
    assert page.status_code == 200
    missing = {k: v for k, v in DETAILS.items() if k != "urgent"}
    client.post(reverse("referrals:referral_doctor"), as_typed(world, world.other_doctor))
    page = client.post(reverse("referrals:referral_details"), missing).content.decode()
    assert "Select whether anything makes this referral urgent" in page
    client.logout()
    login_as(client, world.referrer)
    with django_capture_on_commit_callbacks(execute=True):
        refer(
            client,
            as_typed(world, world.other_doctor),
            {**DETAILS, "urgent": "yes", "urgency_details": "He told me he cannot go on like this."},
        )
    referral = SupportRequest.objects.get(referrer=world.referrer, urgent=True)
    assert referral.urgency_details == "He told me he cannot go on like this."
    assert [m for m in mail.outbox if m.to == [world.case_manager.email]]
    sent = client.get(reverse("referrals:referral_sent", args=[referral.reference])).content.decode()
    assert 'href="tel:999"' in sent


def test_urgency_shows_until_a_case_manager_records_how_it_was_dealt_with(client, world):
    SupportRequest.objects.filter(pk=world.self_request.pk).update(urgent=True, urgency_details="Not safe")
    login_as(client, world.case_manager)
    case_page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    cases = client.get(reverse("casework:cases")).content.decode()
    assert "Urgent request" in case_page and "Urgent" in cases
    url = reverse("casework:request_detail", args=[world.self_request.reference])
    today = dt.date.today().strftime("%d/%m/%Y")
    page = client.post(url, {"action": "urgent_dealt_with", "dealt_with_on": today, "urgent_action": ""})
    assert "Enter what was done" in page.content.decode()
    client.post(
        url, {"action": "urgent_dealt_with", "dealt_with_on": today, "urgent_action": "Called her; GP seen today."}
    )
    world.self_request.refresh_from_db()
    assert world.self_request.urgent_action == "Called her; GP seen today."
    assert world.self_request.urgent_dealt_with_by == world.case_manager
    case_page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "Urgent request" not in case_page and "dealt with on" in case_page
    assert ">Urgent<" not in client.get(reverse("casework:cases")).content.decode()


def test_the_facilitator_offered_an_urgent_case_sees_that_it_is_urgent(client, world):
    SupportRequest.objects.filter(pk=world.self_request.pk).update(urgent=True)
    login_as(client, world.facilitator)
    page = client.get(reverse("facilitation:respond", args=[world.allocation.pk])).content.decode()
    assert "Urgent request" in page and "Record how it was dealt with" not in page
    assert "Urgent" in client.get(reverse("facilitation:my_allocations")).content.decode()


def test_urgent_help_numbers_are_phone_links(client):
    page = client.get(reverse("core:urgent_help")).content.decode()
    for number in ("tel:999", "tel:111", "tel:116123", "tel:03000303300"):
        assert f'href="{number}"' in page
