"""The first person of a fresh installation (and any later one, from the command line): their service is made if
it does not exist, and they are emailed a link to set a password and two-step sign-in."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from supportpath.accounts.models import Role
from supportpath.service import services


class Command(BaseCommand):
    help = (
        "Invite someone to a support service by email, making the service if it does not exist: "
        "add_staff EMAIL --organisation NAME --role service_admin"
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="the support service's name")
        parser.add_argument(
            "--role", required=True, choices=[str(r) for r in services.STAFF_ROLES], help="their role there"
        )
        parser.add_argument("--name", default="", help="their full name (shown to colleagues and doctors)")

    def handle(self, *args, email, organisation, role, name, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email} is not an email address") from None
        try:
            invitation, created = services.add_staff(
                email=email, organisation_name=organisation, role=role, full_name=name
            )
        except services.Refused as refusal:
            raise CommandError(str(refusal)) from None
        if created:
            self.stdout.write(f"Made the support service {invitation.organisation.name}.")
        self.stdout.write(
            f"Emailed {invitation.email} a link to join as {Role(role).label.lower()} "
            f"(it works until {invitation.expires_at:%d %B %Y %H:%M} UTC). The email goes when a worker runs "
            "(python manage.py db_worker)."
        )
