"""Settings of the real worker processes the fault tests start (``test_worker_faults.py``): the test settings,
with the database queue, the test's own PostgreSQL database, a mail server that writes to a file (and can be
held, so that a worker can be killed mid-send), and a quick heartbeat."""

import os

from supportpath.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES["default"]["NAME"] = os.environ["SP_WORKER_DB_NAME"]  # noqa: F405
DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "sp-test-worker"  # noqa: F405
EMAIL_BACKEND = "supportpath.notifications.tests.outbox.FileOutbox"
SP_OUTBOX = os.environ["SP_OUTBOX"]
DAILY_JOBS = {"tick": ("supportpath.notifications.tests.outbox.tick", "07:00")}
TASK_WORKER_HEARTBEAT_SECONDS = 0.3
TASK_WORKER_LOST_AFTER_SECONDS = 1.5
# Connections kept open between tasks (as DATABASE_CONN_MAX_AGE does in production), so that a connection the
# database drops is found broken by the worker's next query: the fault that used to end the worker.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
