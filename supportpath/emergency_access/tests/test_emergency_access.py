"""Emergency ("break-glass") access: who may open it, what it shows, what is logged, who is told."""

import datetime as dt
import html
import io
import json
import uuid
import zipfile

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.chain import verify_chain
from supportpath.audit.models import AccessRecord
from supportpath.emergency_access import services
from supportpath.emergency_access.models import REASON_MAX_LENGTH, EmergencyAccess, Purpose
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

from .conftest import DRAFT_GOAL, NOW, PRIVATE_NOTE, REASON, SHARED_SUMMARY, TEAM_NOTE, form_data

pytestmark = pytest.mark.django_db

OPEN = "emergency_access:open"


def open_grant(world, admin, support_request=None, **kwargs) -> EmergencyAccess:
    grant, _ = services.open_grant(
        admin=admin,
        support_request=support_request or world.self_request,
        purpose=kwargs.get("purpose", Purpose.URGENT_REQUEST),
        reason=kwargs.get("reason", REASON),
        submission_token=uuid.uuid4(),
    )
    return grant


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def reads():
    """The reads under emergency access (opening a grant is logged too, as a change)."""
    return AccessRecord.objects.filter(action=AccessRecord.Action.EMERGENCY)


def record_url(grant) -> str:
    return reverse("emergency_access:record", args=[grant.pk])


# Who may open emergency access


@pytest.mark.parametrize(
    "persona", ["doctor", "other_doctor", "referrer", "case_manager", "other_case_manager", "facilitator"]
)
def test_nobody_but_a_service_admin_reaches_the_emergency_access_pages(client, world, persona):
    login_as(client, world.persona(persona))
    # The admin's working pages name no record: 403, saying whom they are for (docs/access-policy.md).
    refused = client.get(reverse("emergency_access:my_grants"))
    assert refused.status_code == 403
    assert "This page is for service admins" in refused.content.decode()
    assert client.get(reverse(OPEN)).status_code == 403
    assert client.post(reverse(OPEN), form_data(world.self_request.reference)).status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_a_service_admin_opens_emergency_access_and_reads_the_record(client, world, admins):
    login_as(client, admins.admin)
    assert client.get(reverse(OPEN)).status_code == 200
    response = client.post(reverse(OPEN), form_data(world.self_request.reference))
    grant = EmergencyAccess.objects.get()
    assert response.status_code == 302 and response["Location"] == record_url(grant)
    page = page_text(client.get(record_url(grant)))
    assert "Emergency access: read only" in page
    assert "Dr Ada Example" in page
    assert world.self_request.reference in page
    assert grant.admin == admins.admin and grant.service == world.service
    assert grant.reason == REASON


def test_another_services_admin_cannot_open_emergency_access_to_this_services_record(client, world, admins):
    login_as(client, admins.other)
    response = client.post(reverse(OPEN), form_data(world.self_request.reference))
    page = page_text(response)
    assert response.status_code == 200
    assert f"Your service has no request or case with the reference {world.self_request.reference}" in page
    assert not EmergencyAccess.objects.exists()
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize(
    "who", ["other_admin", "colleague_admin", "doctor", "other_doctor", "case_manager", "facilitator", "referrer"]
)
def test_nobody_but_the_grants_own_admin_can_read_through_it(client, world, admins, who):
    grant = open_grant(world, admins.admin)
    user = {"other_admin": admins.other, "colleague_admin": admins.colleague}.get(who) or world.persona(who)
    login_as(client, user)
    assert client.get(record_url(grant)).status_code == 404
    assert client.post(reverse("emergency_access:end", args=[grant.pk])).status_code == 404
    assert not reads().exists()
    grant.refresh_from_db()
    assert grant.is_active


