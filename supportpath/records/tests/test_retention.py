"""The retention run: each record type past its period goes, whole; what is not past it, or still open, stays."""

import datetime as dt
import logging
import uuid
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from supportpath.accounts.models import DoctorProfile, Role, User
from supportpath.audit.chain import verify_chain
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.notifications.models import SentEmail
from supportpath.pathway.models import SupportSession
from supportpath.plans.models import PlanVersion
from supportpath.records import policy
from supportpath.records.models import RetentionRun
from supportpath.records.retention import apply_retention
from supportpath.records.tasks import apply_retention as apply_retention_task
from supportpath.referrals.models import ReferralInvitation, SupportRequest
from supportpath.testing import factories as f

from .conftest import full_case, log_access

pytestmark = pytest.mark.django_db


def years_ago(n: float) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=round(365.25 * n))


def a_case(world, doctor=None, closed_on=None):
    return full_case(
        doctor=doctor or f.DoctorFactory(employer=world.trust),
        service=world.service,
        case_manager=world.case_manager,
        facilitator=world.facilitator,
        closed_on=closed_on,
    )


def test_a_case_closed_more_than_ten_years_ago_is_removed_whole(world):
    old = a_case(world, closed_on=years_ago(10.1))
    recent = a_case(world, closed_on=years_ago(9.9))
    run = apply_retention(trigger="command")
    assert run.counts["closed_cases"] == 1
    assert not SupportRequest.objects.filter(pk=old.request_id).exists()
    assert not Case.objects.filter(pk=old.pk).exists()
    assert not SupportSession.objects.filter(case_id=old.pk).exists()
    assert not PlanVersion.objects.filter(plan__case_id=old.pk).exists()
    assert Case.objects.filter(pk=recent.pk).exists()
    assert run.rows["casework.case"] == 1 and run.rows["progress.review"] == 1


def test_open_requests_and_cases_are_never_removed_for_their_age(world):
    with time_machine.travel(timezone.now() - dt.timedelta(days=365 * 15)):
        open_case = a_case(world)
        waiting = f.SupportRequestFactory(doctor=f.DoctorFactory(employer=world.trust))
    run = apply_retention(trigger="command")
    assert run.counts["closed_cases"] == 0 and run.counts["ended_requests"] == 0
    assert Case.objects.filter(pk=open_case.pk).exists()
    assert SupportRequest.objects.filter(pk=waiting.pk).exists()


def test_a_request_handed_over_without_a_case_goes_after_three_years(world):
    old = f.SupportRequestFactory(
        doctor=f.DoctorFactory(employer=world.trust),
        status="handed_over",
        handed_over_to="practitioner_health",
        handed_over_at=timezone.now() - dt.timedelta(days=3 * 366),
    )
    recent = f.SupportRequestFactory(
        doctor=f.DoctorFactory(employer=world.trust),
        status="handed_over",
        handed_over_at=timezone.now() - dt.timedelta(days=2 * 365),
    )
    run = apply_retention(trigger="command")
    assert run.counts["ended_requests"] == 1
    assert not SupportRequest.objects.filter(pk=old.pk).exists()
    assert SupportRequest.objects.filter(pk=recent.pk).exists()
    assert run.rows["referrals.supportrequestreason"] == 1


def invitation(request, *, expired_days_ago: int, accepted: bool = False) -> ReferralInvitation:
    made = ReferralInvitation(request=request, accepted_at=timezone.now() if accepted else None)
    made.issue_token(timezone.now())
    made.expires_at = timezone.now() - dt.timedelta(days=expired_days_ago)
    made.save()
    return made


def test_an_unused_invitation_goes_once_the_referral_ended_and_its_link_expired_long_ago(world):
    ended = f.SupportRequestFactory(status="handed_over", handed_over_at=timezone.now())
    old = invitation(ended, expired_days_ago=91)
    # Still open: "send again" needs the address it holds, however old the link.
    open_referral = invitation(world.referral, expired_days_ago=400)
    used = invitation(f.SupportRequestFactory(status="closed"), expired_days_ago=400, accepted=True)
    recent = invitation(f.SupportRequestFactory(status="handed_over"), expired_days_ago=10)
    run = apply_retention(trigger="command")
    assert run.counts["unused_invitations"] == 1
    assert set(ReferralInvitation.objects.values_list("pk", flat=True)) == {open_referral.pk, used.pk, recent.pk}
    assert SupportRequest.objects.filter(pk=ended.pk).exists()
    assert old


