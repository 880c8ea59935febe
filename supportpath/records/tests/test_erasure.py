"""Erasure on request: asking, carrying it out, declining, closing an account, and the ledger it leaves."""

import datetime as dt
import io
import json
import uuid
import zipfile

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts.models import DoctorProfile, EqualityMonitoring, Membership, Role, User
from supportpath.audit.chain import verify_chain
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, ContactAttempt
from supportpath.core.encryption import lookup_hash
from supportpath.notifications.models import SentEmail
from supportpath.progress.models import Pause
from supportpath.records import erasure, ledger
from supportpath.records.models import ErasureLedgerEntry, ErasureRequest
from supportpath.referrals.models import SupportRequest
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .conftest import equality_for, full_case, log_access

pytestmark = pytest.mark.django_db


def ask(profile, note="Please erase everything."):
    return erasure.ask(profile, note=note, token=uuid.uuid4())


def test_asking_makes_one_request_for_each_service_holding_records_and_tells_its_admins(
    world, service_admin, other_service_admin, django_capture_on_commit_callbacks
):
    f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.other_service)
    with django_capture_on_commit_callbacks(execute=True):
        made = ask(world.doctor.doctor_profile)
    assert {r.service for r in made} == {world.service, world.other_service}
    admins = {service_admin.email, world.service_admin.email, other_service_admin.email}  # every admin of each
    assert {m.to[0] for m in mail.outbox} == admins
    # The email names no one: who it is, is read on the page, where reading it is logged.
    assert all("Dr Ada Example" not in m.body for m in mail.outbox)


def test_the_same_request_sent_twice_is_made_once(world):
    token = uuid.uuid4()
    erasure.ask(world.doctor.doctor_profile, note="", token=token)
    erasure.ask(world.doctor.doctor_profile, note="", token=token)
    ask(world.doctor.doctor_profile)  # a new form while one is waiting: still one waiting per service
    assert ErasureRequest.objects.count() == 1


def test_erasing_at_one_service_leaves_another_services_records_and_the_account(world, service_admin):
    profile = world.doctor.doctor_profile
    elsewhere = f.SupportRequestFactory(doctor=profile, service=world.other_service)
    [north, south] = sorted(ask(profile), key=lambda r: r.service.name)
    entry = erasure.carry_out(north, by=service_admin)
    assert not SupportRequest.objects.filter(pk__in=[world.self_request.pk, world.referral.pk]).exists()
    assert not Case.objects.filter(pk=world.case.pk).exists()
    assert SupportRequest.objects.filter(pk=elsewhere.pk).exists()
    assert not entry.account_closed
    assert sorted(entry.support_request_ids) == sorted([world.self_request.pk, world.referral.pk])
    north.refresh_from_db()
    assert north.status == "carried_out"
    world.doctor.refresh_from_db()
    assert world.doctor.is_active and world.doctor.full_name == "Dr Ada Example"


