"""Email is sent once per key, however many times its task runs or is queued; the message waits in its own
(encrypted) row, not in the task; and a mail server that fails is tried again later, from the task queue,
until a last failure is logged loudly."""

import datetime as dt
import logging
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks_db.models import DBTaskResult

from supportpath.notifications.models import EmailStatus, SentEmail
from supportpath.notifications.tasks import RETRY_MINUTES, message_id_for, queue_email, send_email

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL = {
    "key": "test-email:1",
    "to": "dr.ada@example.test",
    "subject": "Your support",
    "template": "progress/email/review.txt",
    "context": {"name": "Dr Ada", "reference": "SP-TEST-0001", "site_url": "http://x"},
}


class FlakyBackend(EmailBackend):
    """The mail server: refuses while ``failures`` is above zero, then delivers to the test outbox."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky():
    FlakyBackend.failures = 0
    with override_settings(EMAIL_BACKEND=f"{__name__}.FlakyBackend"):
        yield FlakyBackend


class FakeResult:
    def __init__(self, task_id: str):
        self.id = task_id


def as_task(task_id: str = "task-1") -> TaskContext:
    """The context a task is run with, naming the task (an email being sent records which task sends it)."""
    return TaskContext(task_result=FakeResult(task_id))


def queued() -> SentEmail:
    """Queue the email and return its row (the immediate backend of the tests would send it at the commit,
    which a test's transaction never reaches)."""
    queue_email(**EMAIL)
    return SentEmail.objects.get(key=EMAIL["key"])


def test_a_task_that_runs_twice_with_the_same_key_sends_one_email():
    email = queued()
    assert send_email.call(as_task(), email_id=email.pk, key=email.key) is True
    assert send_email.call(as_task("task-2"), email_id=email.pk, key=email.key) is False
    queue_email(**EMAIL)  # the same email queued again by someone else
    send_email.enqueue(email_id=email.pk, key=email.key)  # and once more through the queue
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id_for(EMAIL["key"])
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.context is None, "the message is not kept once sent"
    assert SentEmail.objects.count() == 1


def test_an_email_is_queued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(**EMAIL)
    assert mail.outbox == [] and len(callbacks) == 1, "nothing goes out before the commit"
    callbacks[0]()
    assert len(mail.outbox) == 1


@override_settings(TASKS=DB_TASKS)
def test_with_the_database_queue_the_email_and_its_task_commit_or_vanish_together():
    with transaction.atomic():
        queue_email(**EMAIL)
        task = DBTaskResult.objects.get()
        transaction.set_rollback(True)  # the thing the email was about was not saved after all
    assert not DBTaskResult.objects.filter(pk=task.pk).exists() and not SentEmail.objects.exists()
    queue_email(**EMAIL)
    task = DBTaskResult.objects.get()
    email = SentEmail.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk, "key": EMAIL["key"]}}
    assert email.context == EMAIL["context"] and email.status == EmailStatus.QUEUED


@override_settings(TASKS=DB_TASKS)
def test_a_failing_mail_server_is_tried_again_later_and_the_email_goes_once(flaky, run_worker):
    flaky.failures = 2
    with time_machine.travel(NOW, tick=False):
        queue_email(**EMAIL)
        run_worker()
        email = SentEmail.objects.get(key=EMAIL["key"])
        assert email.status == EmailStatus.WAITING and email.attempts == 1
        assert "SMTPServerDisconnected" in email.last_error
        waiting = DBTaskResult.objects.ready()
        assert not waiting.exists(), "the second try waits for its time"
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == NOW + dt.timedelta(minutes=RETRY_MINUTES[0])
        assert mail.outbox == []
    with time_machine.travel(NOW + dt.timedelta(minutes=RETRY_MINUTES[0], seconds=1), tick=False):
        run_worker()  # fails again: the next wait is longer
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == timezone.now() + dt.timedelta(minutes=RETRY_MINUTES[1])
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        run_worker()
        queue_email(**EMAIL)  # the same email queued again by someone else
        send_email.enqueue(email_id=email.pk, key=email.key)
        run_worker()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 3 and email.last_error == ""


def test_after_the_last_try_the_failure_is_logged_loudly(flaky, caplog):
    flaky.failures = 100
    email = queued()
    with caplog.at_level(logging.WARNING, logger="supportpath.notifications.tasks"):
        result = send_email.enqueue(email_id=email.pk, key=email.key)  # the immediate backend tries again at once
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == len(RETRY_MINUTES) + 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "could not be sent after 5 tries" in errors[0].getMessage()
    assert "dr.ada@example.test" in errors[0].getMessage()
    assert mail.outbox == []
    assert result.status == "SUCCESSFUL"  # the first try handed over to its retry, which failed loudly


@override_settings(TASKS=DB_TASKS)
def test_an_email_another_live_task_is_sending_is_left_to_it():
    email = queued()
    other = DBTaskResult.objects.get()
    other.status = "RUNNING"
    other.save()
    SentEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, task_id=str(other.pk), attempts=1)
    assert send_email.call(as_task("another-task"), email_id=email.pk, key=email.key) is False
    assert mail.outbox == []


@override_settings(TASKS=DB_TASKS)
def test_an_email_whose_task_was_lost_mid_send_goes_again_with_the_same_message_id(caplog):
    """The worker was killed, or its connection broke, after marking the email "sending": the task is queued
    again and sends it, with the Message-ID of the first try, so a mail system that did get the first one
    keeps one copy; nothing is silently lost."""
    email = queued()
    task_id = str(DBTaskResult.objects.get().pk)
    SentEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, task_id=task_id, attempts=1)
    with caplog.at_level(logging.WARNING, logger="supportpath.notifications.tasks"):
        assert send_email.call(as_task(task_id), email_id=email.pk, key=email.key) is True
    assert "sending again after a lost worker" in caplog.text
    [sent] = mail.outbox
    assert sent.extra_headers["Message-ID"] == message_id_for(EMAIL["key"])
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2


def test_an_email_erased_before_it_was_sent_is_not_sent():
    email = queued()
    SentEmail.objects.filter(pk=email.pk).delete()
    assert send_email.call(as_task(), email_id=email.pk, key=email.key) is False
    assert mail.outbox == []
