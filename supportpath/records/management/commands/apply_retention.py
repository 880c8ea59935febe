from django.core.management.base import BaseCommand, CommandError

from supportpath.records import policy
from supportpath.records.models import RetentionRun
from supportpath.records.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Remove every record past its retention period (docs/retention.md), whole, and record the run. "
        "Safe to run again; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        run = apply_retention(trigger=RetentionRun.Trigger.COMMAND, dry_run=dry_run)
        if run.outcome == RetentionRun.Outcome.SKIPPED:
            raise CommandError("Another retention run is under way; nothing was done.")
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"Retention run {run.pk}{' (dry run)' if dry_run else ''}: records {verb}")
        for record_type in policy.RECORD_TYPES:
            self.stdout.write(
                f"  {record_type.key}: {run.counts.get(record_type.key, 0)} (kept {record_type.period_text.lower()})"
            )
        if run.rows:
            self.stdout.write(f"  rows {verb}, everything in them included: {sum(run.rows.values())}")
        for note in run.notes:
            self.stdout.write(f"  note: {note}")
