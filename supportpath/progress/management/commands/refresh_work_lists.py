from django.core.management.base import BaseCommand

from supportpath.casework.models import Case, Stage
from supportpath.progress import targets, worklist

CHUNK = 500


class Command(BaseCommand):
    help = (
        "Work out again the dates the work lists sort and filter by, for every open case (after the upgrade that "
        "added them, or to check them). Safe to run at any time; the daily stage checks do the same."
    )

    def handle(self, *args, **options):
        ids = list(Case.objects.exclude(stage=Stage.CLOSED).order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), CHUNK):
            cases = list(Case.objects.filter(pk__in=ids[start : start + CHUNK]))
            changed += worklist.store(targets.load(cases, full_reviews=False))
        self.stdout.write(f"Work lists refreshed: {changed} case{'' if changed == 1 else 's'} changed.")
