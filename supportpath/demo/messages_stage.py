"""Demo stage for secure messages: a few named doctors' conversations with their team, and the contact details
each side sees (the doctors' preferred times, the staff's work phones).

- Dr Grace Adeyemi-Marsh (in support at the Royal Infirmary) with her case manager and her facilitator;
- Dr Priya, waiting for first contact, writing to the service's case managers before there is a case;
- Dr Ifeoma Castleton, whose support has ended: a conversation that is now read only.

Made through the product's own service (``supportpath.messaging.services.send_message``, with no email sent),
each message with a fixed token, so running the demo again finds them and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from supportpath.accounts.models import DoctorProfile, User
from supportpath.accounts.roles import has_role
from supportpath.accounts.services import update_doctor_detail
from supportpath.casework.models import Case
from supportpath.messaging import access, services
from supportpath.messaging.models import Message

if TYPE_CHECKING:
    from .demo_state import Demo

MESSAGES_NAMESPACE = uuid.UUID("7b1d9e0a-4c2f-4e8b-9a3d-2f6c5e1b8d47")
PREFERRED_TIMES = {
    "grace": "Weekday evenings after 6pm, or Wednesday mornings (my admin session). Please not during clinics.",
    "priya": "Any time on Mondays; otherwise after 5pm.",
}
WORK_PHONE = "0113 496 0{:03d}"

# (doctor key, who writes: "doctor", "case_manager" or "facilitator", days before now, the message)
CONVERSATIONS = [
    (
        "grace",
        "doctor",
        9,
        "Thank you for last week. I have been trying the planning approach we talked about before clinics, "
        "and it helps on most days.",
    ),
    (
        "grace",
        "facilitator",
        8,
        "That is good to hear. Keep a note of the days it does not help, and we can look at those together next time.",
    ),
    (
        "grace",
        "doctor",
        3,
        "I have an on-call week coming up. Could we move our next session to the week after?",
    ),
    (
        "grace",
        "case_manager",
        2,
        "Of course. Your facilitator will suggest a new date. If things get harder during the on-call week, "
        "reply here or ring me.",
    ),
    (
        "priya",
        "doctor",
        1,
        "I sent my request yesterday. I am on nights until Thursday, so please do not ring before 2pm.",
    ),
    (
        "ifeoma",
        "doctor",
        40,
        "Thank you all for the support over these months. I feel ready to carry on by myself.",
    ),
    (
        "ifeoma",
        "case_manager",
        39,
        "Thank you for letting us know, and well done. You can come back to us at any time.",
    ),
]


def _author(thread: access.Thread, doctor: DoctorProfile, who: str) -> User | None:
    if who == "doctor":
        return doctor.user
    case: Case | None = thread.case
    if who == "facilitator":
        return case.facilitator if case else None
    if case is not None:
        return case.case_manager
    return None


def seed_messages(demo: Demo) -> None:
    # Each side's contact details, as each gives them on their own details page.
    for key, times in PREFERRED_TIMES.items():
        doctor = demo.doctors.get(key)
        if doctor is not None and not doctor.preferred_contact_times:
            update_doctor_detail(doctor, "preferred_contact_times", times)
    for number, user in enumerate(demo.staff.values(), start=1):
        if not user.work_phone and (has_role(user, "case_manager") or has_role(user, "facilitator")):
            services.set_work_phone(user, WORK_PHONE.format(number))
    for index, (key, who, days_before, text) in enumerate(CONVERSATIONS):
        doctor = demo.doctors.get(key)
        support_request = demo.requests.get(key)
        if doctor is None or support_request is None:
            continue
        token = uuid.uuid5(MESSAGES_NAMESPACE, f"{key}:{index}")
        if Message.objects.filter(submission_token=token).exists():
            continue
        thread = access.get_own_thread(doctor.user, support_request.reference)
        author = _author(thread, doctor, who)
        if author is None:
            continue
        # History: written as it was, when the conversation was still open.
        written = access.Thread(thread.request, thread.case, who, True)
        message = services.send_message(written, author=author, text=text, token=token, notify=False)
        sent_at = demo.now - dt.timedelta(days=days_before, hours=index % 5)
        Message.objects.filter(pk=message.pk).update(sent_at=sent_at)
        services.mark_read(support_request, author, up_to=sent_at)
        demo.created["messages"] += 1
