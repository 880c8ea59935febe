"""Email goes out from a background task, never inside the request.

Callers use ``queue_email(key=..., to=..., subject=..., template=..., context=...)`` inside the database
transaction that made the thing the email is about: the task is queued when that transaction commits. The
key makes sending idempotent: a task that runs twice, or two tasks with the same key, send one email.

Each email has a row (``SentEmail``) that is marked "sending" and committed *before* the mail server is
asked, so a message is never sent twice, even if a worker stops half-way. If the mail server refuses or
cannot be reached, the task queues itself to try again later (``RETRY_MINUTES``); after the last try the
failure is logged as an error and the task fails, so it shows in the worker's log and the task results.
"""

import datetime as dt
import logging
import smtplib

from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task, task_backends

from .attachments import build_attachment
from .models import EmailStatus, SentEmail

logger = logging.getLogger(__name__)

# Minutes to wait before each further try: five tries over about two and a half hours.
RETRY_MINUTES = (1, 5, 30, 120)
# A row left "sending" for this long belongs to a worker that stopped mid-send; we cannot know whether the
# mail server took the message, so it is not sent again (never twice), and the gap is logged.
STALE_SENDING = dt.timedelta(minutes=15)
# Errors that may pass: the server is down, busy or unreachable. Anything else is a fault in our code.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class EmailNotSent(Exception):
    """The last try failed: nobody received this email."""


def _claim(key: str, to: str, subject: str) -> SentEmail | None:
    """Mark the email as being sent, or return None if it is sent, or being sent by someone else."""
    with transaction.atomic():
        email, created = SentEmail.objects.select_for_update().get_or_create(
            key=key, defaults={"to": to, "subject": subject, "status": EmailStatus.SENDING}
        )
        if not created:
            if email.status == EmailStatus.SENT:
                return None
            if email.status == EmailStatus.SENDING:
                if email.updated_at and email.updated_at > timezone.now() - STALE_SENDING:
                    return None  # another run of this task is sending it now
                email.status = EmailStatus.FAILED
                email.last_error = "A worker stopped while sending; it may not have arrived, so it was not re-sent"
                email.save(update_fields=["status", "last_error", "updated_at"])
                logger.error("Email %s to %s may not have been sent: %s", key, to, email.last_error)
                return None
            email.status = EmailStatus.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts", "updated_at"])
    return email


def _try_again_later(email: SentEmail, error: Exception, retry: dict) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:500]
    if email.attempts > len(RETRY_MINUTES):
        email.status = EmailStatus.FAILED
        email.save(update_fields=["status", "last_error", "updated_at"])
        logger.error(
            "Email %s to %s could not be sent after %d tries; nobody has received it. Last error: %s",
            email.key,
            email.to,
            email.attempts,
            email.last_error,
        )
        raise EmailNotSent(email.key) from error
    email.status = EmailStatus.WAITING
    email.save(update_fields=["status", "last_error", "updated_at"])
    delay = dt.timedelta(minutes=RETRY_MINUTES[email.attempts - 1])
    logger.warning("Email %s: try %d failed (%s); trying again in %s", email.key, email.attempts, error, delay)
    later = send_email
    if task_backends["default"].supports_defer:
        later = send_email.using(run_after=timezone.now() + delay)
    later.enqueue(**retry)


@task()
def send_email(
    *, key: str, to: str, subject: str, template: str, context: dict, attachment: list | None = None
) -> bool:
    """Send one email, once. True if this run sent it. ``attachment`` is ``[name, id]`` of a registered
    builder (``attachments``): the file is made now, so the task's arguments carry no confidential text."""
    body = render_to_string(template, context)  # before claiming: a broken template is a bug, not a retry
    email = _claim(key, to, subject)
    if email is None:
        return False
    try:
        attached = build_attachment(attachment)
        if attached is None:
            send_mail(subject, body, None, [to])
        else:
            message = EmailMessage(subject, body, None, [to])
            message.attach(attached.filename, attached.content, attached.mimetype)
            message.send()
    except TRANSIENT_ERRORS as error:
        retry = {"key": key, "to": to, "subject": subject, "template": template, "context": context}
        if attachment:
            retry["attachment"] = attachment
        _try_again_later(email, error, retry)
        return False
    email.status, email.sent_at, email.last_error = EmailStatus.SENT, timezone.now(), ""
    email.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return True


def queue_email(
    *, key: str, to: str, subject: str, template: str, context: dict, attachment: tuple[str, int] | None = None
) -> None:
    """Queue an email once the current transaction commits (so it never speaks of a rolled-back thing).
    ``attachment``, if given, is ``(name, id)`` of a registered attachment builder (``attachments``)."""
    extra = {"attachment": list(attachment)} if attachment else {}
    transaction.on_commit(
        lambda: send_email.enqueue(key=key, to=to, subject=subject, template=template, context=context, **extra)
    )
