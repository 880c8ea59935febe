"""Which database a query goes to: the primary, or (for reports) a read-only replica.

The rule, in one place:

- **Writes always go to the primary** (``default``), whatever the code around them says.
- **Reads go to the primary**, except inside ``reporting()`` (or a view wrapped in ``@reporting_view``), where
  they go to the replica named by ``DATABASE_REPLICA_URL`` when one is set. With no replica set, reporting
  reads go to the primary too, so code written for the replica runs unchanged on one database.
- Even inside ``reporting()``, these stay on the primary: the audit log and everything the request itself
  depends on (sessions, the task queue, sign-in lockouts, second-factor devices, the email outbox), and any
  read made inside a transaction on the primary (so a request that has just written reads what it wrote).

Opting in: a report that only reads, and can live with data a few seconds old (counts, insights, exports,
read-only reporting pages), wraps its reading in ``with reporting():`` or its view in ``@reporting_view``.
Nothing else changes: recording that somebody read a record (``supportpath.audit``) still writes to the
primary. A page that reads something a person has just changed (their own case, a form they just sent) must
not opt in, as the replica may not have it yet.

The replica is a physical (streaming) copy of the primary: Django never migrates it (``allow_migrate``), and in
the test suite it mirrors ``default`` (settings), so tests see one database through both names.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA_DB_ALIAS = "replica"

# Apps whose tables are read from the primary even inside reporting(): the audit log (its chain is extended
# from what the primary holds), and what the request or the worker itself depends on.
PRIMARY_ONLY_APPS = frozenset(
    {"audit", "sessions", "django_tasks_database", "axes", "otp_totp", "otp_static", "notifications", "contenttypes"}
)

_reporting: ContextVar[bool] = ContextVar("supportpath_reporting", default=False)


@contextmanager
def reporting() -> Iterator[None]:
    """Reads inside this block may come from the replica (see the module's rule)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_view(view: Callable) -> Callable:
    """A view whose reads may come from the replica: for read-only reports only."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with reporting():
            return view(*args, **kwargs)

    return wrapped


def in_reporting() -> bool:
    return _reporting.get()


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in settings.DATABASES


class ReplicaRouter:
    """Django's database router for the rule above (``DATABASE_ROUTERS`` in settings)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if not (_reporting.get() and replica_configured()):
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # read what this transaction has written
        return REPLICA_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replica holds the same rows as the primary: an object read from one may point at one from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
