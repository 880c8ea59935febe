"""An erased account carries an explicit flag (``User.erased_at``), set when erasure closes it: it never signs
in again (with the same neutral message as a wrong password), gets no password reset, and staff pages that
would name the doctor say "Record erased"."""

import importlib
import uuid

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from supportpath.accounts.models import User
from supportpath.records import erasure
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
NEUTRAL = "The email address or password is not right. Check them and try again."


def erase(world, service_admin):
    [request] = erasure.ask(world.doctor.doctor_profile, note="", token=uuid.uuid4())
    erasure.carry_out(request, by=service_admin)
    world.doctor.refresh_from_db()
    return world.doctor


def test_closing_the_account_sets_the_flag_and_only_then(world, service_admin):
    assert world.doctor.erased_at is None and not erasure.is_tombstone(world.doctor.doctor_profile)
    tombstone = erase(world, service_admin)
    assert tombstone.erased_at is not None and tombstone.is_erased
    assert erasure.is_tombstone(tombstone.doctor_profile)
    assert str(tombstone) == "Record erased"
    assert world.other_doctor.erased_at is None


def test_an_erased_account_cannot_sign_in_even_if_switched_back_on(world, service_admin, client):
    tombstone = erase(world, service_admin)
    # Say someone switched the row back on and gave it a password: the flag still refuses it.
    tombstone.is_active = True
    tombstone.set_password(f.PASSWORD)
    tombstone.save()
    response = client.post(reverse("accounts:sign_in"), {"email": tombstone.email, "password": f.PASSWORD})
    assert response.status_code == 200 and NEUTRAL in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The page is the same as for an address nobody uses.
    nobody = client.post(reverse("accounts:sign_in"), {"email": "nobody@example.test", "password": f.PASSWORD})
    assert NEUTRAL in nobody.content.decode()


def test_a_session_from_before_the_erasure_stops_working(world, service_admin, client):
    login_as(client, world.doctor)
    assert client.get(reverse("referrals:my_support")).status_code == 200
    tombstone = erase(world, service_admin)
    User.objects.filter(pk=tombstone.pk).update(is_active=True)  # the flag alone must end it
    response = client.get(reverse("referrals:my_support"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign_in"))


def test_an_erased_account_is_sent_no_password_reset(world, service_admin, client, django_capture_on_commit_callbacks):
    tombstone = erase(world, service_admin)
    User.objects.filter(pk=tombstone.pk).update(is_active=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": tombstone.email})
    assert mail.outbox == []


def test_staff_pages_name_an_erased_doctor_as_record_erased(world, client):
    # A request that outlived its doctor's account (as one restored from backup would, until reapply_erasures
    # runs): the case manager's page says the record is erased, not a blank name.
    User.objects.filter(pk=world.doctor.pk).update(full_name="", erased_at="2026-12-01T09:00:00Z")
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[world.referral.reference])).content.decode()
    assert "<h1>Record erased</h1>" in page
    cases = client.get(reverse("casework:cases")).content.decode()
    assert "Record erased" in cases


def test_accounts_closed_before_the_flag_existed_are_marked_by_the_migration(world):
    User.objects.filter(pk=world.doctor.pk).update(email=f"erased-{world.doctor.pk}@erased.invalid")
    migration = importlib.import_module("supportpath.accounts.migrations.0005_user_erased_at")
    migration.mark_earlier_tombstones(apps, None)
    assert User.objects.get(pk=world.doctor.pk).erased_at is not None
    assert User.objects.get(pk=world.other_doctor.pk).erased_at is None
