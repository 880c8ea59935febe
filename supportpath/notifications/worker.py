"""The background worker (``manage.py worker``), built on django-tasks-db's, made to survive faults:

- A broken database connection (a restart, a failover, a network blip, a terminated backend) no longer ends
  the worker: it drops the connection, waits a moment (longer each time, up to ``MAX_RECONNECT_WAIT``) and
  carries on. A task that was running when the connection broke is queued again.
- Each worker says it is alive (``WorkerHeartbeat``) every ``TASK_WORKER_HEARTBEAT_SECONDS``, from a thread of
  its own, so a long task does not make it look gone.
- A task left "running" by a worker not heard from for ``TASK_WORKER_LOST_AFTER_SECONDS`` (killed, its
  machine gone) is queued again by any live worker; after ``TASK_MAX_ATTEMPTS`` starts it is marked failed
  instead, so one task that kills its worker cannot stop the queue. Tasks are written to be run again:
  email is sent once per key (``tasks.py``), a daily job's run once (``schedule.py``).
- ``queue_health`` says how the queue is doing, for ``/healthz/queue``.

The worker still stops when told (SIGTERM, SIGINT) or on anything that is not a database connection error;
run it under a supervisor that starts it again (README, "Running it in production").
"""

import datetime as dt
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import WorkerHeartbeat
from .tasks import CONNECTION_ERRORS

logger = logging.getLogger(__name__)

MAX_RECONNECT_WAIT = 30.0


class WorkerLost(Exception):
    """The task was started too many times by workers that were lost before finishing it."""


def heartbeat_seconds() -> float:
    return float(settings.TASK_WORKER_HEARTBEAT_SECONDS)


def lost_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.TASK_WORKER_LOST_AFTER_SECONDS))


def drop_connections() -> None:
    """Close every database connection of this thread, broken or not; the next query opens a new one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped all the same
            logger.debug("Closing a broken connection failed", exc_info=True)


def beat(worker_id: str, *, stopped: bool = False) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "last_seen": now,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "stopped_at": now if stopped else None,
        },
    )


class Heartbeat(threading.Thread):
    """Says the worker is alive, every ``interval`` seconds, on a database connection of its own."""

    def __init__(self, worker_id: str, interval: float):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.beat()
            self.stopping.wait(self.interval)
        self.beat(stopped=True)
        drop_connections()

    def beat(self, *, stopped: bool = False) -> None:
        try:
            beat(self.worker_id, stopped=stopped)
        except CONNECTION_ERRORS as error:
            logger.warning("Heartbeat: the database cannot be reached (%s); trying again", error)
            drop_connections()
        except Exception:  # the heartbeat must outlive any fault, or a working worker would look gone
            logger.exception("Heartbeat failed; trying again")
            drop_connections()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=max(self.interval, 1) + 5)


def give_back(task_id, reason: str) -> str:
    """Queue a running task again (its worker was lost or its connection broke), or fail it if it has been
    started ``TASK_MAX_ATTEMPTS`` times. Returns what was done."""
    with transaction.atomic():
        db_task = DBTaskResult.objects.select_for_update().filter(id=task_id, status=TaskResultStatus.RUNNING).first()
        if db_task is None:
            return "finished"
        if len(db_task.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            error = WorkerLost(f"{reason}; started {len(db_task.worker_ids)} times, so it is not tried again")
            db_task.set_failed(error)
            logger.error("Task %s (%s) failed: %s", db_task.id, db_task.task_path, error)
            return "failed"
        db_task.status, db_task.started_at = TaskResultStatus.READY, None
        db_task.save(update_fields=["status", "started_at"])
    logger.warning("Task %s (%s) queued again: %s", task_id, db_task.task_path, reason)
    return "queued again"


def live_worker_ids(now: dt.datetime) -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=now - lost_after(), stopped_at__isnull=True).values_list(
            "worker_id", flat=True
        )
    )


def lost_tasks(now: dt.datetime | None = None) -> list[DBTaskResult]:
    """Tasks marked running whose worker has not been heard from lately (and that started long enough ago for
    a new worker to have said it is alive)."""
    now = now or timezone.now()
    alive = live_worker_ids(now)
    running = DBTaskResult.objects.running().filter(started_at__lt=now - lost_after())
    return [t for t in running if not t.worker_ids or t.worker_ids[-1] not in alive]


# Heartbeats of workers gone this long are removed (each start of a worker adds one).
FORGET_WORKERS_AFTER = dt.timedelta(days=7)


def recover_lost_tasks(now: dt.datetime | None = None) -> int:
    """Queue again (or fail, after too many starts) every task a lost worker left running."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_WORKERS_AFTER).delete()
    lost = lost_tasks(now)
    for db_task in lost:
        give_back(db_task.id, f"its worker {db_task.worker_ids[-1] if db_task.worker_ids else '?'} was lost")
    return len(lost)


