from unittest import mock

import pytest
from django.core.management import call_command


@pytest.fixture
def run_worker():
    """What a worker does, once: run every queued task whose time has come, then stop (``worker --batch``).

    The worker closes stale database connections between tasks, and drops them after a database error;
    inside a test's transaction that would close the test's own connection on PostgreSQL, so those calls are
    left out here."""

    def run() -> None:
        with (
            mock.patch("supportpath.notifications.worker.close_old_connections"),
            mock.patch("supportpath.notifications.worker.drop_connections"),
        ):
            call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run