def test_unsent_self_referrals_unfinished_registrations_and_old_email_counts_go(world, settings):
    from supportpath.accounts.models import AccountEmailRequest, PendingRegistration
    from supportpath.referrals.models import SelfReferralDraft

    old = timezone.now() - dt.timedelta(days=8)
    SelfReferralDraft.objects.create(
        doctor=world.doctor.doctor_profile, answers={"reasons": ["career"]}, updated_at=old
    )
    kept_draft = SelfReferralDraft.objects.create(
        doctor=world.other_doctor.doctor_profile, answers={}, updated_at=timezone.now()
    )
    for hours_ago in (25, 1):
        pending = PendingRegistration.objects.create(
            email=f"new{hours_ago}@example.test",
            full_name="Dr New",
            gmc_number="7999999",
            career_stage="foundation",
            contract_type="resident",
            qualification_region="uk",
            submission_token=uuid.uuid4(),
        )
        PendingRegistration.objects.filter(pk=pending.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=hours_ago)
        )
    counted = AccountEmailRequest.objects.create(kind="registration", address_hash="a", network_hash="b")
    AccountEmailRequest.objects.filter(pk=counted.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    run = apply_retention(trigger="command")
    assert run.counts["self_referral_drafts"] == 1
    assert list(SelfReferralDraft.objects.values_list("pk", flat=True)) == [kept_draft.pk]
    assert run.counts["pending_registrations"] == 1
    assert list(PendingRegistration.objects.values_list("email", flat=True)) == ["new1@example.test"]
    assert run.counts["account_email_limits"] == 1


def test_an_account_with_nothing_left_unused_for_three_years_is_closed(world, settings):
    long_ago = timezone.now() - dt.timedelta(days=3 * 366)
    dormant = f.DoctorFactory(employer=world.trust)
    User.objects.filter(pk=dormant.user_id).update(last_login=long_ago, date_joined=long_ago)
    seen = f.DoctorFactory(employer=world.trust)  # someone once looked at their (now removed) record
    User.objects.filter(pk=seen.user_id).update(last_login=long_ago, date_joined=long_ago)
    log_access(actor=world.case_manager, doctor=seen, obj=seen)
    active = f.DoctorFactory(employer=world.trust)
    User.objects.filter(pk=active.user_id).update(last_login=timezone.now(), date_joined=long_ago)
    also_staff = f.DoctorFactory(employer=world.trust)
    User.objects.filter(pk=also_staff.user_id).update(last_login=long_ago, date_joined=long_ago)
    f.MembershipFactory(user=also_staff.user, organisation=world.service, role=Role.FACILITATOR)
    with_request = world.doctor.doctor_profile
    User.objects.filter(pk=with_request.user_id).update(last_login=long_ago, date_joined=long_ago)

    first = apply_retention(trigger="command")
    # Each is warned first (supportpath/records/tests/test_dormancy_warnings.py), and closed once warned long enough.
    assert first.counts["dormant_accounts"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.DORMANT_ACCOUNT_WARNING_DAYS, hours=1)):
        run = apply_retention(trigger="command")

    assert run.counts["dormant_accounts"] == 2
    # Nothing pointed at the first account any more, so it went entirely.
    assert not DoctorProfile.objects.filter(pk=dormant.pk).exists()
    # The access log points at the second: it stays as a tombstone with nothing personal left.
    seen.refresh_from_db()
    seen.user.refresh_from_db()
    assert seen.user.full_name == "" and seen.user.email.endswith("@erased.invalid")
    assert not seen.user.is_active and not seen.user.has_usable_password()
    for kept in [active, also_staff, with_request]:
        kept.user.refresh_from_db()
        assert kept.user.is_active and "@erased.invalid" not in kept.user.email


