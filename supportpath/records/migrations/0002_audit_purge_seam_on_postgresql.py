"""On PostgreSQL: one narrow seam through which retention may remove the oldest rows of the access log, and
append-only checkpoints and erasure ledger.

The access log's trigger (audit migration 0002) still refuses every UPDATE, and every DELETE, except a DELETE
made while the transaction-local setting ``supportpath.audit_purge`` is 'on' (``audit.chain.purge_through``
sets it) of a row that a checkpoint already covers and that is more than a year old (the floor of the
``access_log`` retention period, so not even the application's own database role can remove a recent row). A
second, statement-level trigger then checks that no row
at or before the highest removed id is left: only a contiguous run from the start of the chain can go.

TRUNCATE stays with the tables' owner, as before (the test runner empties tables with it).
"""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION audit_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('supportpath.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '1 year'
       AND EXISTS (SELECT 1 FROM records_chaincheckpoint WHERE removed_through_id >= OLD.id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION audit_access_log_purge_is_a_prefix() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM audit_accessrecord WHERE id <= (SELECT max(id) FROM removed_rows)
    ) THEN
        RAISE EXCEPTION 'Only a run of rows from the start of the access log may be removed';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accessrecord_purge_is_a_prefix
AFTER DELETE ON audit_accessrecord
REFERENCING OLD TABLE AS removed_rows
FOR EACH STATEMENT EXECUTE FUNCTION audit_access_log_purge_is_a_prefix();

CREATE FUNCTION records_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER records_chaincheckpoint_append_only
BEFORE UPDATE OR DELETE ON records_chaincheckpoint
FOR EACH ROW EXECUTE FUNCTION records_is_append_only();

CREATE TRIGGER records_erasureledgerentry_append_only
BEFORE UPDATE OR DELETE ON records_erasureledgerentry
FOR EACH ROW EXECUTE FUNCTION records_is_append_only();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS records_erasureledgerentry_append_only ON records_erasureledgerentry;
DROP TRIGGER IF EXISTS records_chaincheckpoint_append_only ON records_chaincheckpoint;
DROP FUNCTION IF EXISTS records_is_append_only();
DROP TRIGGER IF EXISTS audit_accessrecord_purge_is_a_prefix ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_access_log_purge_is_a_prefix();

CREATE OR REPLACE FUNCTION audit_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("audit", "0002_refuse_update_and_delete_on_postgresql"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
