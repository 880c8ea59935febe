"""``python manage.py demo_code``: the code a demo staff member's authenticator app shows now.

For trying the demo without an authenticator app. The demo app is installed only by the local and test
settings, so this command does not exist in production.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from supportpath.demo.two_step import current_demo_code, grouped_key


class Command(BaseCommand):
    help = "Print the current two-step sign-in code for the demo's staff accounts (changes every 30 seconds)."

    def handle(self, *args, **options) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("The demo's authenticator key must never be used in production.")
        self.stdout.write(current_demo_code())
        self.stderr.write(f"(the code for the demo key {grouped_key()}; it changes every 30 seconds)")
