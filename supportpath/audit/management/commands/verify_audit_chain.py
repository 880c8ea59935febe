from django.core.management.base import BaseCommand, CommandError

from supportpath.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Check that the access log has not been changed: walks its hash chain and names the first broken row."

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.intact:
            row = result.broken_at
            raise CommandError(
                f"Audit chain broken at row {row.id} ({row.at:%Y-%m-%d %H:%M:%S}): {result.problem}. "
                f"{result.rows} rows before it are intact."
            )
        self.stdout.write(f"Audit chain intact: {result.rows} rows")