def test_an_expired_grant_is_refused_and_logs_nothing(client, world, admins):
    with time_machine.travel(NOW, tick=False):
        grant = open_grant(world, admins.admin)
        assert grant.expires_at == NOW + dt.timedelta(minutes=60)
    login_as(client, admins.admin)
    with time_machine.travel(NOW + dt.timedelta(minutes=59), tick=False):
        assert client.get(record_url(grant)).status_code == 200
    assert reads().count() == 1
    with time_machine.travel(NOW + dt.timedelta(minutes=60, seconds=1), tick=False):
        response = client.get(record_url(grant))
    assert response.status_code == 404
    assert "This emergency access has ended" in page_text(response)
    assert reads().count() == 1


@override_settings(EMERGENCY_ACCESS_MINUTES=15)
def test_the_time_limit_comes_from_the_setting(client, world, admins):
    with time_machine.travel(NOW, tick=False):
        grant = open_grant(world, admins.admin)
    assert grant.expires_at == NOW + dt.timedelta(minutes=15)
    login_as(client, admins.admin)
    with time_machine.travel(NOW + dt.timedelta(minutes=16), tick=False):
        assert client.get(record_url(grant)).status_code == 404


def test_the_admin_can_end_access_early_and_then_cannot_read(client, world, admins):
    grant = open_grant(world, admins.admin)
    login_as(client, admins.admin)
    response = client.post(reverse("emergency_access:end", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert client.get(record_url(grant)).status_code == 404


def test_an_admin_who_is_no_longer_a_service_admin_loses_access(client, world, admins):
    grant = open_grant(world, admins.admin)
    admins.admin.memberships.filter(role=Role.SERVICE_ADMIN).delete()
    login_as(client, admins.admin)
    assert client.get(record_url(grant)).status_code == 404


# What a good reason is, and bad input


def test_a_reason_is_required_in_plain_words_and_what_was_typed_is_kept(client, world, admins):
    login_as(client, admins.admin)
    response = client.post(
        reverse(OPEN), form_data(world.self_request.reference, purpose=None, reason=None, confirm=None)
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error:" in page
    assert "Select why you need to open this record now" in page
    assert "Say why you need to open this record" in page
    assert "Confirm that you understand the doctor and the case manager will be told" in page
    assert f'value="{world.self_request.reference}"' in page
    assert not EmergencyAccess.objects.exists()


def test_a_reason_too_short_or_too_long_is_refused_with_the_limits_stated(client, world, admins):
    login_as(client, admins.admin)
    page = page_text(client.get(reverse(OPEN)))
    assert f"Between 20 and {REASON_MAX_LENGTH} characters" in page
    short = page_text(client.post(reverse(OPEN), form_data(world.self_request.reference, reason="   urgent    ")))
    assert "Say a little more, so the doctor understands why: at least 20 characters" in short
    assert "urgent" in short
    long = page_text(client.post(reverse(OPEN), form_data(world.self_request.reference, reason="x" * 201)))
    assert f"The reason must be {REASON_MAX_LENGTH} characters or fewer" in long
    assert "Ensure this value" not in short + long
    assert not EmergencyAccess.objects.exists()


def test_a_reference_that_is_not_a_reference_gets_a_plain_message(client, world, admins):
    login_as(client, admins.admin)
    page = page_text(client.post(reverse(OPEN), form_data("not a reference")))
    assert "Enter a reference like SP-ABCD-2345" in page


def test_a_reference_typed_in_lower_case_or_without_sp_is_found(client, world, admins):
    login_as(client, admins.admin)
    typed = world.self_request.reference.lower().removeprefix("sp-")
    response = client.post(reverse(OPEN), form_data(typed))
    assert response.status_code == 302
    assert EmergencyAccess.objects.get().support_request == world.self_request


def test_the_logged_purpose_always_fits_the_access_log():
    longest = max(len(label) for label in Purpose.labels)
    assert longest + len(": ") + REASON_MAX_LENGTH <= AccessRecord._meta.get_field("purpose").max_length


# Once, not twice


def test_a_double_submission_makes_one_grant_and_one_alert(client, world, admins, django_capture_on_commit_callbacks):
    login_as(client, admins.admin)
    data = form_data(world.self_request.reference)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse(OPEN), data)
        second = client.post(reverse(OPEN), data)
    assert EmergencyAccess.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.case_manager.email, world.doctor.email])


