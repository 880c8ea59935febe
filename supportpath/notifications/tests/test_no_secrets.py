"""No credential sits in the task table: links to finish an account, reset a password or accept an invitation
are in the emails (and, until sent, in the email's encrypted row), never in a task's arguments or results;
and the data migration cleans task rows written before."""

import importlib
import json
import re
import uuid

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from supportpath.notifications.models import EmailStatus, SentEmail
from supportpath.notifications.tasks import queue_email
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db

SEND_EMAIL = "supportpath.notifications.tasks.send_email"
DETAILS = {
    "route": "supervisor",
    "reasons": ["examinations"],
    "description": "Since March, Dr Example has seemed anxious before exams.",
    "discussed": "We talked on 3 November and she agreed a referral could help.",
    "mandated": "no",
    "urgent": "no",
}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def secrets_in(body: str) -> list[str]:
    """Every link in an email, and the token at the end of each."""
    links = re.findall(r"https?://\S+", body)
    tokens = [part for link in links for part in link.rstrip("/").split("/")[-2:] if len(part) >= 16]
    return links + tokens


def stored_task_text() -> str:
    rows = DBTaskResult.objects.values_list("args_kwargs", "return_value", "traceback", "exception_class_path")
    return json.dumps([list(row) for row in rows])


def test_no_link_or_token_in_any_task_argument_or_result(client, world, db_tasks, run_worker):
    # A new doctor asks for an account; someone forgets their password; a referrer invites a new doctor.
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
    client.post(reverse("accounts:password_reset"), {"email": world.doctor.email})
    login_as(client, world.referrer)
    doctor = {"gmc_number": "7999999", "full_name": "Dr New Starter", "email": "new.starter@example.test"}
    assert client.post(reverse("referrals:referral_doctor"), doctor).status_code == 302
    client.post(reverse("referrals:referral_details"), DETAILS)
    client.post(reverse("referrals:referral_check"), {"token": client.session["referral"]["token"]})
    assert DBTaskResult.objects.exists(), "the work was queued for the worker"
    run_worker()

    subjects = {m.subject for m in mail.outbox}
    assert "Finish setting up your supportpath account" in subjects
    assert "Reset your supportpath password" in subjects
    assert "Someone has referred you for professional support" in subjects
    secrets = [s for m in mail.outbox for s in secrets_in(m.body) if "/account/create/finish/" in s or
               "/reset-password/" in s or "/invitation/" in s or "/" not in s]  # fmt: skip
    assert len(secrets) >= 6, secrets
    stored = stored_task_text()
    assert DBTaskResult.objects.filter(task_path=SEND_EMAIL).count() >= 3
    for secret in secrets:
        assert secret not in stored, f"{secret} is stored in a task"
    # Nor in the emails' own rows once sent (the message is emptied; keys name a reset token by its hash).
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, context FROM notifications_sentemail")
        raw = json.dumps(cursor.fetchall())
    assert all(secret not in raw for secret in secrets)
    assert not SentEmail.objects.exclude(status=EmailStatus.SENT).exists()


def test_while_it_waits_the_message_is_kept_encrypted(db_tasks):
    queue_email(
        key="reset-like:1",
        to="a@example.test",
        subject="Reset",
        template="progress/email/review.txt",
        context={"name": "A", "reference": "SP-1", "site_url": "https://x/account/reset-password/MQ/secret-token/"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT context FROM notifications_sentemail")
        [(raw,)] = cursor.fetchall()
    assert "secret-token" not in raw and "secret-token" not in stored_task_text()
    assert SentEmail.objects.get().context["site_url"].endswith("/secret-token/")


def test_the_migration_cleans_task_rows_written_before(db_tasks, run_worker):
    migration = importlib.import_module("supportpath.notifications.migrations.0005_clean_secrets_from_task_rows")

    def old_task(status, kwargs):
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": kwargs},
            task_path=SEND_EMAIL,
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )

    finish = "https://sp.example/account/create/finish/eyJzZWNyZXQiOjF9:1a2b3c/"
    reset_token = "c3x9k1-0123456789abcdef0123456789abcdef"
    waiting = old_task(
        "READY",
        {
            "key": "registration-link:7",
            "to": "new@example.test",
            "subject": "Finish setting up your supportpath account",
            "template": "accounts/email/registration_link.txt",
            "context": {"name": "Dr New", "link": finish, "hours": 24, "site_url": "x", "help_email": "h"},
        },
    )
    done = old_task(
        "SUCCESSFUL",
        {
            "key": f"password-reset:3:{reset_token}",
            "to": "old@example.test",
            "subject": "Reset",
            "template": "accounts/email/password_reset.txt",
            "context": {"link": f"https://sp.example/account/reset-password/Mw/{reset_token}/"},
        },
    )
    SentEmail.objects.create(key=f"password-reset:3:{reset_token}", to="old@example.test", subject="Reset")
    other = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"pending_id": 4}},
        task_path="supportpath.accounts.registration.process_registration",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )

    assert migration.clean(apps) == 2
    stored = stored_task_text()
    assert finish not in stored and reset_token not in stored and "new@example.test" not in stored
    assert not SentEmail.objects.filter(key__contains=reset_token).exists()
    email = SentEmail.objects.get(key="registration-link:7")
    assert email.status == EmailStatus.QUEUED and email.context["link"] == finish, "the waiting email still goes"
    waiting.refresh_from_db()
    assert waiting.args_kwargs == {"args": [], "kwargs": {"key": "registration-link:7", "email_id": email.pk}}
    done.refresh_from_db()
    assert done.args_kwargs["kwargs"]["key"].startswith("password-reset:3:")
    other.refresh_from_db()
    assert other.args_kwargs == {"args": [], "kwargs": {"pending_id": 4}}
    assert migration.clean(apps) == 0, "safe to run again"

    run_worker()
    assert finish in mail.outbox[-1].body
