"""Email goes out from a background task, never inside the request.

Callers enqueue with ``send_email.enqueue(key=..., to=..., template=..., context=...)`` inside or after the
database transaction that made the thing the email is about (use ``transaction.on_commit``). The key makes
sending idempotent: a task that runs twice sends one email.
"""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django_tasks import task

from .models import SentEmail


@task()
def send_email(*, key: str, to: str, subject: str, template: str, context: dict) -> bool:
    body = render_to_string(template, context)
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, to=to, subject=subject)
            send_mail(subject, body, None, [to])
    except IntegrityError:
        return False  # already sent by an earlier run of this task
    return True


def queue_email(*, key: str, to: str, subject: str, template: str, context: dict) -> None:
    """Queue an email once the current transaction commits (so it never speaks of a rolled-back thing)."""
    transaction.on_commit(
        lambda: send_email.enqueue(key=key, to=to, subject=subject, template=template, context=context)
    )
