"""Task rows written before emails kept their message in their own row held each email's whole context in
the task's arguments, in plain text for as long as the task row is kept (30 days), including links that are
credentials: finishing an account, resetting a password, accepting an invitation. This moves the message of a
waiting email into its (encrypted) email row, leaves every send_email task holding only the email's id and
key, and replaces a password-reset token inside a key by its hash."""

import hashlib
import re

from django.conf import settings
from django.db import migrations

SEND_EMAIL = "supportpath.notifications.tasks.send_email"
RESET_KEY = re.compile(r"^(password-reset:\d+:)(.+)$")
UNFINISHED = ("READY", "RUNNING")


def safe_key(key: str) -> str:
    match = RESET_KEY.match(key or "")
    if match and len(match[2]) != 32:  # a token, not already a 32-character hash
        return match[1] + hashlib.sha256(match[2].encode()).hexdigest()[:32]
    return key or ""


def message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "supportpath.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def clean(apps, schema_editor=None) -> int:
    """Clean every task row and email row of an earlier form; returns how many task rows changed."""
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    SentEmail = apps.get_model("notifications", "SentEmail")
    for email in SentEmail.objects.filter(key__startswith="password-reset:"):
        new = safe_key(email.key)
        if new != email.key:
            SentEmail.objects.filter(pk=email.pk).update(key=new)
    changed = 0
    for row in DBTaskResult.objects.filter(task_path=SEND_EMAIL).iterator():
        kwargs = (row.args_kwargs or {}).get("kwargs") or {}
        if "context" not in kwargs and "to" not in kwargs:
            continue  # already of the new form
        key = safe_key(kwargs.get("key", ""))
        email = SentEmail.objects.filter(key=key).first() if key else None
        if row.status in UNFINISHED:
            if email is None:
                email = SentEmail.objects.create(
                    key=key or f"earlier-task:{row.pk}",
                    to=kwargs.get("to", ""),
                    subject=kwargs.get("subject", "")[:200],
                    template=kwargs.get("template", ""),
                    context=kwargs.get("context") or {},
                    status="queued",
                    message_id=message_id(key),
                )
            elif email.status not in ("sent", "failed") and not email.template:
                email.template, email.context = kwargs.get("template", ""), kwargs.get("context") or {}
                email.save(update_fields=["template", "context"])
        new_kwargs = {"key": key}
        if email is not None:
            new_kwargs["email_id"] = email.pk
        elif row.status in UNFINISHED:
            continue
        DBTaskResult.objects.filter(pk=row.pk).update(args_kwargs={"args": [], "kwargs": new_kwargs})
        changed += 1
    return changed


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_queue_outbox_and_heartbeats"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
