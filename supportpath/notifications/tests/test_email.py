"""Email is sent once per key, however many times its task runs, and a mail server that fails is tried again
later, from the task queue, until a last failure is logged loudly."""

import datetime as dt
import logging
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from supportpath.notifications.models import EmailStatus, SentEmail
from supportpath.notifications.tasks import RETRY_MINUTES, STALE_SENDING, queue_email, send_email

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


def test_a_task_that_runs_twice_with_the_same_key_sends_one_email():
    assert send_email.call(**EMAIL) is True
    assert send_email.call(**EMAIL) is False
    send_email.enqueue(**EMAIL)  # and once more through the queue
    assert len(mail.outbox) == 1
    assert SentEmail.objects.get(key=EMAIL["key"]).status == EmailStatus.SENT


def test_an_email_is_queued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(**EMAIL)
    assert mail.outbox == [] and len(callbacks) == 1, "nothing goes out before the commit"
    callbacks[0]()
    assert len(mail.outbox) == 1


@override_settings(TASKS=DB_TASKS)
def test_a_failing_mail_server_is_tried_again_later_and_the_email_goes_once(flaky, run_worker):
    flaky.failures = 2
    with time_machine.travel(NOW, tick=False):
        send_email.enqueue(**EMAIL)
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
        send_email.enqueue(**EMAIL)  # the same email queued again by someone else
        run_worker()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 3 and email.last_error == ""


def test_after_the_last_try_the_failure_is_logged_loudly(flaky, caplog):
    flaky.failures = 100
    with caplog.at_level(logging.WARNING, logger="supportpath.notifications.tasks"):
        result = send_email.enqueue(**EMAIL)  # the immediate backend of the tests tries again at once
    email = SentEmail.objects.get(key=EMAIL["key"])
    assert email.status == EmailStatus.FAILED and email.attempts == len(RETRY_MINUTES) + 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "could not be sent after 5 tries" in errors[0].getMessage()
    assert "dr.ada@example.test" in errors[0].getMessage()
    assert mail.outbox == []
    assert result.status == "SUCCESSFUL"  # the first try handed over to its retry, which failed loudly


def test_an_email_a_stopped_worker_was_sending_is_never_sent_twice(caplog):
    with time_machine.travel(NOW, tick=False):
        SentEmail.objects.create(key=EMAIL["key"], to=EMAIL["to"], subject="x", status=EmailStatus.SENDING, attempts=1)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert send_email.call(**EMAIL) is False, "another worker may be sending it right now"
    with (
        time_machine.travel(NOW + STALE_SENDING + dt.timedelta(minutes=1), tick=False),
        caplog.at_level(logging.ERROR, logger="supportpath.notifications.tasks"),
    ):
        assert send_email.call(**EMAIL) is False
    assert mail.outbox == []
    assert SentEmail.objects.get(key=EMAIL["key"]).status == EmailStatus.FAILED
    assert "may not have been sent" in caplog.text
