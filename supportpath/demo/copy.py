"""Writing many rows of a model at once with PostgreSQL's COPY (psycopg's ``cursor.copy``), for the national-scale
seed (``scale.py``). Rows are given as the model's attribute names; every column not given takes the field's
default (a callable default on a unique field, such as a UUID token, is called for each row; otherwise once),
NULL when the field allows it, or an empty string for text. Values are written as they are stored: an
encrypted field's value must already be ciphertext (``core.encryption.encrypt``)."""

import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

from django.db import models
from django.utils import timezone

FLUSH_AT = 1 << 20  # characters buffered before they are sent
_MISSING = object()


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def text_of(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return _escape(json.dumps(value, sort_keys=True))
    raise TypeError(f"cannot COPY {value!r}")


class Copier:
    """Buffer rows for one model's table and COPY them in large chunks. Use as a context manager."""

    def __init__(self, cursor: Any, model: type[models.Model], on_rows: Callable[[int], object] | None = None) -> None:
        self.cursor = cursor
        self.model = model
        self.on_rows = on_rows  # called with how many rows each flush wrote (a progress bar)
        fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        # Per field: (constant text or None, per-row callable or None).
        self.fill: list[tuple[str | None, Callable[[], object] | None]] = []
        now = timezone.now()
        for field in fields:
            if field.has_default():
                default = field.default
                if callable(default) and (field.unique or default in (uuid.uuid4,)):
                    self.fill.append((None, default))
                else:
                    self.fill.append((text_of(field.get_default()), None))
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.fill.append((text_of(now), None))
            elif field.null:
                self.fill.append(("\\N", None))
            elif isinstance(field, models.CharField | models.TextField):
                self.fill.append(("", None))
            else:
                self.fill.append((None, None))  # must be given
        self.buffer = io.StringIO()
        self.size = 0
        self.pending = 0
        self.count = 0

    def add(self, **values: object) -> None:
        parts = []
        for name, (constant, make) in zip(self.names, self.fill, strict=True):
            value = values.get(name, _MISSING)
            if value is not _MISSING:
                parts.append(text_of(value))
            elif constant is not None:
                parts.append(constant)
            elif make is not None:
                parts.append(text_of(make()))
            else:
                raise KeyError(f"{self.model.__name__}.{name} must be given")
        line = "\t".join(parts) + "\n"
        self.buffer.write(line)
        self.size += len(line)
        self.pending += 1
        if self.size >= FLUSH_AT:
            self.flush()

    def add_line(self, line: str) -> None:
        """A row already in COPY's text format, its columns in ``self.columns``' order, ending in a newline."""
        self.buffer.write(line)
        self.size += len(line)
        self.pending += 1
        if self.size >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        sql = 'COPY "{}" ({}) FROM STDIN'.format(self.model._meta.db_table, ", ".join(f'"{c}"' for c in self.columns))
        with self.cursor.copy(sql) as copy:
            copy.write(self.buffer.getvalue())
        self.count += self.pending
        if self.on_rows:
            self.on_rows(self.pending)
        self.buffer = io.StringIO()
        self.size = 0
        self.pending = 0

    def __enter__(self) -> "Copier":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.flush()
