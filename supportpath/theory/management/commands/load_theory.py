"""Load the CMOCs the 2026 paper cites into a support service's programme theory (those it does not hold yet)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from supportpath.accounts.models import SUPPORT_SERVICE_KINDS, Organisation
from supportpath.theory import registry


class Command(BaseCommand):
    help = "Load the paper's CMOCs into every support service's theory, or one service's (--service NAME)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--service", help="The support service's name (all support services if left out)")

    def handle(self, *args: Any, service: str | None = None, **options: Any) -> None:
        services = Organisation.objects.filter(kind__in=SUPPORT_SERVICE_KINDS)
        if service:
            services = services.filter(name=service)
            if not services.exists():
                raise CommandError(f"No support service called {service!r}")
        for each in services:
            added = registry.ship_paper(each, by=None)
            self.stdout.write(f"{each.name}: {added} CMOCs added")
