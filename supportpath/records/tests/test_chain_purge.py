"""The access log stays verifiable after retention removes its oldest rows, and stays append-only otherwise."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from supportpath.audit.chain import ChainBroken, purge_through, verify_chain
from supportpath.audit.log import GENESIS
from supportpath.audit.models import AccessRecord
from supportpath.records.models import ChainCheckpoint

from .conftest import log_access


def log_rows(world, n: int, *, years_ago: int = 2) -> list[AccessRecord]:
    # Old enough to be removed: on PostgreSQL the database refuses to remove a row less than a year old.
    with time_machine.travel(timezone.now() - dt.timedelta(days=365 * years_ago)):
        for i in range(n):
            log_access(
                actor=world.case_manager, doctor=world.doctor.doctor_profile, obj=world.self_request, purpose=f"{i}"
            )
    return list(AccessRecord.objects.order_by("id"))


def run_check() -> str:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        # With the database superuser's powers the triggers can be switched off; the chain still tells.
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


@pytest.mark.django_db
def test_the_chain_verifies_from_the_checkpoint_after_its_oldest_rows_are_removed(world):
    rows = log_rows(world, 5)
    checkpoint = purge_through(rows[1].id)
    assert checkpoint.removed_through_id == rows[1].id
    assert checkpoint.last_removed_hash == rows[1].row_hash
    assert checkpoint.rows_removed == 2
    assert list(AccessRecord.objects.order_by("id").values_list("id", flat=True)) == [r.id for r in rows[2:]]
    result = verify_chain()
    assert result.intact and result.rows == 3
    assert "Audit chain intact: 3 rows, starting after row" in run_check()


@pytest.mark.django_db
def test_new_rows_follow_on_after_a_purge_even_when_every_row_was_removed(world):
    rows = log_rows(world, 2)
    purge_through(rows[-1].id)
    assert not AccessRecord.objects.exists()
    [new] = log_rows(world, 1)
    assert new.previous_hash == rows[-1].row_hash != GENESIS
    assert verify_chain().intact


@pytest.mark.django_db
def test_purging_twice_chains_the_checkpoints(world):
    rows = log_rows(world, 6)
    first = purge_through(rows[1].id)
    second = purge_through(rows[3].id)
    assert second.previous_checkpoint_hash == first.checkpoint_hash
    assert verify_chain().rows == 2
    assert purge_through(rows[3].id) is None  # nothing left up to there: safe to run again


@pytest.mark.django_db
def test_a_changed_row_after_the_checkpoint_is_still_caught(world):
    rows = log_rows(world, 5)
    purge_through(rows[1].id)
    tamper("UPDATE audit_accessrecord SET purpose = %s WHERE id = %s", ["nothing to see", rows[3].id])
    with pytest.raises(CommandError, match=f"broken at row {rows[3].id} .*changed"):
        run_check()


@pytest.mark.django_db
def test_a_deleted_row_after_the_checkpoint_is_still_caught(world):
    rows = log_rows(world, 5)
    purge_through(rows[1].id)
    tamper("DELETE FROM audit_accessrecord WHERE id = %s", [rows[3].id])
    with pytest.raises(CommandError, match=f"broken at row {rows[4].id} .*missing"):
        run_check()


@pytest.mark.django_db
def test_deleting_the_first_row_left_after_a_purge_is_caught(world):
    rows = log_rows(world, 4)
    purge_through(rows[1].id)
    tamper("DELETE FROM audit_accessrecord WHERE id = %s", [rows[2].id])
    with pytest.raises(CommandError, match=f"broken at row {rows[3].id} .*missing"):
        run_check()


@pytest.mark.django_db
def test_a_row_older_than_the_checkpoint_put_back_is_caught(world):
    rows = log_rows(world, 4)
    purge_through(rows[1].id)
    old = rows[0]
    tamper(
        "INSERT INTO audit_accessrecord (id, at, actor_id, actor_name, actor_role, actor_organisation, doctor_id, "
        "action, what, object_type, object_id, purpose, previous_hash, row_hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            old.id,
            old.at,
            old.actor_id,
            old.actor_name,
            old.actor_role,
            old.actor_organisation,
            old.doctor_id,
            old.action,
            old.what,
            old.object_type,
            old.object_id,
            old.purpose,
            old.previous_hash,
            old.row_hash,
        ],
    )
    with pytest.raises(CommandError, match=f"broken at row {old.id} .*removed with the rows before"):
        run_check()


@pytest.mark.django_db
def test_a_changed_or_removed_checkpoint_is_caught(world):
    rows = log_rows(world, 6)
    purge_through(rows[1].id)
    second = purge_through(rows[3].id)
    tamper("UPDATE records_chaincheckpoint SET rows_removed = 1 WHERE id = %s", [second.id])
    with pytest.raises(CommandError, match=f"checkpoint {second.id} .*changed"):
        run_check()


@pytest.mark.django_db
def test_removing_the_latest_checkpoint_to_hide_a_purge_is_caught(world):
    rows = log_rows(world, 6)
    purge_through(rows[1].id)
    second = purge_through(rows[3].id)
    tamper("DELETE FROM records_chaincheckpoint WHERE id = %s", [second.id])
    with pytest.raises(CommandError, match=f"broken at row {rows[4].id} .*missing"):
        run_check()


@pytest.mark.django_db
def test_a_broken_chain_is_not_purged_so_the_damage_stays_visible(world):
    rows = log_rows(world, 4)
    tamper("UPDATE audit_accessrecord SET purpose = %s WHERE id = %s", ["changed", rows[0].id])
    with pytest.raises(ChainBroken):
        purge_through(rows[2].id)
    assert AccessRecord.objects.count() == 4
    assert not ChainCheckpoint.objects.exists()


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("The database refuses changes to the access log on PostgreSQL only")


@pytest.mark.django_db
def test_postgresql_still_refuses_a_plain_delete_and_every_update(world):
    _postgresql_only()
    rows = log_rows(world, 3)
    for sql in [
        "DELETE FROM audit_accessrecord WHERE id = %s",
        "UPDATE audit_accessrecord SET purpose = 'x' WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [rows[0].id])
    # Even inside the purge's seam, an UPDATE is refused.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('supportpath.audit_purge', 'on', true)")
        cursor.execute("UPDATE audit_accessrecord SET purpose = 'x' WHERE id = %s", [rows[0].id])


@pytest.mark.django_db
def test_postgresql_refuses_a_delete_with_the_setting_but_no_checkpoint(world):
    _postgresql_only()
    rows = log_rows(world, 3)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('supportpath.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM audit_accessrecord WHERE id = %s", [rows[0].id])


@pytest.mark.django_db
def test_postgresql_refuses_to_remove_a_row_less_than_a_year_old_even_through_the_seam(world):
    _postgresql_only()
    rows = log_rows(world, 2, years_ago=0)
    with pytest.raises(DatabaseError, match="append-only"):
        purge_through(rows[0].id)
    assert AccessRecord.objects.count() == 2


@pytest.mark.django_db
def test_postgresql_refuses_to_remove_rows_from_the_middle_even_under_a_checkpoint(world):
    _postgresql_only()
    rows = log_rows(world, 4)
    purge_through(rows[0].id)
    with transaction.atomic(), connection.cursor() as cursor:
        # A checkpoint that covers row 3 exists once the later purge writes one; pretend one does.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "INSERT INTO records_chaincheckpoint (created_at, removed_through_id, last_removed_hash, rows_removed, "
            "previous_checkpoint_hash, checkpoint_hash, lane_hashes) VALUES (now(), %s, 'x', 1, 'x', 'y', '{}')",
            [rows[2].id],
        )
        cursor.execute("SET session_replication_role = origin")
    refused = pytest.raises(DatabaseError, match="start of the access log")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('supportpath.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM audit_accessrecord WHERE id = %s", [rows[2].id])


@pytest.mark.django_db
def test_postgresql_refuses_to_change_or_delete_checkpoints_and_ledger_entries(world):
    _postgresql_only()
    rows = log_rows(world, 2)
    checkpoint = purge_through(rows[0].id)
    for sql in [
        "UPDATE records_chaincheckpoint SET rows_removed = 9 WHERE id = %s",
        "DELETE FROM records_chaincheckpoint WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [checkpoint.id])


@pytest.mark.django_db
def test_the_purge_setting_is_off_again_after_the_purge(world):
    _postgresql_only()
    rows = log_rows(world, 3)
    with transaction.atomic():
        purge_through(rows[0].id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('supportpath.audit_purge', true)")
            assert cursor.fetchone()[0] == "off"
