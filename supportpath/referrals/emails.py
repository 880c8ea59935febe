"""The one way to email a doctor about their request or case: to their account's address, greeted by name.

Each caller gives the email's key (so it goes once), subject, template and whatever else its template says;
the address and the name always come from the request's doctor, never typed again."""

from typing import Any

from supportpath.notifications.tasks import queue_email

from .models import SupportRequest


def email_doctor(
    support_request: SupportRequest,
    *,
    key: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    **extra: Any,
) -> Any:
    doctor = support_request.doctor.user
    return queue_email(
        key=key,
        to=doctor.email,
        subject=subject,
        template=template,
        context={"name": doctor.full_name, **(context or {})},
        **extra,
    )
