"""Daily jobs on the task queue: django-tasks has no scheduler of its own, so each job is queued for its next
run with ``run_after``, and queues its next run when it starts.

The jobs are named in ``settings.DAILY_JOBS`` as ``{name: (dotted path of a task or function, "HH:MM")}``;
the time is UK local time. ``manage.py schedule_daily_jobs`` (run at every start-up and deploy; safe to run
again) queues the first run of each. The database keeps each job to one waiting run
(``ScheduledRun``'s constraints), so several workers, several app servers or repeated start-ups never queue
a job twice; a run that finds it has already started does nothing, so a task that runs twice runs the job
once (unless its worker was lost mid-job: then the same task is queued again and finishes the run). If the
workers were stopped at the time, the waiting run goes as soon as a worker is back.
"""

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResultStatus, task, task_backends
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import RunOutcome, ScheduledRun
from .tasks import CONNECTION_ERRORS, save_through_a_broken_connection

logger = logging.getLogger(__name__)

TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class DailyJob:
    name: str
    path: str
    at: dt.time

    def target(self) -> Callable:
        found = import_string(self.path)
        return found.call if isinstance(found, Task) else found


def parse_time(value: str, job: str = "") -> dt.time:
    match = TIME_OF_DAY.match(value or "")
    if not match:
        raise ImproperlyConfigured(f'DAILY_JOBS: the time of "{job}" must be HH:MM on a 24-hour clock, not {value!r}')
    return dt.time(int(match[1]), int(match[2]))


def daily_jobs() -> dict[str, DailyJob]:
    """The configured jobs, checked: a bad time or a path that does not import stops with a clear message."""
    jobs = {}
    for name, (path, at) in getattr(settings, "DAILY_JOBS", {}).items():
        job = DailyJob(name=name, path=path, at=parse_time(at, name))
        try:
            job.target()
        except ImportError as error:
            raise ImproperlyConfigured(f'DAILY_JOBS: "{name}" names {path}, which does not import ({error})') from None
        jobs[name] = job
    return jobs


def next_run_at(at: dt.time, after: dt.datetime) -> dt.datetime:
    """The first time of day ``at`` (UK time) strictly after ``after``."""
    local = timezone.localtime(after)
    day = local.date()
    while True:
        candidate = timezone.make_aware(dt.datetime.combine(day, at))
        if candidate > after:
            return candidate
        day += dt.timedelta(days=1)


def _backend_can_wait() -> bool:
    return task_backends["default"].supports_defer


def _task_is_gone(run: ScheduledRun) -> bool:
    """True if the task that should carry ``run`` no longer exists or has finished without starting it (for
    instance, someone pruned the task table). Then nothing would ever run the job again, so we queue anew."""
    backend = task_backends["default"]
    if not run.task_id or not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(run.task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def schedule(job: DailyJob, *, after: dt.datetime | None = None) -> ScheduledRun:
    """Queue the next run of ``job`` unless one is already waiting; return the waiting run either way."""
    if not _backend_can_wait():
        raise ImproperlyConfigured(
            "Daily jobs need a task backend that can hold a task until a time (django_tasks_db.DatabaseBackend); "
            f"the configured one, {settings.TASKS['default']['BACKEND']}, runs tasks at once."
        )
    now = timezone.now()
    run_at = next_run_at(job.at, max(after or now, now))
    with transaction.atomic():
        waiting = ScheduledRun.objects.select_for_update().filter(job=job.name, started_at__isnull=True).first()
        if waiting is not None:
            changed_time = waiting.run_at > now and timezone.localtime(waiting.run_at).time() != job.at
            if not changed_time and not _task_is_gone(waiting):
                return waiting
            # Set aside the waiting run: if its task does turn up later, it finds the run started and stops.
            waiting.started_at = waiting.finished_at = now
            waiting.outcome = RunOutcome.REPLACED if changed_time else RunOutcome.LOST
            waiting.save(update_fields=["started_at", "finished_at", "outcome"])
            logger.warning("Daily job %s: the run for %s was %s", job.name, waiting.run_at, waiting.outcome)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, run_at=run_at)
        except IntegrityError:
            # Another process queued it between our look and our insert: theirs is the one.
            return ScheduledRun.objects.get(job=job.name, started_at__isnull=True)
        # Queued in the same transaction as the row (the database backend shares the connection), so there
        # is never a row without its task or a task without its row.
        result = run_daily_job.using(run_after=run_at).enqueue(run_id=run.pk)
        run.task_id = str(result.id)
        run.save(update_fields=["task_id"])
    logger.info("Daily job %s: next run at %s", job.name, timezone.localtime(run_at))
    return run


def schedule_all() -> list[ScheduledRun]:
    return [schedule(job) for job in daily_jobs().values()]


@task(takes_context=True)
def run_daily_job(context: TaskContext, *, run_id: int) -> str:
    """Run one scheduled run of a daily job, once, having first queued the job's next run (so a crash in the
    job never stops tomorrow's).

    If the worker running it was lost mid-job (killed, or its database connection broke), the same task is
    queued again (``worker.py``) and finishes the run: the jobs are safe to run again (nobody is told
    anything twice; retention removes what is past its time). Any other task for a started run does nothing."""
    this_task = str(context.task_result.id)
    with transaction.atomic():
        run = ScheduledRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return "already run"
        if run.started_at is not None:
            if run.finished_at is not None or run.task_id != this_task:
                return "already run"
            job = daily_jobs().get(run.job)
            if job is None:
                return "already run"
            logger.warning("Daily job %s: finishing the run of %s, whose worker was lost", run.job, run.run_at)
        else:
            run.started_at = timezone.now()
            job = _start(run)
            if job is None:
                return "skipped"
    return _perform(run, job)


def _start(run: ScheduledRun) -> DailyJob | None:
    """Mark the run started and queue the job's next run (in the caller's transaction); None if the job is
    no longer configured."""
    job = daily_jobs().get(run.job)
    if job is None:
        run.finished_at, run.outcome = run.started_at, RunOutcome.SKIPPED
        run.save(update_fields=["started_at", "finished_at", "outcome"])
        logger.warning("Daily job %s is no longer in DAILY_JOBS: its run is skipped", run.job)
        return None
    run.save(update_fields=["started_at"])
    schedule(job, after=max(run.run_at, run.started_at))
    return job


def _perform(run: ScheduledRun, job: DailyJob) -> str:
    """Run the job and record how it went. A broken database connection is not the job's failure: it goes
    up to the worker, which queues this task again to finish the run. Once the job has run, its outcome is
    recorded even if the connection broke meanwhile, so that it is not run again."""
    try:
        result = job.target()()
    except CONNECTION_ERRORS:
        raise
    except Exception as error:
        _record(run, RunOutcome.FAILED, f"{type(error).__name__}: {error}")
        logger.exception("Daily job %s failed (run %s); its next run is queued", run.job, run.pk)
        raise
    _record(run, RunOutcome.DONE, str(result))
    return f"{run.job}: {result}"


def _record(run: ScheduledRun, outcome: RunOutcome, result: str) -> None:
    save_through_a_broken_connection(
        lambda: ScheduledRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), outcome=outcome, result=result[:200]
        ),
        f"daily job {run.job}'s run as {outcome}",
    )
