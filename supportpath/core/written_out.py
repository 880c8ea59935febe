"""Small queries written out in SQL, for a list's hot path: a few columns of a few rows, by a page's ids, where
building the query with the ORM costs far more Python than running it (about 1,700 calls a query against about
200: docs/scale.md). The SQL must be plain, for SQLite and PostgreSQL alike. The rows come as the driver gives
them: dates as dates on both, but times naive on SQLite, which ``aware`` puts right as the ORM would; an
encrypted column is read through its field (``field.from_db_value(value, None, db)``)."""

import datetime as dt
from typing import overload

from django.conf import settings
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone


def database_for(model: type[Model]) -> BaseDatabaseWrapper:
    """The database the ORM would read ``model`` from (the primary, or the replica inside ``reporting()``)."""
    return connections[router.db_for_read(model)]


def rows(db: BaseDatabaseWrapper, sql: str, ids: list[int], *params: str | int) -> list[tuple]:
    """The rows of ``sql`` for ``ids``, which it names as ``{ids}`` in ``IN ({ids})`` (``params`` fill its own
    %s, before the ids)."""
    with db.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), [*params, *ids])
        return cursor.fetchall()


@overload
def aware(db: BaseDatabaseWrapper, value: dt.datetime) -> dt.datetime: ...
@overload
def aware(db: BaseDatabaseWrapper, value: None) -> None: ...
def aware(db: BaseDatabaseWrapper, value: dt.datetime | None) -> dt.datetime | None:
    """A date and time as the ORM gives it: SQLite's rows hold it naive, in the database's time zone."""
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value, db.timezone)
    return value
