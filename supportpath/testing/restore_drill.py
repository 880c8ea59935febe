"""The database side of the restore drill (``scripts/restore-drill``; docs/operations.md, "Backup and restore").

Run through ``manage.py shell -c`` against the drill's own database, never a real one:

- ``snapshot(path)`` writes the exact row count of every table the product has;
- ``change(path)`` changes the data after the backup, as a working day would: a doctor's record is erased at
  their request (through the product's own erasure service, which writes the erasure ledger's file outside the
  database), and another doctor asks for support (a new request);
- ``check(backup, changed, restored, path)`` compares, after the restore and ``reapply_erasures``: every table
  holds what the backup held, except that the erasure made after the backup is carried out again (the tables it
  emptied hold what they held after it, and the ledger has its entry back); the request made after the backup
  is gone, as everything since the last backup is.
"""

import json
import uuid
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction

from supportpath.accounts.models import DoctorProfile, Membership, Role
from supportpath.records import erasure
from supportpath.records.models import ErasureLedgerEntry
from supportpath.referrals import services as referral_services
from supportpath.referrals.models import ContactMethod, Reason, SupportRequest


def counts() -> dict[str, int]:
    tables = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608  # nosec B608  # names from the models only
            tables[table] = cursor.fetchone()[0]
    return dict(sorted(tables.items()))


def snapshot(path: str) -> dict[str, int]:
    result = counts()
    Path(path).write_text(json.dumps(result, indent=1))
    print(f"snapshot: {len(result)} tables, {sum(result.values())} rows")
    return result


def change(path: str) -> dict:
    """Erase one doctor's record (a doctor with requests at the first service), and add a new request."""
    admin = Membership.objects.filter(role=Role.SERVICE_ADMIN).select_related("user", "organisation").first()
    if admin is None:
        raise SystemExit("The drill needs the demo's service admin: seed the demo first.")
    service = admin.organisation
    erased = (
        DoctorProfile.objects.filter(support_requests__service=service, erasure_requests__isnull=True)
        .order_by("pk")
        .distinct()
        .first()
    )
    if erased is None:
        raise SystemExit("The drill needs a doctor with a request at the first service: seed the demo first.")
    erased_requests = list(erased.support_requests.values_list("pk", flat=True))
    with transaction.atomic():
        for erasure_request in erasure.ask(erased, note="Restore drill: please erase my record.", token=uuid.uuid4()):
            if erasure_request.service_id == service.pk:
                erasure.carry_out(erasure_request, by=admin.user)
    after_erasure = counts()
    asker = (
        DoctorProfile.objects.exclude(pk=erased.pk)
        .filter(employer__isnull=False, user__is_active=True)
        .order_by("pk")
        .first()
    )
    if asker is None:
        raise SystemExit("The drill needs a second doctor with an employer: seed the demo first.")
    new_request = referral_services.submit_self_referral(
        asker,
        referral_services.services_for(asker)[0],
        referral_services.SelfReferral(
            reasons=[Reason.CAREER],
            other_reason="",
            account="Restore drill: a request made after the backup.",
            contact_method=ContactMethod.EMAIL,
            phone="",
            contact_times="",
            employer_may_be_told=False,
            urgent=False,
            urgency_details="",
            signposted=False,
        ),
        uuid.uuid4(),
    )
    changed = {
        "erased_doctor": erased.pk,
        "erased_requests": erased_requests,
        "new_request": new_request.pk,
        "after_erasure": after_erasure,
    }
    Path(path).write_text(json.dumps(changed, indent=1))
    print(f"change: erased doctor {erased.pk} ({len(erased_requests)} requests), new request {new_request.pk}")
    return changed


def check(backup_path: str, changed_path: str, restored_path: str) -> bool:
    """True when the restored database, after reapply_erasures, holds exactly what it should (printed)."""
    backup = json.loads(Path(backup_path).read_text())
    changed = json.loads(Path(changed_path).read_text())
    restored = json.loads(Path(restored_path).read_text())
    after_erasure = changed["after_erasure"]
    now = counts()
    problems = []
    # The restore itself: every table exactly as backed up.
    for table, n in backup.items():
        if restored.get(table) != n:
            problems.append(f"restore: {table} has {restored.get(table)} rows, the backup {n}")
    # After reapply_erasures: what the erasure removed is removed again, its ledger entry is back; the rest is
    # as backed up (the request made after the backup is not there: a restore goes back to the backup).
    emptied = {t for t, n in backup.items() if after_erasure.get(t, 0) < n}
    ledger = ErasureLedgerEntry._meta.db_table
    differs = 0
    for table, n in backup.items():
        expected = after_erasure[table] if table in emptied or table == ledger else n
        if now.get(table) != expected:
            problems.append(f"after reapply_erasures: {table} has {now.get(table)} rows, expected {expected}")
        differs += now.get(table) != n
    if DoctorProfile.objects.filter(pk=changed["erased_doctor"], support_requests__isnull=False).exists():
        problems.append("the erased doctor's requests are back")
    if SupportRequest.objects.filter(pk__in=changed["erased_requests"]).exists():
        problems.append("an erased request is back")
    if SupportRequest.objects.filter(pk=changed["new_request"]).exists():
        problems.append("the request made after the backup is there: was the backup taken later than thought?")
    for problem in problems:
        print(f"check: {problem}")
    print(
        f"check: {len(backup)} tables, {sum(backup.values())} rows backed up and restored; "
        f"{differs} tables changed by reapply_erasures ({', '.join(sorted(emptied | {ledger}))}); "
        f"{'ok' if not problems else f'{len(problems)} problems'}"
    )
    return not problems
