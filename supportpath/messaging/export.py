"""Messages in "Download my data": every message of every thread, the doctor's and their team's."""

from supportpath.accounts.models import DoctorProfile

from .models import Message
from .presenters import ROLE_NAMES


def messages(doctor: DoctorProfile) -> list[dict]:
    return [
        {
            "request": m.request.reference,
            "from": "You" if m.author_id == doctor.user_id else m.author.display_name,
            "their_role": ROLE_NAMES.get(m.author_role, ""),
            "sent": m.sent_at,
            "message": m.text,
        }
        for m in Message.objects.filter(request__doctor=doctor)
        .select_related("request", "author")
        .order_by("sent_at", "id")
    ]
