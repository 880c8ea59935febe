"""Small queries written out in SQL, for a list's hot path: a few columns of a few rows, by a page's ids, where
building the query with the ORM costs far more Python than running it (about 1,700 calls a query against about
200: docs/scale.md). The SQL must be plain, for SQLite and PostgreSQL alike. The rows come as the driver gives
them: dates as dates on both, but times naive on SQLite, which ``aware`` puts right as the ORM would; an
encrypted column is read through its field (``field.from_db_value(value, None, db)``).

``records`` reads whole records of one table the same way, for a page's small queries (the case page's reviews,
appointments, earlier versions...): only the WHERE and ORDER BY are written out; the columns, and the converters
each value goes through, are the model's own, worked out once, so each record is the one the ORM would build."""

import datetime as dt
from typing import Any, NamedTuple, TypeVar, overload

from django.conf import settings
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone

M = TypeVar("M", bound=Model)


def database_for(model: type[Model]) -> BaseDatabaseWrapper:
    """The database the ORM would read ``model`` from (the primary, or the replica inside ``reporting()``)."""
    return connections[router.db_for_read(model)]


def rows(db: BaseDatabaseWrapper, sql: str, ids: list[int], *params: Any) -> list[tuple]:
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


class _Reading(NamedTuple):
    select: str  # SELECT <every column read> FROM <table>
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple], ...]  # (position, ((converter, column), ...)) for columns that have any


_readings: dict[tuple[type[Model], str, tuple[str, ...]], _Reading] = {}


def _reading(model: type[Model], db: BaseDatabaseWrapper, leave_out: tuple[str, ...]) -> _Reading:
    """How to read ``model``'s rows on ``db``: its columns, and the converters the ORM would run on each (the
    backend's, then the field's: decryption, JSON, SQLite's times and booleans), worked out once."""
    key = (model, db.alias, leave_out)
    if key not in _readings:
        table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if f.attname not in leave_out]
        converters = []
        for position, field in enumerate(fields):
            column = field.get_col(table)
            found = [*db.ops.get_db_converters(column), *column.get_db_converters(db)]
            if found:
                converters.append((position, tuple((converter, column) for converter in found)))
        quote = db.ops.quote_name
        columns = ", ".join(f"{quote(table)}.{quote(str(f.column))}" for f in fields)
        # The names come from the model's own metadata, never from input.
        select = "SELECT " + columns + " FROM " + quote(table)  # noqa: S608 # nosec B608
        _readings[key] = _Reading(
            select,
            tuple(f.attname for f in fields),
            tuple(converters),
        )
    return _readings[key]


def records(
    model: type[M], where: str, ids: list[int], *params: Any, order_by: str = "", leave_out: tuple[str, ...] = ()
) -> list[M]:
    """The rows of ``model``'s table that ``where`` picks by ``ids`` (written as ``rows``'s are, with ``{ids}``),
    ordered by ``order_by`` (SQL), as the ORM would give them: every column but ``leave_out`` (left deferred, as
    ``.defer()`` leaves them), each value converted as its field converts it (decrypted, JSON, SQLite's times),
    each record built by ``Model.from_db``. For a page's hot path, where the ORM's building of a query costs far
    more Python than running it."""
    db = database_for(model)
    reading = _reading(model, db, leave_out)
    sql = f"{reading.select} WHERE {where}" + (f" ORDER BY {order_by}" if order_by else "")
    found = []
    for row in rows(db, sql, ids, *params):
        values = list(row)
        for position, converters in reading.converters:
            value = values[position]
            for converter, column in converters:
                value = converter(value, column, db)
            values[position] = value
        found.append(model.from_db(db.alias, reading.attnames, values))
    return found