class SupervisedWorker(Worker):
    """django-tasks-db's worker, with reconnection, a heartbeat and recovery of lost workers' tasks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat: Heartbeat | None = None
        self.failures = 0
        self.interrupted_task = None  # a task whose connection broke: queued again once we reconnect
        self.last_recovery = 0.0

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(self.interval * 0.5)
        if not self.batch:
            self.take_back_own_tasks()
            self.heartbeat = Heartbeat(self.worker_id, heartbeat_seconds())
            self.heartbeat.start()
        try:
            while self.running:
                try:
                    done = self.step()
                except CONNECTION_ERRORS as error:
                    self.reconnect_later(error)
                    continue
                if done:
                    return
        finally:
            if self.heartbeat is not None:
                self.heartbeat.stop()

    def take_back_own_tasks(self) -> None:
        """A worker started again under the same id (``--worker-id``) cannot be running the tasks its earlier
        self left running: they go back to the queue at once (another worker would think them alive)."""
        while True:
            try:
                for db_task in DBTaskResult.objects.running():
                    if db_task.worker_ids and db_task.worker_ids[-1] == self.worker_id:
                        give_back(db_task.id, "its worker was started again")
                return
            except CONNECTION_ERRORS as error:
                self.reconnect_later(error)

    def reconnect_later(self, error: Exception) -> None:
        self.failures += 1
        wait = min(MAX_RECONNECT_WAIT, 0.25 * 2 ** (self.failures - 1))
        logger.warning("Worker %s lost the database (%s); reconnecting in %.2fs", self.worker_id, error, wait)
        drop_connections()
        if self.running:
            time.sleep(wait)

    def step(self) -> bool:
        """One turn of the loop: True when the worker should stop."""
        close_old_connections()  # a connection that broke while we slept is replaced here
        if self.interrupted_task is not None:
            give_back(self.interrupted_task, "its database connection broke while it ran")
            self.interrupted_task = None
        if self.batch:
            beat(self.worker_id)
        if self.batch or time.monotonic() - self.last_recovery >= heartbeat_seconds():
            recover_lost_tasks()
            self.last_recovery = time.monotonic()

        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        retrieved = True
        with exclusive_transaction(tasks.db):
            try:
                db_task = tasks.get_locked()
                if db_task is not None:
                    db_task.claim(self.worker_id)
            except CONNECTION_ERRORS as error:
                if not (isinstance(error, OperationalError) and error.args and is_locked_database_exception(error)):
                    raise
                db_task, retrieved = None, False  # SQLite is busy: try again shortly
        self.failures = 0  # the database answered
        if db_task is not None:
            self.run_task(db_task)
        if self.batch and retrieved and db_task is None:
            return True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return True
        close_old_connections()
        if self.running and db_task is None:
            time.sleep(self.interval)
        return False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """As django-tasks-db runs a task, except that a broken database connection is not the task's
        failure: the worker reconnects and the task is queued again."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except CONNECTION_ERRORS:
            self.interrupted_task = db_task_result.id
            raise
        except (KeyboardInterrupt, SystemExit):
            # Told to stop at once, mid-task: the task is not at fault, so it goes back to the queue.
            try:
                give_back(db_task_result.id, "its worker was stopped while it ran")
            except CONNECTION_ERRORS:
                logger.warning("Task %s is left running; the next worker will queue it again", db_task_result.id)
            raise
        except Exception as error:  # as django-tasks-db: any other failure is the task's
            try:
                db_task_result.set_failed(error)
            except CONNECTION_ERRORS:
                self.interrupted_task = db_task_result.id
                raise
            try:
                task_finished.send(
                    sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                )
            except Exception:
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1


@dataclass(frozen=True)
class QueueHealth:
    ok: bool
    problems: list[str]
    details: dict

    def as_json(self) -> dict:
        return {"status": "ok" if self.ok else "stalled", "problems": self.problems, **self.details}


def _seconds(delta: dt.timedelta | None) -> int | None:
    return None if delta is None else max(0, int(delta.total_seconds()))


def queue_health(now: dt.datetime | None = None) -> QueueHealth:
    """The queue's state: the oldest task waiting for a worker, when a worker was last heard from, and
    tasks left running by lost workers. Not ok when no worker is alive, when a task has waited longer than
    ``TASK_QUEUE_MAX_WAIT_SECONDS``, or when a lost worker's task has not yet been taken back."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return QueueHealth(True, [], {"queue": "tasks run at once, without a worker"})
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    at_once = ready.filter(run_after=get_date_max()).aggregate(oldest=Min("enqueued_at"))["oldest"]
    due = ready.filter(run_after__lte=now).aggregate(oldest=Min("run_after"))["oldest"]
    oldest = min((t for t in (at_once, due) if t is not None), default=None)
    last_seen = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).aggregate(last=Max("last_seen"))["last"]
    alive = len(live_worker_ids(now))
    lost = len(lost_tasks(now))
    oldest_wait = _seconds(now - oldest) if oldest else 0
    longest = DBTaskResult.objects.running().aggregate(first=Min("started_at"))["first"]
    problems = []
    if not alive:
        problems.append("no worker has been heard from lately")
    if oldest_wait > settings.TASK_QUEUE_MAX_WAIT_SECONDS:
        problems.append(f"a task has waited {oldest_wait} seconds for a worker")
    if lost:
        problems.append(f"{lost} task(s) left running by a lost worker")
    # No counts of waiting or running tasks: the check is public, and how busy the service is is not.
    details = {
        "oldest_waiting_seconds": oldest_wait,
        "lost_running": lost,
        "longest_running_seconds": _seconds(now - longest) if longest else 0,
        "workers_alive": alive,
        "last_worker_seen_seconds_ago": _seconds(now - last_seen) if last_seen else None,
    }
    return QueueHealth(not problems, problems, details)
