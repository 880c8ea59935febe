"""``python manage.py seed_demo``: fill the database with the fictional demo and print who to sign in as.

Safe to run again: it adds only what is missing. The demo app is installed only by the local and test
settings, so this command does not exist in production.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from supportpath.demo.builders import build_demo, sign_ins
from supportpath.demo.invitations import invitation_path
from supportpath.demo.people import DEMO_PASSWORD
from supportpath.demo.two_step import grouped_key


class Command(BaseCommand):
    help = "Fill the database with the fictional demo (safe to run again) and print the demo sign-ins."

    def handle(self, *args, **options) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("The demo data is fictional and must never be loaded into production.")

        demo = build_demo()
        made = ", ".join(f"{count} {what}" for what, count in demo.created.items() if count)
        if made:
            self.stdout.write(f"Demo data added: {made}.")
        else:
            self.stdout.write("The demo data was already there; nothing new was added.")

        rows = sign_ins(demo)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Demo sign-ins — every person and organisation is fictional.")
            + f" Password for all: {DEMO_PASSWORD}"
        )
        self.stdout.write("After each sign-in: where that person is, or what to find and try first.")
        email_width = max(len(row.email) for row in rows)
        role_width = max(len(row.role) for row in rows)
        for row in rows:
            line = f"  {row.email:<{email_width}}  {row.role:<{role_width}}  {row.organisation}"
            if row.note:
                line += f" — {row.note}"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Staff also need a code after the password (two-step sign-in). Add this key to any authenticator app "
            f"as a time-based key: {grouped_key()}"
        )
        self.stdout.write("  or print the code it shows now with: python manage.py demo_code")
        self.stdout.write("")
        self.stdout.write(
            "A referred doctor who has not created their account yet follows this invitation link (it works for "
            f"{settings.REFERRAL_INVITATION_DAYS} days from the referral; a case manager can send a new one): "
            f"{settings.SITE_URL}{invitation_path()}"
        )
