from typing import Any

from django.core.management.base import BaseCommand

from supportpath.insights import facts


class Command(BaseCommand):
    help = "Write the de-identified fact record of every support request afresh from the records as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        done = facts.backfill()
        self.stdout.write(f"Wrote the facts of {done} requests.")
