from django.core.management.base import BaseCommand, CommandError

from supportpath.records.reapply import reapply_all


class Command(BaseCommand):
    help = (
        "After restoring the database from a backup: apply every erasure in the erasure ledger (the table and "
        "the files in ERASURE_LEDGER_DIR) again. Run it before the service opens again. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--match-by-id",
            action="store_true",
            help="for entries made under an earlier LOOKUP_HASH_KEY, trust the doctor profile id alone",
        )

    def handle(self, *args, match_by_id: bool = False, **options):
        report = reapply_all(match_by_id=match_by_id)
        self.stdout.write(
            f"Erasure ledger: {report.entries} entries ({report.restored_to_table} put back into the table from "
            f"the ledger files). {report.applied} found something to erase again: {report.rows_removed} rows "
            f"removed, {report.accounts_closed} accounts closed."
        )
        if report.to_check:
            for line in report.to_check:
                self.stderr.write(line)
            raise CommandError(f"{len(report.to_check)} entries need a person to check them (see above).")
