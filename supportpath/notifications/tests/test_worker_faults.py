"""Real worker processes under faults, on PostgreSQL: workers killed (kill -9) mid-send and mid-job, and a
worker whose database connections are terminated (pg_terminate_backend), idle and mid-send. Afterwards every
email has gone exactly once, the daily job has run once, no task is left running, the worker carried on by
itself, and /healthz/queue reported the stall while it lasted.

The workers run ``manage.py worker`` with ``worker_settings.py``: a file for a mail server, and a heartbeat
of 0.3s with workers taken as lost after 1.5s, so that each test takes seconds."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from supportpath.notifications import schedule
from supportpath.notifications.models import EmailStatus, RunOutcome, ScheduledRun, SentEmail, WorkerHeartbeat
from supportpath.notifications.tasks import message_id_for, queue_email

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]


def email(n: int) -> dict:
    return {
        "key": f"fault-test:{n}",
        "to": f"dr.fault{n}@example.test",
        "subject": f"Your support {n}",
        "template": "progress/email/review.txt",
        "context": {"name": "Dr Fault", "reference": f"SP-TEST-{n:04}", "site_url": "http://x"},
    }


def wait_for(what: str, check: Callable[[], object], timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}")


class Workers:
    """Starts real worker processes on the test's database and counts what they delivered."""

    def __init__(self, tmp_path: Path):
        self.dir = tmp_path
        self.outbox = tmp_path / "outbox"
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "supportpath.notifications.tests.worker_settings",
            "SP_WORKER_DB_NAME": connection.settings_dict["NAME"],
            "SP_OUTBOX": str(self.outbox),
        }
        log = open(self.dir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "django", "worker", "--interval", "0.1", "--no-startup-delay", "--worker-id", name],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def hold(self, name: str) -> None:
        Path(f"{self.outbox}.{name}.hold").touch()

    def release(self, name: str) -> None:
        Path(f"{self.outbox}.{name}.hold").unlink()

    def lines(self, name: str) -> list[str]:
        path = Path(f"{self.outbox}.{name}")
        return path.read_text().splitlines() if path.exists() else []

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.dir.glob("*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the fault tests need PostgreSQL (real worker processes sharing one database)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SP_OUTBOX = str(tmp_path / "outbox")
    settings.DAILY_JOBS = {"tick": ("supportpath.notifications.tests.outbox.tick", "07:00")}
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 0.3
    settings.TASK_WORKER_LOST_AFTER_SECONDS = 1.5
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
    print(pool.logs())  # shown by pytest when the test failed


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz/queue")
    return response.status_code, response.json()


def test_workers_killed_mid_send_and_mid_job_lose_nothing_and_send_nothing_twice(workers, client):
    # A daily run missed while no worker was running (its time has passed), and two emails.
    run = schedule.schedule(schedule.daily_jobs()["tick"])
    DBTaskResult.objects.filter(pk=run.task_id).update(run_after=timezone.now() - dt.timedelta(minutes=5))
    workers.hold("tick")
    workers.hold("mail")
    first, second = workers.start("first"), workers.start("second")
    queue_email(**email(1))
    queue_email(**email(2))

    # Each worker is stuck: one in the daily job, one talking to a slow mail server. Both are killed.
    wait_for("the job to start", lambda: ScheduledRun.objects.filter(pk=run.pk, started_at__isnull=False).exists())
    wait_for("an email to be mid-send", lambda: SentEmail.objects.filter(status=EmailStatus.SENDING).exists())
    for process in (first, second):
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 2

    # While nobody works the queue, the health check says so.
    status, body = wait_for("the stall to be reported", lambda: (r := health(client))[1].get("lost_running") == 2 and r)
    assert status == 503 and body["status"] == "stalled" and body["workers_alive"] == 0
    assert "no worker has been heard from lately" in body["problems"]
    assert body["oldest_waiting_seconds"] >= 0 and body["last_worker_seen_seconds_ago"] >= 1

    # The supervisor starts a worker again; the mail server and the job are quick now.
    workers.release("tick")
    workers.release("mail")
    workers.start("again")
    wait_for("both emails to be sent", lambda: SentEmail.objects.filter(status=EmailStatus.SENT).count() == 2)
    wait_for("the daily run to finish", lambda: ScheduledRun.objects.filter(pk=run.pk, outcome=RunOutcome.DONE))
    wait_for("every task to finish", lambda: not DBTaskResult.objects.exclude(status="SUCCESSFUL").exclude(
        task_path="supportpath.notifications.schedule.run_daily_job", status="READY").exists())  # fmt: skip

    delivered = workers.lines("mail")
    assert sorted(delivered) == sorted(f"{message_id_for(f'fault-test:{n}')} Your support {n}" for n in (1, 2))
    assert workers.lines("tick") == ["ran"], "the daily job ran once"
    assert ScheduledRun.objects.filter(started_at__isnull=True).count() == 1, "tomorrow's run is queued, once"
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    status, body = wait_for("the queue to be healthy again", lambda: (r := health(client))[0] == 200 and r)
    assert body["workers_alive"] == 1 and body["lost_running"] == 0


def _terminate_worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'sp-test-worker' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_worker_whose_database_connection_breaks_carries_on_by_itself(workers, client):
    worker = workers.start("steady")
    wait_for("the worker to say it is alive", lambda: WorkerHeartbeat.objects.filter(worker_id="steady").exists())

    # The database drops the worker's connections while it waits for work.
    assert _terminate_worker_connections() >= 1
    queue_email(**email(1))
    wait_for("the email after the break", lambda: SentEmail.objects.filter(status=EmailStatus.SENT).count() == 1)

    # And again while it is sending: the mail server has the message, the worker must still record it.
    workers.hold("mail")
    queue_email(**email(2))
    wait_for("the email to be mid-send", lambda: SentEmail.objects.filter(status=EmailStatus.SENDING).exists())
    assert _terminate_worker_connections() >= 1
    workers.release("mail")
    wait_for("the email to be recorded", lambda: SentEmail.objects.filter(status=EmailStatus.SENT).count() == 2)

    # And while a daily job runs: the job has done its work when the connection goes; it is not run again.
    workers.hold("tick")
    run = schedule.schedule(schedule.daily_jobs()["tick"])
    DBTaskResult.objects.filter(pk=run.task_id).update(run_after=timezone.now() - dt.timedelta(minutes=5))
    wait_for("the job to start", lambda: ScheduledRun.objects.filter(pk=run.pk, started_at__isnull=False).exists())
    assert _terminate_worker_connections() >= 1
    workers.release("tick")
    wait_for("the daily run to finish", lambda: ScheduledRun.objects.filter(pk=run.pk, outcome=RunOutcome.DONE))
    assert workers.lines("tick") == ["ran"], "the daily job ran once"

    assert worker.poll() is None, "the worker is still running: it reconnected by itself"
    assert sorted(workers.lines("mail")) == sorted(
        f"{message_id_for(f'fault-test:{n}')} Your support {n}" for n in (1, 2)
    ), "each email went exactly once"
    wait_for("no task left running", lambda: not DBTaskResult.objects.filter(status="RUNNING").exists())
    status, body = health(client)
    assert status == 200 and body["workers_alive"] == 1, body
    # Whether the worker noticed the loss (and logged "lost the database") or Django's connection health check
    # replaced the broken connection before it was used (DATABASE_CONN_HEALTH_CHECKS) depends on where the worker
    # was when its connection went; either way it carried on by itself, as the checks above show.
    log = Path(workers.dir / "steady.log").read_text()
    assert "Traceback" not in log or "lost the database" in log