def test_access_log_rows_go_once_old_enough_and_their_records_are_gone_and_the_chain_still_verifies(world):
    gone = f.DoctorFactory(employer=world.trust)
    kept = world.doctor.doctor_profile
    with time_machine.travel(timezone.now() - dt.timedelta(days=365 * 7)):
        first = log_access(actor=world.case_manager, doctor=gone, obj=gone)
        second = log_access(actor=world.case_manager, doctor=gone, obj=gone)
        holder = log_access(actor=world.case_manager, doctor=kept, obj=world.self_request)
        after_holder = log_access(actor=world.case_manager, doctor=gone, obj=gone)
    recent = log_access(actor=world.case_manager, doctor=gone, obj=gone)

    run = apply_retention(trigger="command")

    assert run.counts["access_log"] == 2
    remaining = set(AccessRecord.objects.values_list("pk", flat=True))
    assert remaining == {holder.pk, after_holder.pk, recent.pk}
    assert first.pk not in remaining and second.pk not in remaining
    assert any(f"row {holder.pk}" in note for note in run.notes)
    result = verify_chain()
    assert result.intact and result.rows == 3


def test_finished_task_results_go_after_thirty_days(world):
    def result(status, finished_days_ago):
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {"to": "someone@example.test"}},
            task_path="supportpath.notifications.tasks.send_email",
            backend_name="default",
            run_after=timezone.now(),
            finished_at=timezone.now() - dt.timedelta(days=finished_days_ago)
            if finished_days_ago is not None
            else None,
            exception_class_path="",
            traceback="",
        )

    old_done = result(TaskResultStatus.SUCCESSFUL, 31)
    old_failed = result(TaskResultStatus.FAILED, 45)
    recent = result(TaskResultStatus.SUCCESSFUL, 2)
    waiting = result(TaskResultStatus.READY, None)
    run = apply_retention(trigger="command")
    assert run.counts["task_results"] == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert old_done and old_failed


def test_sent_email_rows_go_after_a_year(world):
    old = SentEmail.objects.create(key="old", to="a@example.test", subject="Hello")
    SentEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - dt.timedelta(days=366))
    new = SentEmail.objects.create(key="new", to="b@example.test", subject="Hello")
    apply_retention(trigger="command")
    assert list(SentEmail.objects.values_list("pk", flat=True)) == [new.pk]


def test_sign_in_records_go_after_ninety_days_but_a_lockout_in_force_is_kept(world, settings):
    def attempt(model, days_ago, **extra):
        row = model.objects.create(
            user_agent=f"Firefox {days_ago}",
            ip_address="192.0.2.1",
            username="x@example.test",
            http_accept="*/*",
            path_info="/",
            **extra,
        )
        model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - dt.timedelta(days=days_ago))
        return row

    settings.AXES_COOLOFF_TIME = dt.timedelta(days=120)
    locked = attempt(AccessAttempt, 100, get_data="", post_data="", failures_since_start=5)
    attempt(AccessAttempt, 150, get_data="", post_data="", failures_since_start=5)
    attempt(AccessLog, 100)
    kept_log = attempt(AccessLog, 10)
    run = apply_retention(trigger="command")
    assert run.counts["sign_in_records"] == 2
    # Past the 90 days, but its lockout (120 days here) is still in force.
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [locked.pk]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept_log.pk]


