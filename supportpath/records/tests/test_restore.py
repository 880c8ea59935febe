"""A real restore: copy every table's rows (as a database backup holds them: ciphertext, ids and all), erase,
put the copy back over the database, run ``reapply_erasures``, and the erased records are gone again while
every other row is exactly as it was."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from supportpath.accounts.models import DoctorProfile, Role
from supportpath.audit.chain import verify_chain
from supportpath.audit.models import AccessRecord
from supportpath.records import erasure
from supportpath.records.models import ErasureLedgerEntry
from supportpath.referrals.models import SupportRequest
from supportpath.testing import factories as f

from .conftest import equality_for, full_case, log_access

pytestmark = pytest.mark.django_db(transaction=True)


def tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def backup() -> dict[str, tuple[list[str], set[tuple]]]:
    copy = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            copy[table] = ([c[0] for c in cursor.description], {tuple(row) for row in cursor.fetchall()})
    return copy


def restore(copy) -> None:
    """Empty every table and load the copy back, as restoring a backup over the live database does."""
    from django.apps import apps

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in copy.items():
            if not rows:
                continue
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})", list(rows))
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


def test_reapplying_the_ledger_after_a_restore_erases_the_records_again_and_touches_nothing_else(world):
    admin = f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN).user
    profile = world.doctor.doctor_profile
    gmc = profile.gmc_number
    full_case(doctor=profile, service=world.service, case_manager=world.case_manager, facilitator=world.facilitator)
    equality_for(profile)
    other = full_case(
        doctor=world.other_doctor.doctor_profile,
        service=world.service,
        case_manager=world.case_manager,
        facilitator=world.facilitator,
    )
    log_access(actor=world.case_manager, doctor=profile, obj=world.self_request)
    log_access(actor=world.case_manager, doctor=world.other_doctor.doctor_profile, obj=other.request)
    [request] = erasure.ask(profile, note="", token=uuid.uuid4())
    erased_ids = set(profile.support_requests.values_list("pk", flat=True))

    before_erasure = backup()  # last night's backup

    erasure.carry_out(request, by=admin)  # autocommit: the ledger file is written on commit
    assert not SupportRequest.objects.filter(pk__in=erased_ids).exists()

    restore(before_erasure)  # the database is restored from last night's backup
    assert SupportRequest.objects.filter(pk__in=erased_ids).count() == len(erased_ids)
    assert DoctorProfile.objects.with_gmc_number(gmc).exists()
    assert not ErasureLedgerEntry.objects.exists()  # the table knows nothing of today's erasure

    out = StringIO()
    call_command("reapply_erasures", stdout=out)
    assert "1 entries (1 put back into the table" in out.getvalue()
    assert "1 found something to erase again" in out.getvalue() and "1 accounts closed" in out.getvalue()

    assert not SupportRequest.objects.filter(pk__in=erased_ids).exists()
    assert not DoctorProfile.objects.with_gmc_number(gmc).exists()
    tombstone = DoctorProfile.objects.select_related("user").get(pk=profile.pk)
    assert tombstone.user.full_name == "" and not tombstone.user.is_active
    assert ErasureLedgerEntry.objects.count() == 1
    assert verify_chain().intact
    assert AccessRecord.objects.filter(doctor_id=profile.pk).exists()  # the access log is kept

    # Everything else is exactly as the backup had it: only the erased doctor's tables changed.
    after = backup()
    changed = {table for table in tables() if after[table][1] != before_erasure[table][1]}
    doctors_tables = {
        "accounts_doctorprofile",
        "accounts_user",
        "accounts_equalitymonitoring",
        "accounts_membership",
        "records_erasurerequest",
        "records_erasureledgerentry",
        "referrals_supportrequest",
        "referrals_supportrequestreason",
        "referrals_doctorcomment",
        "referrals_referralinvitation",
        "referrals_resend",
        "emergency_access_emergencyaccess",
        "casework_case",
        "pathway_initialconversation",
        "pathway_needsassessment",
        "pathway_supportsession",
        "plans_supportplan",
        "plans_planversion",
        "facilitation_matchingpreferences",
        "facilitation_allocation",
        "progress_review",
        "progress_milestonedone",
        "progress_reviseddate",
        "progress_reassessment",
        "otp_totp_totpdevice",
        "insights_factlink",  # the tie to the de-identified fact goes with the request; the fact stays
    }
    assert changed <= doctors_tables, changed - doctors_tables
    for table in changed - {"records_erasureledgerentry"}:
        # Rows only went (or, for the two account rows, were anonymised): none was added.
        assert len(after[table][1]) <= len(before_erasure[table][1]), table
    assert SupportRequest.objects.filter(pk=other.request_id, doctor=world.other_doctor.doctor_profile).exists()

    # Safe to run again.
    again = StringIO()
    call_command("reapply_erasures", stdout=again)
    assert "0 found something to erase again" in again.getvalue()
    assert backup() == after


def test_an_entry_made_under_an_earlier_lookup_key_is_left_for_a_person_to_check(world, settings):
    from django.core.management import CommandError

    admin = f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN).user
    [request] = erasure.ask(world.doctor.doctor_profile, note="", token=uuid.uuid4())
    copy = backup()
    erasure.carry_out(request, by=admin)
    restore(copy)
    settings.LOOKUP_HASH_KEY = "a-new-key-since-then"
    with pytest.raises(CommandError, match="1 entries need a person to check"):
        call_command("reapply_erasures", stdout=StringIO(), stderr=StringIO())
    assert SupportRequest.objects.filter(doctor=world.doctor.doctor_profile).exists()
    call_command("reapply_erasures", "--match-by-id", stdout=StringIO())
    assert not SupportRequest.objects.filter(doctor_id=world.doctor.doctor_profile.pk).exists()