def test_asking_again_while_a_grant_is_open_gives_the_same_grant(client, world, admins):
    login_as(client, admins.admin)
    client.post(reverse(OPEN), form_data(world.self_request.reference))
    response = client.post(reverse(OPEN), form_data(world.self_request.reference), follow=True)
    assert EmergencyAccess.objects.count() == 1
    assert "You already have emergency access" in page_text(response)


# What the record shows, and what it never shows


def test_the_record_shows_the_case_but_never_private_or_team_notes_or_drafts(client, full_record, admins):
    world = full_record
    grant = open_grant(world, admins.admin)
    login_as(client, admins.admin)
    page = page_text(client.get(record_url(grant)))
    assert "Feel confident leading the ward round again." in page  # the needs assessment
    assert "Lead the ward round" in page  # the agreed plan
    assert SHARED_SUMMARY in page
    assert "Fay Coach" in page
    assert PRIVATE_NOTE not in page
    assert TEAM_NOTE not in page
    assert DRAFT_GOAL not in page
    assert "Facilitators' private notes are never shown" in page


def test_private_and_team_notes_are_not_even_read_from_the_database(client, full_record, admins):
    grant = open_grant(full_record, admins.admin)
    login_as(client, admins.admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(record_url(grant)).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "private_notes" not in sql
    assert "staff_notes" not in sql


def test_a_request_that_is_not_a_case_yet_shows_the_request_only(client, world, admins):
    grant = open_grant(world, admins.admin, support_request=world.referral)
    login_as(client, admins.admin)
    page = page_text(client.get(record_url(grant)))
    assert "Not accepted as a case yet" in page
    assert "finding the rota exhausting" in page
    assert reads().get().what == f"Support request ({world.referral.reference})"


# The access log


def test_every_read_is_logged_as_emergency_access_with_the_stated_reason(client, full_record, admins):
    world = full_record
    grant = open_grant(world, admins.admin)
    login_as(client, admins.admin)
    client.get(record_url(grant))
    client.get(record_url(grant))
    opened, *records = list(AccessRecord.objects.order_by("id"))
    # Opening it is logged as it happens (a change: emergency access now exists), then every read.
    assert (opened.action, opened.actor, opened.purpose) == (
        AccessRecord.Action.CREATED,
        admins.admin,
        f"{Purpose.URGENT_REQUEST.label}: {REASON}",
    )
    assert len(records) == 2
    for record in records:
        assert record.action == AccessRecord.Action.EMERGENCY
        assert record.purpose == f"{Purpose.URGENT_REQUEST.label}: {REASON}"
        assert record.actor == admins.admin
        assert record.actor_role == Role.SERVICE_ADMIN
        assert record.actor_organisation == world.service.name
        assert record.doctor == world.doctor.doctor_profile
        assert record.what == (
            "Support request, case summary, needs assessment, support plan (version 1) and 1 session summary "
            f"({world.self_request.reference})"
        )
    assert verify_chain().intact


def test_the_doctor_sees_emergency_access_stand_out_on_who_has_seen_my_record(client, world, admins):
    grant = open_grant(world, admins.admin)
    login_as(client, admins.admin)
    client.get(record_url(grant))
    client.logout()
    login_as(client, world.doctor)
    page = page_text(client.get(reverse("audit:access_log")))
    assert "app-access-row--emergency" in page
    assert "nhsuk-tag--red" in page and "Emergency access" in page
    assert REASON in page
    assert "Hana Admin" in page and "Service admin" in page
    only = page_text(client.get(reverse("audit:access_log"), {"action": "emergency"}))
    assert "Hana Admin" in only


def test_another_doctor_sees_nothing_of_it(client, world, admins):
    grant = open_grant(world, admins.admin)
    login_as(client, admins.admin)
    client.get(record_url(grant))
    client.logout()
    login_as(client, world.other_doctor)
    assert "Hana Admin" not in page_text(client.get(reverse("audit:access_log")))
    assert "emergency access" not in page_text(client.get(reverse("referrals:my_support")))


# The doctor is told


def test_my_support_shows_a_notice_until_the_doctor_has_read_it(client, world, admins):
    with time_machine.travel(NOW, tick=False):
        grant = open_grant(world, admins.admin)
    login_as(client, world.doctor)
    page = page_text(client.get(reverse("referrals:my_support")))
    assert "Someone used emergency access to your record" in page
    assert "Hana Admin, service admin at North Fictional Professional Support Unit" in page
    assert "Tuesday 1 December 2026 at 10:00am" in page
    assert "you needed something urgently and nobody working on your support could be reached" in page
    assert REASON in page
    assert reverse("audit:access_log") + "?action=emergency" in page
    response = client.post(reverse("emergency_access:doctor_read", args=[grant.pk]), follow=True)
    assert "Someone used emergency access to your record" not in page_text(response)
    grant.refresh_from_db()
    assert grant.doctor_read_at is not None


@pytest.mark.parametrize("persona", ["other_doctor", "case_manager", "facilitator"])
def test_only_the_records_doctor_can_mark_the_notice_read(client, world, admins, persona):
    grant = open_grant(world, admins.admin)
    login_as(client, world.persona(persona))
    assert client.post(reverse("emergency_access:doctor_read", args=[grant.pk])).status_code == 404
    login_as(client, admins.admin)
    assert client.post(reverse("emergency_access:doctor_read", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.doctor_read_at is None


def test_the_doctor_is_emailed_kindly_without_the_reason(world, admins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_grant(world, admins.admin)
    (email,) = [m for m in mail.outbox if m.to == [world.doctor.email]]
    assert email.subject == "Someone opened your support record using emergency access"
    assert "Dear Dr Ada Example" in email.body
    assert "Hana Admin, a service admin at North Fictional Professional Support Unit" in email.body
    assert "You do not need to do anything" in email.body
    assert "/my-support/who-has-seen-my-record/" in email.body
    assert "116 123" in email.body
    # The reason stays behind sign-in: an inbox can be read over a shoulder.
    assert REASON not in email.body


def test_a_grant_written_as_history_is_dated_and_logged_then_and_emails_nobody(
    world, admins, django_capture_on_commit_callbacks
):
    """The demo's past grants: opened, ended and seen when they were, chained into the log, nobody emailed."""
    opened = NOW - dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        grant, made = services.open_grant(
            admin=admins.admin,
            support_request=world.self_request,
            purpose=Purpose.COMPLAINT,
            reason=REASON,
            submission_token=uuid.uuid4(),
            notify=False,
            at=opened,
        )
        services.end_grant(grant, at=grant.expires_at + dt.timedelta(minutes=1))  # too late: it had expired
        assert grant.ended_at is None
        services.end_grant(grant, at=opened + dt.timedelta(minutes=6))
        services.mark_seen(grant, by=world.case_manager, at=opened + dt.timedelta(days=1))
    assert made and mail.outbox == []
    grant.refresh_from_db()
    assert grant.opened_at == opened and grant.expires_at == opened + services.duration()
    assert grant.ended_at == opened + dt.timedelta(minutes=6) and not grant.is_active
    assert grant.seen_by == world.case_manager and grant.seen_at == opened + dt.timedelta(days=1)
    [logged] = AccessRecord.objects.filter(object_type="emergency_access.emergencyaccess", object_id=str(grant.pk))
    assert logged.at == opened and logged.action == AccessRecord.Action.CREATED
    assert verify_chain().intact


def test_download_my_data_has_the_emergency_accesses(client, world, admins):
    open_grant(world, admins.admin)
    login_as(client, world.doctor)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content))
    (row,) = json.loads(archive.read("emergency-access.json"))
    assert row["who"] == "Hana Admin"
    assert row["reason_given"] == REASON
    assert row["record"] == world.self_request.reference
    assert "Emergency access to your record" in archive.read("my-data.html").decode()


# The case manager is alerted


def test_the_cases_case_manager_is_emailed_at_once(world, admins, django_capture_on_commit_callbacks):
    f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER)  # not this case's manager
    with django_capture_on_commit_callbacks(execute=True):
        open_grant(world, admins.admin)
    to_staff = [m for m in mail.outbox if m.to != [world.doctor.email]]
    assert [m.to for m in to_staff] == [[world.case_manager.email]]
    body = to_staff[0].body
    assert to_staff[0].subject == f"Emergency access to {world.self_request.reference}"
    assert "Hana Admin" in body and Purpose.URGENT_REQUEST.label in body
    assert "you are the case manager for" in body
    assert "Dr Ada Example" not in body  # staff emails name the reference only


def test_a_request_without_a_case_alerts_every_case_manager_of_the_service(
    world, admins, django_capture_on_commit_callbacks
):
    second = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER).user
    with django_capture_on_commit_callbacks(execute=True):
        open_grant(world, admins.admin, support_request=world.referral)
    to_staff = sorted(m.to[0] for m in mail.outbox if m.to != [world.doctor.email])
    assert to_staff == sorted([world.case_manager.email, second.email])
    assert world.other_case_manager.email not in to_staff


