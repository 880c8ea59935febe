"""Pinned query counts: the exact number a page takes, on the database the tests run on.

PostgreSQL takes a query or two more than SQLite where the access log's chain is written (its advisory lock);
everywhere else the two are the same, and ``postgresql`` is left out.
"""

from django.db import connection


def pinned(sqlite: int, postgresql: int | None = None) -> int:
    """The exact count on this test database: ``postgresql`` on PostgreSQL if given, else ``sqlite``."""
    if connection.vendor == "postgresql" and postgresql is not None:
        return postgresql
    return sqlite
