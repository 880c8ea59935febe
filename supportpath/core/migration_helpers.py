"""Helpers for data migrations that start encrypting a column which held plain values."""

import json

from django.db.migrations import RunPython


def encrypt_column(table: str, column: str, *, as_json: bool = False) -> RunPython:
    """A migration step that encrypts every plain value left in ``table.column``; values already encrypted
    are left alone, so it is safe to run on a half-migrated table. Raw SQL, because the model's field would
    try to decrypt the plain values it reads."""

    def forwards(apps, schema_editor):
        from supportpath.core.encryption import PREFIX, encrypt

        connection = schema_editor.connection
        quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {quoted_column} FROM {quoted_table}")  # noqa: S608  # nosec B608  # names from the migration
            for pk, value in cursor.fetchall():
                if value is None or value == "" or str(value).startswith(PREFIX):
                    continue
                plain = json.dumps(json.loads(value), sort_keys=True) if as_json else value
                cursor.execute(
                    f"UPDATE {quoted_table} SET {quoted_column} = %s WHERE id = %s",  # noqa: S608  # nosec B608  # as above
                    [encrypt(plain), pk],
                )

    return RunPython(forwards, RunPython.noop)
