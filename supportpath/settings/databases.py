"""The DATABASES setting: the primary, and a read-only replica for reports when ``DATABASE_REPLICA_URL`` is set.

Kept as a function of its inputs (no environment read here) so that tests can check it with and without a
replica. ``supportpath/core/db_routing.py`` says which queries go to the replica.
"""

from pathlib import Path
from typing import Any

import dj_database_url

# SQLite (the demo, a developer's machine): several requests write at once (every staff read adds to the access
# log), so take the write lock at the start of each transaction and wait for it, rather than fail with "database
# is locked" half-way through; WAL lets pages keep reading while one request writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def _one(url: str, *, conn_max_age: int, health_checks: bool) -> dict[str, Any]:
    config: dict[str, Any] = dj_database_url.parse(  # type: ignore[assignment]
        url, conn_max_age=conn_max_age, conn_health_checks=health_checks
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    return config


def databases(
    primary_url: str | None,
    replica_url: str | None,
    *,
    default_sqlite: Path,
    conn_max_age: int,
    health_checks: bool,
) -> dict:
    """``default`` (the primary: every write, and every read outside reports), and ``replica`` when a replica
    URL is given. Persistent connections: each app-server thread keeps its connection ``conn_max_age`` seconds
    (0: one per request; None: for ever), checked before reuse when ``health_checks`` is on, so a connection
    broken by a database restart is replaced instead of failing the next request."""
    result = {
        "default": _one(
            primary_url or f"sqlite:///{default_sqlite}", conn_max_age=conn_max_age, health_checks=health_checks
        )
    }
    if replica_url:
        replica = _one(replica_url, conn_max_age=conn_max_age, health_checks=health_checks)
        # In the test suite the replica is the primary under another name (one test database).
        replica["TEST"] = {"MIRROR": "default"}
        result["replica"] = replica
    return result
