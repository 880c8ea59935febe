"""Before the dormant_accounts rule closes an unused account, the doctor is warned by email, once, some weeks
ahead (DORMANT_ACCOUNT_WARNING_DAYS); the account is closed only once the warning has been out that long, and
signing in after it keeps the account. All as part of the daily retention run."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.checks import run_checks
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Role, User
from supportpath.core.dates import long_date
from supportpath.records.models import DormancyWarning
from supportpath.records.retention import apply_retention
from supportpath.records.tasks import apply_retention as apply_retention_task
from supportpath.testing import factories as f

pytestmark = pytest.mark.django_db
SUBJECT = "Your supportpath account will be closed unless you sign in"
YEAR = dt.timedelta(days=365.25)


def unused_since(world, ago: dt.timedelta, **factory):
    profile = f.DoctorFactory(employer=world.trust, **factory)
    when = timezone.now() - ago
    User.objects.filter(pk=profile.user_id).update(last_login=when, date_joined=when)
    return profile


def warnings_sent(to=None):
    return [m for m in mail.outbox if m.subject == SUBJECT and (to is None or m.to == [to])]


def test_an_account_nearing_its_period_is_warned_once_however_often_the_daily_job_runs(
    world, settings, django_capture_on_commit_callbacks
):
    settings.DORMANT_ACCOUNT_WARNING_DAYS = 28
    nearly = unused_since(world, 3 * YEAR - dt.timedelta(days=20))
    not_yet = unused_since(world, 3 * YEAR - dt.timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention_task.enqueue()
        apply_retention_task.enqueue()  # the job run twice
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(trigger="command")
    [warning] = warnings_sent()
    assert warning.to == [nearly.user.email]
    assert DormancyWarning.objects.filter(doctor=nearly).count() == 1
    assert not DormancyWarning.objects.filter(doctor=not_yet).exists()
    recorded = DormancyWarning.objects.get(doctor=nearly)
    assert long_date(recorded.closes_on) in warning.body
    assert "/account/sign-in/" in warning.body and "/account/forgotten-password/" in warning.body
    assert nearly.user.full_name in warning.body
    # Warned, not closed: the account is still there, with its details.
    nearly.user.refresh_from_db()
    assert nearly.user.is_active and nearly.user.erased_at is None


def test_the_account_is_closed_only_once_the_warning_has_been_out_long_enough(
    world, settings, django_capture_on_commit_callbacks
):
    settings.DORMANT_ACCOUNT_WARNING_DAYS = 28
    long_past = unused_since(world, 5 * YEAR)  # past the period before anyone warned it
    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(trigger="command")
    assert run.counts["dormant_accounts"] == 0
    assert any("1 doctor was warned" in note for note in run.notes)
    assert len(warnings_sent()) == 1
    closes_on = DormancyWarning.objects.get(doctor=long_past).closes_on
    assert closes_on == timezone.localdate() + dt.timedelta(days=29)
    with time_machine.travel(timezone.now() + dt.timedelta(days=27)):
        assert apply_retention(trigger="command").counts["dormant_accounts"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=28, hours=1)):
        assert apply_retention(trigger="command").counts["dormant_accounts"] == 1
    assert not DoctorProfile.objects.filter(pk=long_past.pk).exists()
    assert not DormancyWarning.objects.filter(doctor_id=long_past.pk).exists()
    assert len(warnings_sent()) == 1


def test_signing_in_after_the_warning_keeps_the_account_and_a_later_quiet_spell_is_warned_again(
    world, settings, django_capture_on_commit_callbacks
):
    settings.DORMANT_ACCOUNT_WARNING_DAYS = 28
    profile = unused_since(world, 3 * YEAR - dt.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(trigger="command")
    assert len(warnings_sent(profile.user.email)) == 1
    User.objects.filter(pk=profile.user_id).update(last_login=timezone.now())  # they signed in
    later = timezone.now() + dt.timedelta(days=60)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(trigger="command").counts["dormant_accounts"] == 0
    assert len(warnings_sent(profile.user.email)) == 1
    profile.user.refresh_from_db()
    assert profile.user.is_active
    quiet_again = timezone.now() + 3 * YEAR - dt.timedelta(days=5)
    with time_machine.travel(quiet_again), django_capture_on_commit_callbacks(execute=True):
        apply_retention(trigger="command")
    assert len(warnings_sent(profile.user.email)) == 2
    assert DormancyWarning.objects.filter(doctor=profile).count() == 2


def test_accounts_the_rule_leaves_alone_are_not_warned(world, settings, django_capture_on_commit_callbacks):
    from supportpath.records import erasure

    also_staff = unused_since(world, 5 * YEAR)
    f.MembershipFactory(user=also_staff.user, organisation=world.service, role=Role.FACILITATOR)
    User.objects.filter(pk=world.doctor.pk).update(last_login=timezone.now() - 5 * YEAR)  # has support records
    with django_capture_on_commit_callbacks(execute=True):
        erasure.ask(world.other_doctor.doctor_profile, note="", token=uuid.uuid4())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(trigger="command")
    assert warnings_sent() == []
    assert not DormancyWarning.objects.exists()


def test_a_dry_run_counts_who_would_be_warned_and_sends_nothing(world, django_capture_on_commit_callbacks):
    unused_since(world, 5 * YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(trigger="command", dry_run=True)
    assert any("1 doctor was to be warned" in note for note in run.notes)
    assert warnings_sent() == [] and not DormancyWarning.objects.exists()


@pytest.mark.parametrize("days", [0, 6, 181])
def test_a_warning_period_out_of_range_is_refused_by_the_system_check(settings, days):
    settings.DORMANT_ACCOUNT_WARNING_DAYS = days
    assert "records.E003" in {e.id for e in run_checks()}
