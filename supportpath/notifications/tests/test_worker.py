"""The worker's survival rules, in-process (the real processes under faults are in test_worker_faults.py):
tasks of lost workers are queued again (or failed after too many starts), a broken connection is not a task's
failure, and the queue's health check says when nobody is working the queue."""

import datetime as dt
import uuid
from unittest import mock

import pytest
from django.core import mail
from django.db import DatabaseError, OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from supportpath.accounts.models import PendingRegistration
from supportpath.notifications import worker as w
from supportpath.notifications.models import SentEmail, WorkerHeartbeat
from supportpath.notifications.tasks import queue_email

pytestmark = pytest.mark.django_db

EMAIL = {
    "key": "worker-test:1",
    "to": "dr.ada@example.test",
    "subject": "Your support",
    "template": "progress/email/review.txt",
    "context": {"name": "Dr Ada", "reference": "SP-TEST-0001", "site_url": "http://x"},
}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_LOST_AFTER_SECONDS = 60
    settings.TASK_MAX_ATTEMPTS = 3


def running(worker_id: str, *, minutes_ago: int = 5, starts: int = 1) -> DBTaskResult:
    queue_email(**EMAIL)
    db_task = DBTaskResult.objects.get()
    db_task.status = "RUNNING"
    db_task.started_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    db_task.worker_ids = [f"earlier-{n}" for n in range(starts - 1)] + [worker_id]
    db_task.save()
    return db_task


def heard_from(worker_id: str, seconds_ago: float) -> None:
    WorkerHeartbeat.objects.create(worker_id=worker_id, last_seen=timezone.now() - dt.timedelta(seconds=seconds_ago))


def test_a_task_left_running_by_a_lost_worker_is_queued_again(db_tasks):
    heard_from("gone", seconds_ago=300)
    db_task = running("gone")
    assert w.recover_lost_tasks() == 1
    db_task.refresh_from_db()
    assert db_task.status == "READY" and db_task.started_at is None


def test_workers_gone_for_a_week_are_forgotten(db_tasks):
    heard_from("long-gone", seconds_ago=8 * 24 * 3600)
    heard_from("recent", seconds_ago=3600)
    w.recover_lost_tasks()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]


def test_a_live_workers_task_and_a_task_just_started_are_left_alone(db_tasks):
    heard_from("alive", seconds_ago=2)
    db_task = running("alive", minutes_ago=30)
    assert w.recover_lost_tasks() == 0
    DBTaskResult.objects.filter(pk=db_task.pk).update(
        worker_ids=["unknown"], started_at=timezone.now() - dt.timedelta(seconds=5)
    )
    assert w.recover_lost_tasks() == 0, "a worker that has only just started may not have said so yet"
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_worker_started_again_under_its_old_id_takes_back_what_it_left_running(db_tasks):
    heard_from("host-1", seconds_ago=1)  # the earlier process of the same unit, a moment before it was killed
    db_task = running("host-1", minutes_ago=0)
    assert w.recover_lost_tasks() == 0, "to anyone else it looks alive"
    worker = w.SupervisedWorker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="host-1",
        excluded_queue_names=[],
    )
    worker.take_back_own_tasks()
    db_task.refresh_from_db()
    assert db_task.status == "READY"


def test_a_task_that_has_lost_its_worker_too_often_is_failed_not_retried(db_tasks, caplog):
    db_task = running("third", starts=3)
    assert w.recover_lost_tasks() == 1
    db_task.refresh_from_db()
    assert db_task.status == "FAILED" and db_task.exception_class_path.endswith("WorkerLost")
    assert "not tried again" in caplog.text


BREAKS = {"left": 0}


@task()
def breaks_the_connection() -> str:
    if BREAKS["left"]:
        BREAKS["left"] -= 1
        raise OperationalError("server closed the connection unexpectedly")
    return "done"


