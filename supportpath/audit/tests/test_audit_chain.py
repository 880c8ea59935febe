import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from supportpath.audit.log import record_access
from supportpath.audit.models import AccessRecord


def log_three(world):
    for purpose in ["first", "second", "third"]:
        record_access(
            actor=world.case_manager,
            role="case_manager",
            organisation=world.service.name,
            doctor=world.doctor.doctor_profile,
            action="viewed",
            what="Support request",
            obj=world.self_request,
            purpose=purpose,
        )
    return list(AccessRecord.objects.order_by("id"))


def run_check() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        # An attacker with the database superuser's powers can switch the trigger off; the chain still tells.
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


@pytest.mark.django_db
def test_an_untouched_chain_is_intact(world):
    log_three(world)
    assert run_check().strip() == "Audit chain intact: 3 rows"


@pytest.mark.django_db
def test_a_changed_row_is_named(world):
    rows = log_three(world)
    tamper("UPDATE audit_accessrecord SET purpose = %s WHERE id = %s", ["nothing to see", rows[1].id])
    with pytest.raises(CommandError, match=f"broken at row {rows[1].id} .*changed"):
        run_check()


@pytest.mark.django_db
def test_a_deleted_row_is_found_at_the_row_after_it(world):
    rows = log_three(world)
    tamper("DELETE FROM audit_accessrecord WHERE id = %s", [rows[1].id])
    with pytest.raises(CommandError, match=f"broken at row {rows[2].id} .*missing"):
        run_check()


@pytest.mark.django_db
def test_postgresql_itself_refuses_to_change_or_delete_access_records(world):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only")
    rows = log_three(world)
    for sql in [
        "UPDATE audit_accessrecord SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_accessrecord WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [rows[0].id])
