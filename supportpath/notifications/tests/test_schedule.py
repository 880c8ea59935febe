"""The daily jobs: queued on the task queue for their time, one waiting run per job however often the
scheduler starts, each run queueing the next, and the stage checks really run by the worker."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks import TaskContext
from django_tasks_db.models import DBTaskResult

from supportpath.notifications import schedule
from supportpath.notifications.models import RunOutcome, ScheduledRun
from supportpath.progress.models import NoticeKind, TargetNotice
from supportpath.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("db_tasks")]

LONDON_7AM = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # Monday; GMT, so 07:00 in London too
BEFORE = LONDON_7AM - dt.timedelta(hours=2)
JOBS = {"stage_checks": ("supportpath.progress.checks.run_stage_checks", "07:00")}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DAILY_JOBS = JOBS


def schedule_command() -> str:
    out = io.StringIO()
    call_command("schedule_daily_jobs", stdout=out)
    return out.getvalue()


class FakeResult:
    def __init__(self, task_id: str):
        self.id = task_id


def as_task(task_id: str) -> TaskContext:
    return TaskContext(task_result=FakeResult(task_id))


def waiting_runs():
    return ScheduledRun.objects.filter(started_at__isnull=True)


@time_machine.travel(BEFORE, tick=False)
def test_scheduling_twice_leaves_one_waiting_run_and_one_task():
    assert "stage_checks: next run Monday 23 November 2026 at 7:00am" in schedule_command()
    schedule_command()
    schedule.schedule_all()  # a second worker machine starting up
    run = waiting_runs().get()
    assert run.run_at == LONDON_7AM
    task = DBTaskResult.objects.get()
    assert str(task.id) == run.task_id and task.run_after == LONDON_7AM
    assert task.task_path == "supportpath.notifications.schedule.run_daily_job"


@time_machine.travel(BEFORE, tick=False)
def test_the_database_refuses_a_second_waiting_run_of_a_job():
    from django.db import IntegrityError, transaction

    schedule.schedule_all()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(job="stage_checks", run_at=LONDON_7AM + dt.timedelta(days=1))


def test_after_seven_the_next_run_is_tomorrow_and_summer_time_is_respected():
    seven = dt.time(7, 0)
    assert schedule.next_run_at(seven, LONDON_7AM) == LONDON_7AM + dt.timedelta(days=1)
    summer = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)  # 09:00 in London
    assert schedule.next_run_at(seven, summer) == dt.datetime(2026, 7, 2, 6, 0, tzinfo=dt.UTC)


def test_running_the_job_performs_the_checks_and_queues_the_next_run(world, run_worker):
    late = f.CaseFactory(
        request=f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile, service=world.service),
        case_manager=world.case_manager,
        initial_conversation_due=dt.date(2026, 11, 20),
    )
    with time_machine.travel(BEFORE, tick=False):
        first = schedule.schedule_all()[0]
        run_worker()
        assert TargetNotice.objects.count() == 0, "nothing runs before its time"
    with time_machine.travel(LONDON_7AM + dt.timedelta(minutes=1), tick=False):
        run_worker()
    first.refresh_from_db()
    assert first.outcome == RunOutcome.DONE and first.started_at and first.finished_at
    notice = TargetNotice.objects.get(request=late.request)
    assert notice.kind == NoticeKind.LATE, "the task, run by the worker, performed the checks"
    following = waiting_runs().get()
    assert following.run_at == LONDON_7AM + dt.timedelta(days=1)
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    with time_machine.travel(LONDON_7AM + dt.timedelta(minutes=2), tick=False):
        schedule_command()  # a restart later that morning
        schedule.run_daily_job.call(as_task("a-duplicate"), run_id=first.pk)  # and the same run delivered twice
    assert waiting_runs().count() == 1 and TargetNotice.objects.count() == 1


def test_a_job_that_fails_is_logged_and_still_queues_tomorrow(settings, caplog, run_worker):
    settings.DAILY_JOBS = {"broken": ("supportpath.notifications.tests.test_schedule.broken_job", "07:00")}
    with time_machine.travel(BEFORE, tick=False):
        run = schedule.schedule_all()[0]
    with time_machine.travel(LONDON_7AM + dt.timedelta(minutes=1), tick=False):
        run_worker()
    run.refresh_from_db()
    assert run.outcome == RunOutcome.FAILED and "went wrong" in run.result
    assert "Daily job broken failed" in caplog.text
    assert waiting_runs().get().run_at == LONDON_7AM + dt.timedelta(days=1)


def broken_job():
    raise RuntimeError("Something went wrong")


@time_machine.travel(BEFORE, tick=False)
def test_a_run_whose_task_was_deleted_is_queued_again():
    run = schedule.schedule_all()[0]
    DBTaskResult.objects.all().delete()
    again = schedule.schedule_all()[0]
    run.refresh_from_db()
    assert run.outcome == RunOutcome.LOST and again.pk != run.pk
    assert DBTaskResult.objects.get().id is not None


def test_changing_the_time_moves_the_waiting_run(settings, run_worker):
    with time_machine.travel(BEFORE, tick=False):
        old = schedule.schedule_all()[0]
        settings.DAILY_JOBS = {"stage_checks": (JOBS["stage_checks"][0], "06:30")}
        new = schedule.schedule_all()[0]
    old.refresh_from_db()
    assert old.outcome == RunOutcome.REPLACED
    assert new.run_at == LONDON_7AM - dt.timedelta(minutes=30)
    with time_machine.travel(LONDON_7AM + dt.timedelta(minutes=5), tick=False):
        run_worker()  # the old task finds its run set aside and does nothing
    assert ScheduledRun.objects.filter(outcome=RunOutcome.DONE).count() == 1


def test_a_mistyped_time_is_reported_at_start_up(settings):
    settings.DAILY_JOBS = {"stage_checks": (JOBS["stage_checks"][0], "7am")}
    errors = [e for e in run_checks() if e.id == "notifications.E001"]
    assert errors and "HH:MM" in errors[0].msg
    with pytest.raises(CommandError, match="HH:MM"):
        schedule_command()


def test_a_backend_that_cannot_wait_is_refused_clearly(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="cannot hold|runs tasks at once"):
        schedule_command()
    assert not ScheduledRun.objects.exists()


@override_settings(DAILY_JOBS={})
def test_with_no_jobs_the_command_says_so():
    assert "No daily jobs" in schedule_command()


def test_a_run_whose_worker_was_lost_mid_job_is_finished_by_its_own_task_once(world, run_worker):
    """The worker was killed after starting the run (and queueing tomorrow's): the same task, queued again,
    finishes the run; tomorrow's run is not queued twice and any other task for the run does nothing."""
    with time_machine.travel(BEFORE, tick=False):
        run = schedule.schedule_all()[0]
    with time_machine.travel(LONDON_7AM + dt.timedelta(minutes=1), tick=False):
        ScheduledRun.objects.filter(pk=run.pk).update(started_at=LONDON_7AM)  # started, then the worker died
        schedule.schedule(schedule.daily_jobs()["stage_checks"], after=LONDON_7AM)
        assert schedule.run_daily_job.call(as_task("someone-else"), run_id=run.pk) == "already run"
        result = schedule.run_daily_job.call(as_task(run.task_id), run_id=run.pk)
        assert result.startswith("stage_checks:")
        assert schedule.run_daily_job.call(as_task(run.task_id), run_id=run.pk) == "already run"
    run.refresh_from_db()
    assert run.outcome == RunOutcome.DONE
    assert waiting_runs().get().run_at == LONDON_7AM + dt.timedelta(days=1)
