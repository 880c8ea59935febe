from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from supportpath.core.dates import long_datetime
from supportpath.notifications.schedule import schedule_all


class Command(BaseCommand):
    help = (
        "Queue the next run of each daily job in settings.DAILY_JOBS (the stage checks, ...) for the background "
        "worker. Run it at every start-up or deploy; safe to run again: a job already queued is left as it is."
    )

    def handle(self, *args, **options):
        try:
            runs = schedule_all()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        for run in runs:
            self.stdout.write(f"{run.job}: next run {long_datetime(run.run_at)} ({timezone.localtime(run.run_at):%Z})")
        if not runs:
            self.stdout.write("No daily jobs are configured (settings.DAILY_JOBS).")
