"""``python manage.py seed_scale``: add a fictional national installation to the demo, for measuring pages at
national size (DESIGN §8). PostgreSQL only; use a database of its own (it refuses to run twice).

    python manage.py seed_scale                    # about 300,000 doctors: 25 minutes or less
    python manage.py seed_scale --doctors 30000    # a tenth of the country, every ratio kept
"""

import time
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from supportpath.accounts.models import Organisation
from supportpath.demo.people import DEMO_SERVICE_NAME
from supportpath.demo.scale import NationalSeed, Sizes, already_seeded


class Command(BaseCommand):
    help = "Add a fictional national installation (about 300,000 doctors) to the demo. PostgreSQL only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--doctors", type=int, default=300_000, help="how many doctors (default 300,000)")
        parser.add_argument(
            "--access-rows",
            type=int,
            default=None,
            help="access-log rows (default: 100 for every 3 doctors, so 10 million for 300,000)",
        )
        parser.add_argument("--seed", type=int, default=18, help="random seed, for the same data again")

    def handle(self, *args: object, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("The national-scale data is fictional and must never be loaded into production.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it writes with COPY): set DATABASE_URL to a PostgreSQL database of "
                "its own, for example postgres://postgres@127.0.0.1:5432/supportpath_scale."
            )
        if options["doctors"] < 300:
            raise CommandError("Give at least 300 doctors (--doctors 300).")
        if already_seeded():
            raise CommandError("This database already holds the national-scale data; seed a fresh database.")
        started = time.monotonic()
        if not Organisation.objects.filter(name=DEMO_SERVICE_NAME).exists():
            self.stdout.write("Adding the demo first (the benchmark signs in as its people)...")
            call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        sizes = Sizes.for_doctors(options["doctors"], access_rows=options["access_rows"])
        self.stdout.write(
            f"Adding {sizes.doctors:,} doctors, {sizes.requests:,} requests, about {sizes.sessions:,} sessions and "
            f"{sizes.access_rows:,} access-log rows in {sizes.services + 1} services..."
        )
        counts = NationalSeed(sizes, seed=options["seed"], stream=cast(TextIO, self.stderr._out)).run()
        elapsed = time.monotonic() - started
        made = ", ".join(f"{count:,} {what}" for what, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"National-scale data added in {elapsed / 60:.1f} minutes: {made}."))
        self.stdout.write("Sign in as the demo's people (seed_demo prints them); their lists are national-sized.")
