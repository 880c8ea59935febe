from django.core.management.base import BaseCommand

from supportpath.progress.checks import run_checks


class Command(BaseCommand):
    help = "Remind staff of targets due soon or missed, and tell doctors the new date (safe to run repeatedly)."

    def handle(self, *args, **options):
        handled = run_checks()
        self.stdout.write(f"Stage checks done: {handled} reminder{'s' if handled != 1 else ''} handled.")
