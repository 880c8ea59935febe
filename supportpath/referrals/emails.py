"""The one way to email a doctor about their request, case or account: to their account's address, greeted by
name.

Each caller gives the email's key (so it goes once), subject, template and whatever else its template says;
the address and the name always come from the doctor's account, never typed again. A test
(``tests/test_doctor_emails_go_through_email_doctor.py``) keeps every other module from emailing a doctor
itself."""

from typing import Any

from supportpath.accounts.models import DoctorProfile
from supportpath.notifications.tasks import queue_email

from .models import SupportRequest


def email_doctor(
    about: SupportRequest | DoctorProfile,
    *,
    key: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    attachment: tuple[str, int] | None = None,
) -> None:
    """Queue the email in the current transaction (``queue_email``). ``about`` is the request the email is
    about, or the doctor themselves for what concerns their account (dormancy, erasure). ``attachment`` names a
    registered attachment builder and its id (an appointment's calendar invitation), made at sending."""
    doctor = (about.doctor if isinstance(about, SupportRequest) else about).user
    queue_email(
        key=key,
        to=doctor.email,
        subject=subject,
        template=template,
        context={"name": doctor.full_name, **(context or {})},
        attachment=attachment,
    )
