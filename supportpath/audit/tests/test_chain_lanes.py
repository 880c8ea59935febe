"""The access log is chained in lanes, one per group of doctors, so logging a read of one doctor's record never
waits for a read of another's; every lane stays tamper-evident, and retention's checkpoints keep every lane."""

import datetime as dt
import threading
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from supportpath.audit import log
from supportpath.audit.chain import checkpoint_hash, purge_through, verify_chain
from supportpath.audit.log import GENESIS, LEGACY_LANE, chain_hash, lane_of, record_access
from supportpath.audit.models import AccessRecord
from supportpath.records.models import ChainCheckpoint
from supportpath.testing import factories as f


def read(world, doctor, purpose="a read"):
    return record_access(
        actor=world.case_manager,
        role="case_manager",
        organisation=world.service.name,
        doctor=doctor,
        action="viewed",
        what="Support request",
        obj=world.self_request,
        purpose=purpose,
    )


def doctors_in_two_lanes(world):
    ada, ben = world.doctor.doctor_profile, world.other_doctor.doctor_profile
    assert lane_of(ada.pk) != lane_of(ben.pk)
    return ada, ben


def run_check() -> str:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


@pytest.mark.django_db
def test_each_doctors_reads_chain_in_their_own_lane_and_the_whole_log_verifies(world):
    ada, ben = doctors_in_two_lanes(world)
    a1, b1, a2, b2 = read(world, ada), read(world, ben), read(world, ada), read(world, ben)
    assert (a1.lane, b1.lane) == (lane_of(ada.pk), lane_of(ben.pk))
    assert a1.previous_hash == b1.previous_hash == GENESIS
    assert a2.previous_hash == a1.row_hash and b2.previous_hash == b1.row_hash
    assert run_check().strip() == "Audit chain intact: 4 rows"


@pytest.mark.django_db
@pytest.mark.parametrize("tampering", ["changed", "deleted"])
def test_a_changed_or_deleted_row_is_caught_in_its_own_lane(world, tampering):
    ada, ben = doctors_in_two_lanes(world)
    a1, b1, a2, b2, a3 = (read(world, d) for d in (ada, ben, ada, ben, ada))
    if tampering == "changed":
        tamper("UPDATE audit_accessrecord SET purpose = %s WHERE id = %s", ["nothing to see", b1.id])
        expected = f"broken at row {b1.id} .*changed"
    else:
        tamper("DELETE FROM audit_accessrecord WHERE id = %s", [a2.id])
        expected = f"broken at row {a3.id} .*missing"
    with pytest.raises(CommandError, match=expected):
        run_check()


@pytest.mark.django_db
def test_a_row_moved_into_another_lane_is_caught(world):
    ada, ben = doctors_in_two_lanes(world)
    _, b1, a2 = read(world, ada), read(world, ben), read(world, ada)
    tamper("UPDATE audit_accessrecord SET lane = %s WHERE id = %s", [b1.lane, a2.id])
    with pytest.raises(CommandError, match=f"broken at row {a2.id} .*missing"):
        run_check()


@pytest.mark.django_db
def test_retention_keeps_each_lanes_last_removed_hash_and_new_rows_follow_on(world):
    ada, ben = doctors_in_two_lanes(world)
    with time_machine.travel(timezone.now() - dt.timedelta(days=800)):
        _, b1, a2 = read(world, ada), read(world, ben), read(world, ada)
    checkpoint = purge_through(a2.id)
    assert checkpoint.lane_hashes == {str(a2.lane): a2.row_hash, str(b1.lane): b1.row_hash}
    with time_machine.travel(timezone.now() - dt.timedelta(days=700)):
        b2, a3 = read(world, ben), read(world, ada)
    assert (b2.previous_hash, a3.previous_hash) == (b1.row_hash, a2.row_hash)
    assert verify_chain().intact

    # A second purge carries forward the hash of a lane it removes nothing more from.
    second = purge_through(a3.id)
    assert second.lane_hashes[str(b1.lane)] == b2.row_hash and second.lane_hashes[str(a3.lane)] == a3.row_hash
    b3 = read(world, ben)
    assert b3.previous_hash == b2.row_hash and verify_chain().intact


@pytest.mark.django_db
def test_rows_written_before_lanes_keep_their_one_chain_and_its_checkpoint(world):
    # The log as an earlier version left it: every row in lane 0, one chain across doctors, and a checkpoint
    # with one hash (no lanes) after retention removed the first row.
    ada, ben = doctors_in_two_lanes(world)
    previous = GENESIS
    legacy = []
    for doctor in (ada, ben, ada, ben):
        row = AccessRecord(
            at=timezone.now() - dt.timedelta(days=800),
            actor=world.case_manager,
            actor_name=world.case_manager.full_name,
            actor_role="case_manager",
            actor_organisation=world.service.name,
            doctor=doctor,
            action="viewed",
            what="Support request",
            object_type="referrals.supportrequest",
            object_id=str(world.self_request.pk),
            purpose="before lanes",
            lane=LEGACY_LANE,
            previous_hash=previous,
        )
        row.row_hash = previous = chain_hash(previous, row)
        row.save()
        legacy.append(row)
    tamper("DELETE FROM audit_accessrecord WHERE id = %s", [legacy[0].id])
    before_lanes = ChainCheckpoint(
        created_at=timezone.now(),
        removed_through_id=legacy[0].id,
        last_removed_hash=legacy[0].row_hash,
        rows_removed=1,
        previous_checkpoint_hash=GENESIS,
    )
    before_lanes.checkpoint_hash = checkpoint_hash(GENESIS, before_lanes)
    before_lanes.save()

    new = read(world, ada)
    assert new.lane == lane_of(ada.pk) and new.previous_hash == GENESIS
    assert verify_chain().intact and verify_chain().rows == 4
    checkpoint = purge_through(legacy[2].id)
    assert checkpoint.lane_hashes == {str(LEGACY_LANE): legacy[2].row_hash}
    result = verify_chain()
    assert result.intact and result.rows == 2


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the lanes' locks are PostgreSQL advisory locks; SQLite has one writer at a time")


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_read_of_one_doctor_does_not_wait_for_a_read_of_another(world):
    _postgresql_only()
    ada, ben = doctors_in_two_lanes(world)
    others = (f.DoctorFactory(employer=world.trust) for _ in range(log.LANES + 1))
    same_lane = next(d for d in others if lane_of(d.pk) == lane_of(ada.pk))
    holding, release = threading.Event(), threading.Event()

    def hold_adas_lane():
        try:
            with transaction.atomic():
                read(world, ada, "held open")  # the lane's lock lasts until this transaction ends
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_adas_lane)
    holder.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            assert read(world, ben, "another doctor, at the same moment") is not None
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            read(world, same_lane, "a doctor in the same lane waits its turn")
    finally:
        release.set()
        holder.join()
    assert verify_chain().intact
