from django.core.management.base import BaseCommand

from supportpath.progress.checks import run_checks


class Command(BaseCommand):
    help = (
        "Run today's stage checks now: remind staff of targets due soon or missed, and tell doctors honestly when "
        "a target is late. Safe to run again: nobody is told anything twice. The worker runs them daily by itself "
        "(see schedule_daily_jobs)."
    )

    def handle(self, *args, **options):
        made = run_checks()
        self.stdout.write(f"Stage checks done: {made} new notice{'' if made == 1 else 's'}.")