def test_expired_sessions_go(world):
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - dt.timedelta(minutes=1))
    Session.objects.create(session_key="live", session_data="", expire_date=timezone.now() + dt.timedelta(hours=1))
    run = apply_retention(trigger="command")
    assert run.counts["expired_sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_a_dry_run_counts_and_removes_nothing(world):
    old = a_case(world, closed_on=years_ago(11))
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "closed_cases: 1" in out.getvalue() and "would be removed" in out.getvalue()
    assert Case.objects.filter(pk=old.pk).exists()
    run = RetentionRun.objects.get()
    assert run.dry_run and run.counts["closed_cases"] == 1 and run.rows["progress.review"] == 1


def test_running_again_removes_nothing_more_and_every_run_is_recorded_and_logged(world, caplog):
    a_case(world, closed_on=years_ago(11))
    with caplog.at_level(logging.INFO, logger="supportpath.records.retention"):
        first = apply_retention(trigger="command")
        second = apply_retention(trigger="schedule")
    assert first.counts["closed_cases"] == 1 and second.records_removed == 0
    assert [r.trigger for r in RetentionRun.objects.order_by("id")] == ["command", "schedule"]
    assert all(r.outcome == "completed" and r.finished_at for r in RetentionRun.objects.all())
    assert sum("Retention run" in message and "completed" in message for message in caplog.messages) == 2


def test_the_command_prints_what_it_removed(world):
    a_case(world, closed_on=years_ago(11))
    out = StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert "closed_cases: 1 (kept 10 years)" in text and "removed" in text


def test_the_task_runs_a_scheduled_retention_run(world):
    a_case(world, closed_on=years_ago(11))
    result = apply_retention_task.enqueue()
    assert result.return_value["closed_cases"] == 1
    assert RetentionRun.objects.get().trigger == "schedule"


def test_a_failed_run_is_recorded_as_failed(world, monkeypatch):
    from supportpath.records import retention

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(retention.STEPS, "sent_emails", broken)
    with pytest.raises(RuntimeError):
        apply_retention(trigger="command")
    run = RetentionRun.objects.get()
    assert run.outcome == "failed" and run.error == "RuntimeError" and run.finished_at


def test_a_period_below_its_floor_is_refused(settings):
    settings.RETENTION = {**settings.RETENTION, "closed_cases": {"years": 0}}
    errors = policy.check_retention_settings(None)
    assert [e.id for e in errors] == ["records.E001"]
    assert "RETENTION_CLOSED_CASES_YEARS" in errors[0].msg
    with pytest.raises(ImproperlyConfigured):
        apply_retention(trigger="command")
    assert not RetentionRun.objects.exists()


def test_periods_come_from_the_environment(monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "from django.conf import settings; print(settings.RETENTION['closed_cases'], settings.RETENTION['sent_emails'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "supportpath.settings.test",
        "RETENTION_CLOSED_CASES_YEARS": "12",
        "RETENTION_SENT_EMAILS_DAYS": "90",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "{'years': 12} {'days': 90}", out.stderr


def test_the_last_email_to_a_closed_account_is_forgotten_at_the_next_run(world):
    from supportpath.records.erasure import CLOSED_ACCOUNT_EMAIL_KEY

    key = f"{CLOSED_ACCOUNT_EMAIL_KEY}{uuid.uuid4()}"
    SentEmail.objects.create(key=key, to="gone@example.test", subject="Your record has been erased")
    kept = SentEmail.objects.create(key="erasure-done-kept:1", to="here@example.test", subject="Your record")
    DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL,
        args_kwargs={"args": [], "kwargs": {"key": key, "to": "gone@example.test"}},
        task_path="supportpath.notifications.tasks.send_email",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    run = apply_retention(trigger="command")
    assert run.counts["sent_emails"] == 1 and run.counts["task_results"] == 1
    assert list(SentEmail.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not DBTaskResult.objects.exists()


def test_a_run_counts_what_it_removed_by_service_and_each_admin_sees_only_their_own(
    client, world, service_admin, other_service_admin
):
    """A service's admin sees the figures of their own service's records, never another service's, nor the
    installation's records that belong to no one service (small numbers about others)."""
    from django.urls import reverse

    from supportpath.testing.auth import login_as

    for _ in range(2):
        a_case(world, closed_on=years_ago(10.1))
    full_case(
        doctor=f.DoctorFactory(employer=world.trust),
        service=world.other_service,
        case_manager=f.MembershipFactory(organisation=world.other_service, role=Role.CASE_MANAGER).user,
        facilitator=f.MembershipFactory(organisation=world.other_service, role=Role.FACILITATOR).user,
        closed_on=years_ago(10.1),
    )
    f.DoctorFactory()  # an account that will not be dormant: nothing of it is removed
    run = apply_retention(trigger="command")
    assert run.counts["closed_cases"] == 3
    assert run.counts_for_services({world.service.pk}) == {"closed_cases": 2}
    assert run.counts_for_services({world.other_service.pk}) == {"closed_cases": 1}
    assert run.records_removed == sum(n for key, n in run.counts.items() if key != RetentionRun.BY_SERVICE)

    def runs_seen_by(admin) -> str:
        login_as(client, admin)
        page = client.get(reverse("records:records_and_retention")).content.decode()
        return page.split("<h2>Retention runs</h2>")[1].split("</table>")[0]

    north = runs_seen_by(service_admin)
    assert "2 closed cases" in north and "3 closed cases" not in north and "1 closed case" not in north
    south = runs_seen_by(other_service_admin)
    assert "1 closed case" in south and "closed cases" not in south
