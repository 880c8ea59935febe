"""On PostgreSQL the database itself refuses UPDATE and DELETE on the access log.

TRUNCATE is left to the table's owner (the test runner empties tables with it between browser tests); the
production application role should not own the table. On SQLite the application's append-only use and the
hash chain (verify_audit_chain) stand alone.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accessrecord_append_only
BEFORE UPDATE OR DELETE ON audit_accessrecord
FOR EACH ROW EXECUTE FUNCTION audit_access_log_is_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accessrecord_append_only ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_access_log_is_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
