"""Email goes out from a background task, never inside the request.

Callers use ``queue_email(key=..., to=..., subject=..., template=..., context=...)`` inside the database
transaction that made the thing the email is about. The email's row (``SentEmail``, with its context
encrypted) and its task are written in that same transaction, so both exist if and only if it commits: a
worker or server that stops between the two cannot lose the email, and a rolled-back change sends nothing.
The task carries only the row's id and key, never the message: links in emails are credentials (finishing an
account, resetting a password, accepting an invitation) and the task table is kept for weeks.

The key makes sending idempotent: a task that runs twice, or two calls with the same key, send one email.
The row is marked "sending" and committed *before* the mail server is asked, and "sent" straight after (with
a reconnect if the database connection broke meanwhile). If the worker is lost mid-send, the task is queued
again (``worker.py``) and sends again with the same Message-ID, the idempotency key the recipient's mail
system uses to keep one copy: an email whose fate is unknown is not silently dropped.

If the mail server refuses or cannot be reached, the task queues itself to try again later
(``RETRY_MINUTES``); after the last try the failure is logged as an error and the task fails, so it shows in
the worker's log and the task results.
"""

import datetime as dt
import hashlib
import logging
import smtplib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    router,
    transaction,
)
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import TaskContext, task, task_backends
from django_tasks.base import Task, TaskResultStatus
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .attachments import build_attachment
from .models import EmailStatus, SentEmail

# Where an email's stored context names its attachment (``queue_email``'s ``attachment``), made at sending.
ATTACHMENT_KEY = "_attachment"

logger = logging.getLogger(__name__)

# Minutes to wait before each further try: five tries over about two and a half hours.
RETRY_MINUTES = (1, 5, 30, 120)
# A row left "sending" by no task we can find (rows from before tasks were recorded) is taken over after this.
STALE_SENDING = dt.timedelta(minutes=15)
# Errors that may pass: the server is down, busy or unreachable. Anything else is a fault in our code.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)
# A broken database connection (the server restarted, a network blip, a terminated backend).
CONNECTION_ERRORS = (OperationalError, InterfaceError)
# Seconds to wait between tries to record that an email went, after the database connection broke.
RECORD_WAITS = (0, 0.5, 1, 2, 4, 8, 15)


class EmailNotSent(Exception):
    """The last try failed: nobody received this email."""


def queue_shares_the_database(task_: Task) -> bool:
    """True if the task's queue is a table in the default database, so a task queued now is written in the
    caller's transaction (kept if it commits, gone if it rolls back)."""
    return isinstance(task_.get_backend(), DatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS


def enqueue_with_transaction(task_: Task, **kwargs) -> None:
    """Queue ``task_`` so that it exists if, and only if, the current transaction commits. With the database
    queue the task row is written in the transaction itself (exactly once: never lost between a commit and
    a queueing); with a queue elsewhere (the tests' immediate backend) it is queued when the commit happens."""
    if queue_shares_the_database(task_):
        task_.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task_.enqueue(**kwargs))


