from django.core.management.base import BaseCommand, CommandError

from supportpath.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Check that the access log has not been changed: walks its hash chain and names the first broken row."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.broken_checkpoint is not None:
            checkpoint = result.broken_checkpoint
            raise CommandError(
                f"Audit chain broken at checkpoint {checkpoint.id} (after row {checkpoint.removed_through_id}): "
                f"{result.problem}."
            )
        if not result.intact:
            row = result.broken_at
            raise CommandError(
                f"Audit chain broken at row {row.id} ({row.at:%Y-%m-%d %H:%M:%S}): {result.problem}. "
                f"{result.rows} rows before it are intact."
            )
        since = ""
        if result.checkpoint is not None:
            since = (
                f", starting after row {result.checkpoint.removed_through_id} "
                f"(older rows removed by retention on {result.checkpoint.created_at:%Y-%m-%d})"
            )
        self.stdout.write(f"Audit chain intact: {result.rows} rows{since}")