def test_the_inbox_shows_the_alert_until_a_case_manager_marks_it_seen(client, world, admins):
    grant = open_grant(world, admins.admin)
    colleague = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER).user
    login_as(client, colleague)
    page = page_text(client.get(reverse("casework:inbox")))
    assert "Emergency access to your service's records" in page
    assert "Hana Admin" in page and world.self_request.reference in page
    details = reverse("emergency_access:alert", args=[grant.pk])
    assert details in page
    assert REASON in page_text(client.get(details))
    response = client.post(reverse("emergency_access:mark_seen", args=[grant.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("casework:inbox")
    grant.refresh_from_db()
    assert grant.seen_by == colleague
    login_as(client, world.case_manager)
    assert "Hana Admin" not in page_text(client.get(reverse("casework:inbox")))


@pytest.mark.parametrize("persona", ["other_case_manager", "doctor", "facilitator", "referrer"])
def test_only_the_services_case_managers_see_or_clear_the_alert(client, world, admins, persona):
    grant = open_grant(world, admins.admin)
    login_as(client, world.persona(persona))
    inbox = client.get(reverse("casework:inbox"))
    assert "Hana Admin" not in page_text(inbox)
    before = AccessRecord.objects.count()
    assert client.get(reverse("emergency_access:alert", args=[grant.pk])).status_code == 404
    assert AccessRecord.objects.count() == before, "a refusal reads nothing, so logs nothing"
    assert client.post(reverse("emergency_access:mark_seen", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.seen_at is None


def test_the_inbox_alert_shows_only_that_it_happened_and_opening_the_reason_is_a_logged_read(client, world, admins):
    """docs/emergency-access.md: the alert is who, when and the reference; the purpose and reason are a read."""
    grant = open_grant(world, admins.admin, purpose=Purpose.SAFETY)
    login_as(client, world.case_manager)
    before = AccessRecord.objects.filter(actor=world.case_manager).count()
    inbox = page_text(client.get(reverse("casework:inbox")))
    assert "Hana Admin" in inbox and world.self_request.reference in inbox
    assert REASON not in inbox and Purpose.SAFETY.label not in inbox
    alerts = inbox[inbox.index('id="emergency-access-alerts"') :]
    assert "Dr Ada Example" not in alerts[: alerts.index("</table>")]
    assert not AccessRecord.objects.filter(actor=world.case_manager, what__contains="Emergency access").exists()

    details = page_text(client.get(reverse("emergency_access:alert", args=[grant.pk])))
    assert REASON in details and Purpose.SAFETY.label in details and "Hana Admin" in details
    assert "Mark as seen" in details
    (read,) = AccessRecord.objects.filter(actor=world.case_manager).order_by("-id")[:1]
    assert AccessRecord.objects.filter(actor=world.case_manager).count() > before
    assert read.action == AccessRecord.Action.VIEWED
    assert read.doctor == world.doctor.doctor_profile
    assert read.what == f"Emergency access to {world.self_request.reference}: who, when and why"
    assert read.purpose == "Checking an emergency access to their service's records"

    login_as(client, world.doctor)
    log = page_text(client.get(reverse("audit:access_log")))
    assert f"Emergency access to {world.self_request.reference}: who, when and why" in log
    assert verify_chain().intact


# The admin's own list


def test_the_admin_sees_their_own_grants_and_how_often_each_was_read(client, world, admins):
    with time_machine.travel(NOW, tick=False):
        earlier = open_grant(world, admins.admin, support_request=world.referral)
        login_as(client, admins.admin)
        client.get(record_url(earlier))
        client.get(record_url(earlier))
    open_now = open_grant(world, admins.admin)
    open_grant(world, admins.colleague)  # not theirs
    login_as(client, admins.admin)
    page = page_text(client.get(reverse("emergency_access:my_grants")))
    assert "Open now" in page and record_url(open_now) in page
    assert world.referral.reference in page and "Expired" in page
    assert record_url(earlier) not in page  # no link into an expired grant
    assert page.count(REASON) == 2
    assert "Ian Admin" not in page


def test_the_admins_list_keeps_its_query_count_as_grants_grow(client, world, admins, django_assert_num_queries):
    login_as(client, admins.admin)
    url = reverse("emergency_access:my_grants")

    def add(n):
        for _ in range(n):
            grant = open_grant(world, admins.admin)
            client.get(record_url(grant))
            services.end_grant(grant)

    # Session, user, second-factor device, memberships; then the count, the page of grants and one query
    # for every read under them; then the access records of the doctors whose requests the list shows
    # (supportpath/audit/lists.py): which were seen today already, and one batch for those not (savepoint,
    # the chain's lock on PostgreSQL, the check again under it, the chain's tip, one insert, release).
    batch = 6 + (connection.vendor == "postgresql")
    add(2)
    with django_assert_num_queries(7 + batch):
        client.get(url)
    add(20)
    with django_assert_num_queries(7 + 1):  # the same doctor, seen in the list already today
        assert client.get(url).status_code == 200
    theirs = f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile, service=world.service)
    for _ in range(20):
        services.end_grant(open_grant(world, admins.admin, support_request=theirs))
    with django_assert_num_queries(7 + batch):  # 40 grants, a doctor not seen yet today
        assert client.get(url).status_code == 200


def test_the_inbox_alerts_keep_the_inbox_query_count_flat(client, world, admins, django_assert_num_queries):
    login_as(client, world.case_manager)
    url = reverse("casework:inbox")
    open_grant(world, admins.admin)
    client.get(url)
    with django_assert_num_queries(pinned(12)) as few:
        client.get(url)
    for _ in range(25):
        services.end_grant(open_grant(world, admins.admin))
    with django_assert_num_queries(len(few.captured_queries)):
        page = page_text(client.get(url))
    assert "Only the newest 20 are shown" in page


def test_the_doctors_notices_keep_my_support_query_count_flat(client, world, admins, django_assert_num_queries):
    login_as(client, world.doctor)
    url = reverse("referrals:my_support")
    open_grant(world, admins.admin)
    with django_assert_num_queries(pinned(23)) as few:
        client.get(url)
    for _ in range(5):
        services.end_grant(open_grant(world, admins.colleague))
    with django_assert_num_queries(len(few.captured_queries)):
        page = page_text(client.get(url))
    assert page.count("Someone used emergency access to your record") == 6