def message_id_for(key: str) -> str:
    """The Message-ID header of the email with this key: the same on every try, so a message sent again after
    a worker was lost mid-send is recognised by the recipient's mail system as the same message."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "supportpath.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def queue_email(
    *, key: str, to: str, subject: str, template: str, context: dict, attachment: tuple[str, int] | None = None
) -> None:
    """Queue an email in the current transaction (so it never speaks of a rolled-back thing, and is never
    lost once that thing is committed). A key already queued or sent is left alone. ``attachment``, if given,
    is ``(name, id)`` of a registered attachment builder (``attachments``): the file is made when the email is
    sent, so nothing confidential waits in the queue."""
    context = normalize_json(context)  # plain JSON, as a task argument had to be
    if attachment:
        context[ATTACHMENT_KEY] = [attachment[0], int(attachment[1])]
    with transaction.atomic():
        try:
            with transaction.atomic():
                email = SentEmail.objects.create(
                    key=key,
                    to=to,
                    subject=subject,
                    template=template,
                    context=context,
                    status=EmailStatus.QUEUED,
                    message_id=message_id_for(key),
                )
        except IntegrityError:
            return  # the same email, already queued or sent
        enqueue_with_transaction(send_email, email_id=email.pk, key=key)


def _task_is_alive(task_id: str) -> bool:
    """True if the task that marked an email "sending" is still running, or will run again."""
    if not task_id:
        return False
    return DBTaskResult.objects.filter(
        id=task_id, status__in=[TaskResultStatus.RUNNING, TaskResultStatus.READY]
    ).exists()


def _claim(email_id: int, task_id: str) -> SentEmail | None:
    """Mark the email as being sent by this task, or return None if it is sent, failed for good, or being
    sent by another task that is still alive."""
    with transaction.atomic():
        email = SentEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (EmailStatus.SENT, EmailStatus.FAILED):
            return None  # sent, given up, or erased since it was queued
        if email.status == EmailStatus.SENDING:
            if email.task_id == task_id:
                # This very task was sending it when its worker was lost (or its database connection broke):
                # the mail server may or may not have taken it, so it goes again with the same Message-ID.
                logger.warning("Email %s: sending again after a lost worker (same Message-ID)", email.key)
            elif email.task_id and email.task_id != task_id and _task_is_alive(email.task_id):
                return None  # another task is sending it, or will when it is run again
            elif not email.task_id and email.updated_at and email.updated_at > timezone.now() - STALE_SENDING:
                return None
            else:
                logger.warning("Email %s: taking over from a task that stopped mid-send", email.key)
        email.status = EmailStatus.SENDING
        email.task_id = task_id
        email.message_id = email.message_id or message_id_for(email.key)
        email.attempts += 1
        email.save(update_fields=["status", "task_id", "message_id", "attempts", "updated_at"])
    return email


def save_through_a_broken_connection(save: Callable[[], None], what: str) -> None:
    """Run ``save`` (a write that must not be lost, such as "this email went"), reconnecting if the database
    connection has broken, for about half a minute. Inside a transaction nothing can be redone, so it
    raises at once there."""
    for attempt, wait in enumerate(RECORD_WAITS, start=1):
        time.sleep(wait)
        try:
            save()
            return
        except CONNECTION_ERRORS as error:
            if connection.in_atomic_block or attempt == len(RECORD_WAITS):
                raise
            logger.warning("Could not record %s (%s); reconnecting", what, error)
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - the connection is broken already; the next try opens a new one
                logger.debug("Closing the broken connection failed", exc_info=True)


def _finish(email: SentEmail, status: EmailStatus, error: str = "") -> None:
    email.status, email.last_error, email.context, email.task_id = status, error[:500], None, ""
    if status == EmailStatus.SENT:
        email.sent_at = timezone.now()
    save_through_a_broken_connection(
        lambda: email.save(update_fields=["status", "sent_at", "last_error", "context", "task_id", "updated_at"]),
        f"email {email.key} as {status}",
    )


def _try_again_later(email: SentEmail, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"
    if email.attempts > len(RETRY_MINUTES):
        _finish(email, EmailStatus.FAILED, message)
        logger.error(
            "Email %s to %s could not be sent after %d tries; nobody has received it. Last error: %s",
            email.key,
            email.to,
            email.attempts,
            message,
        )
        raise EmailNotSent(email.key) from error
    delay = dt.timedelta(minutes=RETRY_MINUTES[email.attempts - 1])
    later = send_email
    if task_backends["default"].supports_defer:
        later = send_email.using(run_after=timezone.now() + delay)
    logger.warning("Email %s: try %d failed (%s); trying again in %s", email.key, email.attempts, error, delay)
    email.status, email.last_error, email.task_id = EmailStatus.WAITING, message[:500], ""
    # The row and the next try are written together (the next try is the only thing that will send it).
    with transaction.atomic():
        email.save(update_fields=["status", "last_error", "task_id", "updated_at"])
        later.enqueue(email_id=email.pk, key=email.key)


@task(takes_context=True)
def send_email(context: TaskContext, *, email_id: int, key: str = "") -> bool:
    """Send one email, once. True if this run sent it. ``key`` only names the email for whoever reads the
    queue; the message itself is in the email's row."""
    queued = SentEmail.objects.filter(pk=email_id).first()
    if queued is None or queued.status in (EmailStatus.SENT, EmailStatus.FAILED):
        return False
    body = render_to_string(queued.template, queued.context or {})  # a broken template is a bug, not a retry
    email = _claim(email_id, str(context.task_result.id))
    if email is None:
        return False
    message = EmailMessage(email.subject, body, None, [email.to], headers={"Message-ID": email.message_id})
    attached = build_attachment((queued.context or {}).get(ATTACHMENT_KEY))
    if attached is not None:
        message.attach(attached.filename, attached.content, attached.mimetype)
    try:
        message.send()
    except TRANSIENT_ERRORS as error:
        _try_again_later(email, error)
        return False
    _finish(email, EmailStatus.SENT)
    return True