def test_the_last_erasure_closes_the_account_and_keeps_only_an_anonymous_tombstone(
    world, service_admin, django_capture_on_commit_callbacks, ledger_folder
):
    profile = world.doctor.doctor_profile
    email = world.doctor.email
    profile.phone = "07700 900123"
    profile.save()
    full_case(doctor=profile, service=world.service, case_manager=world.case_manager, facilitator=world.facilitator)
    equality_for(profile)
    TOTPDevice.objects.create(user=world.doctor, name="Phone", confirmed=True)
    f.MembershipFactory(user=world.doctor, organisation=world.trust, role=Role.DOCTOR)
    log_access(actor=world.case_manager, doctor=profile, obj=world.self_request)
    AccessAttempt.objects.create(
        user_agent="x",
        ip_address="192.0.2.1",
        username=world.doctor.email,
        http_accept="",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    SentEmail.objects.create(key="earlier", to=world.doctor.email, subject="Your request")
    gmc = profile.gmc_number
    [request] = ask(profile)

    with django_capture_on_commit_callbacks(execute=True):
        entry = erasure.carry_out(request, by=service_admin)

    assert entry.account_closed
    assert not SupportRequest.objects.filter(doctor=profile).exists()
    assert not EqualityMonitoring.objects.filter(doctor_id=profile.pk).exists()
    assert not ErasureRequest.objects.filter(doctor_id=profile.pk).exists()
    assert not TOTPDevice.objects.filter(user=world.doctor).exists()
    assert not Membership.objects.filter(user=world.doctor).exists()
    assert not AccessAttempt.objects.filter(username=email).exists()
    assert not SentEmail.objects.filter(key="earlier").exists()
    tombstone = DoctorProfile.objects.select_related("user").get(pk=profile.pk)
    assert tombstone.gmc_number != gmc and tombstone.phone == "" and tombstone.employer is None
    assert tombstone.user.full_name == "" and tombstone.user.email.endswith("@erased.invalid")
    assert not tombstone.user.is_active and not tombstone.user.has_usable_password()
    assert DoctorProfile.objects.with_gmc_number(gmc).count() == 0
    # The access log stays, pointing at the tombstone, its chain intact; the admin's erasure is in it.
    assert AccessRecord.objects.filter(doctor_id=profile.pk, actor=world.case_manager).exists()
    assert AccessRecord.objects.filter(doctor_id=profile.pk, actor=service_admin, action="changed").exists()
    assert verify_chain().intact
    # The doctor is told, at the address they had.
    [told] = [m for m in mail.outbox if m.to == [email]]  # the case's team is told too (test_erasure_case_team)
    assert "Your account is closed" in told.body
    # The ledger: ids and hashes, nothing that names the doctor; and a copy on disk.
    as_text = json.dumps(ledger.as_dict(entry))
    for personal in ["Dr Ada Example", email, gmc, "07700 900123"]:
        assert personal not in as_text
    assert entry.gmc_number_hash == lookup_hash(gmc)
    assert entry.records["casework.case"] and entry.records["accounts.equalitymonitoring"]
    assert json.loads((ledger_folder / f"{entry.entry_id}.json").read_text())["entry_id"] == str(entry.entry_id)


def test_a_closed_account_cannot_sign_in(world, service_admin, client):
    email = world.doctor.email
    [request] = ask(world.doctor.doctor_profile)
    erasure.carry_out(request, by=service_admin)
    response = client.post(reverse("accounts:sign_in"), {"email": email, "password": f.PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not User.objects.filter(email=email).exists()


def test_an_erasure_cannot_be_carried_out_twice(world, service_admin):
    [request] = ask(world.doctor.doctor_profile)
    f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.other_service)
    erasure.carry_out(request, by=service_admin)
    with pytest.raises(erasure.NotWaiting):
        erasure.carry_out(request, by=service_admin)
    assert ErasureLedgerEntry.objects.count() == 1


def test_declining_keeps_everything_and_tells_the_doctor_to_read_why(
    world, service_admin, client, django_capture_on_commit_callbacks
):
    [request] = ask(world.doctor.doctor_profile)
    reason = "Your support is part of a mandated process, so we must keep the record until it ends."
    with django_capture_on_commit_callbacks(execute=True):
        erasure.decline(request, by=service_admin, reason=reason)
    assert SupportRequest.objects.filter(doctor=world.doctor.doctor_profile).count() == 2
    assert not ErasureLedgerEntry.objects.exists()
    [email] = mail.outbox
    assert email.to == [world.doctor.email] and reason not in email.body and "Sign in" in email.body
    login_as(client, world.doctor)
    page = client.get(reverse("records:erasure")).content.decode()
    assert "mandated process, so we must keep" in page and "complain to the Information Commissioner" in page
    with pytest.raises(erasure.NotWaiting):
        erasure.decline(request, by=service_admin, reason="again")


def test_a_request_asked_and_declined_as_history_is_dated_then_and_emails_nobody(
    world, service_admin, django_capture_on_commit_callbacks
):
    """The demo's past requests: asked and decided when they were, the decision logged then, nobody emailed."""
    asked_at = timezone.now() - dt.timedelta(days=20)
    decided_at = asked_at + dt.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        [request] = erasure.ask(world.doctor.doctor_profile, note="", token=uuid.uuid4(), notify=False, at=asked_at)
        erasure.decline(request, by=service_admin, reason="A mandated process needs it.", notify=False, at=decided_at)
    assert mail.outbox == []
    request.refresh_from_db()
    assert request.asked_at == asked_at and request.decided_at == decided_at and request.status == "declined"
    [logged] = AccessRecord.objects.filter(object_type="records.erasurerequest", object_id=str(request.pk))
    assert logged.at == decided_at and verify_chain().intact


def test_a_doctor_with_no_support_records_closes_their_own_account_at_once(world, client):
    user = world.other_doctor
    login_as(client, user)
    page = client.get(reverse("records:erasure")).content.decode()
    assert "Close my account" in page
    refused = client.post(reverse("records:erasure"), {})
    assert refused.status_code == 200
    assert "Confirm that you understand your account will be closed" in refused.content.decode()
    response = client.post(reverse("records:erasure"), {"confirm": ["yes"]})
    assert response["Location"] == reverse("records:account_closed")
    assert client.get(reverse("referrals:my_support")).status_code == 302  # signed out
    entry = ErasureLedgerEntry.objects.get()
    assert entry.by_role == Role.DOCTOR and entry.account_closed and entry.service_id is None
    user.refresh_from_db()
    assert not user.is_active and user.full_name == ""


def test_the_doctors_erasure_requests_are_in_download_my_data(world, client):
    ask(world.doctor.doctor_profile, note="Everything, please.")
    login_as(client, world.doctor)
    response = client.post(reverse("audit:download_my_data"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    [row] = json.loads(archive.read("erasure-requests.json"))
    assert row["what_you_told_us"] == "Everything, please." and row["status"] == "Waiting for a decision"


def test_the_ledger_is_append_only_on_postgresql(world, service_admin):
    if connection.vendor != "postgresql":
        pytest.skip("The database refuses changes to the ledger on PostgreSQL only")
    [request] = ask(world.doctor.doctor_profile)
    entry = erasure.carry_out(request, by=service_admin)
    for sql in [
        "UPDATE records_erasureledgerentry SET by_role = 'x' WHERE id = %s",
        "DELETE FROM records_erasureledgerentry WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.id])


def test_the_ledger_files_are_written_again_by_the_next_retention_run(world, service_admin, ledger_folder):
    from supportpath.records.retention import apply_retention

    [request] = ask(world.doctor.doctor_profile)
    entry = erasure.carry_out(request, by=service_admin)  # no commit in this test: the file is not written
    assert not (ledger_folder / f"{entry.entry_id}.json").exists()
    run = apply_retention(trigger="command")
    assert (ledger_folder / f"{entry.entry_id}.json").exists()
    assert any("erasure ledger files" in note for note in run.notes)


def test_erasing_removes_attempts_to_make_contact_and_pauses(world, service_admin):
    profile = world.doctor.doctor_profile
    ContactAttempt.objects.create(
        request=world.referral,
        made_on=timezone.localdate(),
        method="phone",
        outcome="no_answer",
        recorded_by=world.case_manager,
        submission_token=uuid.uuid4(),
    )
    Pause.objects.create(
        case=world.case,
        reason="exams",
        explanation="Back after the exam.",
        started_on=timezone.localdate(),
        started_by=world.case_manager,
        submission_token=uuid.uuid4(),
    )
    [north] = ask(profile)
    erasure.carry_out(north, by=service_admin)
    assert not ContactAttempt.objects.exists() and not Pause.objects.exists()