def run_batch_worker() -> tuple[mock.Mock, mock.Mock]:
    worker = w.SupervisedWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="me",
        excluded_queue_names=[],
    )
    with (
        mock.patch.object(w, "close_old_connections"),
        mock.patch.object(w, "drop_connections") as dropped,
        mock.patch.object(w.time, "sleep") as slept,
    ):
        worker.run()
    return dropped, slept


@pytest.mark.parametrize(("breaks", "outcome", "starts"), [(1, "SUCCESSFUL", 2), (10, "FAILED", 3)])
def test_a_broken_connection_is_not_the_tasks_failure_the_worker_reconnects_and_runs_it_again(
    db_tasks, breaks, outcome, starts
):
    BREAKS["left"] = breaks
    breaks_the_connection.enqueue()
    dropped, slept = run_batch_worker()  # carries on by itself after each break, then stops with the queue empty
    assert dropped.call_count == slept.call_count == (starts if outcome == "FAILED" else 1)
    db_task = DBTaskResult.objects.get()
    assert db_task.status == outcome and db_task.worker_ids == ["me"] * starts


def test_the_health_check_says_when_no_worker_is_alive_or_a_task_has_waited_too_long(db_tasks, client, settings):
    settings.TASK_QUEUE_MAX_WAIT_SECONDS = 300
    response = client.get("/healthz/queue")
    assert response.status_code == 503 and "no worker has been heard from lately" in response.json()["problems"]
    heard_from("alive", seconds_ago=1)
    response = client.get("/healthz/queue")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok" and body["workers_alive"] == 1, body
    assert body["oldest_waiting_seconds"] == 0 and body["last_worker_seen_seconds_ago"] <= 2
    queue_email(**EMAIL)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/healthz/queue")
    assert response.status_code == 503
    assert response.json()["oldest_waiting_seconds"] >= 600
    assert "waited" in response.json()["problems"][0]


def test_with_tasks_run_at_once_there_is_no_queue_to_watch(client):
    response = client.get("/healthz/queue")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_a_registration_is_marked_emailed_only_with_its_email_queued(db_tasks, client, world, run_worker):
    """process_registration queues the email and marks the registration in one transaction: if it stops
    between the two, neither happened, and running it again sends the link once."""
    client.post(
        reverse("accounts:register"),
        {
            "full_name": "Dr Iris Newcomer",
            "email": "iris@example.test",
            "gmc_number": "7654321",
            "career_stage": "consultant",
            "locum": "yes",
            "specialty": "Anaesthetics",
            "qualification_region": "international",
            "employer": str(world.trust.pk),
            "submission_token": str(uuid.uuid4()),
        },
    )
    pending = PendingRegistration.objects.get()
    task = DBTaskResult.objects.get(task_path="supportpath.accounts.registration.process_registration")
    assert task.args_kwargs == {"args": [], "kwargs": {"pending_id": pending.pk}}, "queued with the row"
    real_save, failures = PendingRegistration.save, []

    def save_fails_once(self, *args, **kwargs):
        if not failures:
            failures.append(self.pk)
            raise OperationalError("server closed the connection unexpectedly")
        return real_save(self, *args, **kwargs)

    with mock.patch.object(PendingRegistration, "save", save_fails_once), mock.patch.object(w.time, "sleep"):
        run_worker()  # the first run stops after queueing the email, before marking the registration; rerun
    assert failures == [pending.pk]
    pending.refresh_from_db()
    assert pending.emailed == "link" and len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Finish setting up your supportpath account"
    assert SentEmail.objects.count() == 1, "the first run's email went with its rolled-back transaction"
    assert DBTaskResult.objects.filter(task_path="supportpath.notifications.tasks.send_email").count() == 1
    assert len(DBTaskResult.objects.get(pk=task.pk).worker_ids) == 2


def test_the_queue_health_check_answers_503_when_the_database_is_unreachable(db_tasks, client):
    with mock.patch("supportpath.notifications.views.queue_health", side_effect=DatabaseError("down")):
        response = client.get("/healthz/queue")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
