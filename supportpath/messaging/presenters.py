"""What the message pages show, in the words of the people reading them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import Membership, Role, User
from supportpath.core.dates import long_date, long_datetime

from .access import DoctorContact, Thread
from .models import Message

NOT_GIVEN = "Not given"
CLOSED_TEXT = (
    "This conversation has ended, so no more messages can be sent. You can still read it here. To reach the "
    "service, use the contact details on this page."
)
CLOSED_TEXT_STAFF = (
    "This conversation has ended with the doctor's support, so no more messages can be sent. It stays here to read."
)
ROLE_NAMES = {Role.DOCTOR: "Doctor", Role.CASE_MANAGER: "Case manager", Role.FACILITATOR: "Facilitator"}


@dataclass(frozen=True)
class ThreadRow:
    reference: str
    href: str
    service: str
    doctor: str
    last_message: str
    unread: int


def _when(value) -> str:
    return long_datetime(value) if value else "No messages yet"


def doctor_thread_row(support_request) -> ThreadRow:
    return ThreadRow(
        reference=support_request.reference,
        href=reverse("messaging:thread", args=[support_request.reference]),
        service=support_request.service.name,
        doctor="",
        last_message=_when(support_request.last_message),
        unread=support_request.unread,
    )


def staff_thread_row(support_request) -> ThreadRow:
    return ThreadRow(
        reference=support_request.reference,
        href=reverse("messaging:thread", args=[support_request.reference]),
        service=support_request.service.name,
        doctor=support_request.doctor.user.display_name,
        last_message=_when(support_request.last_message),
        unread=support_request.unread,
    )


@dataclass(frozen=True)
class MessageRow:
    author: str
    role: str
    sent: str
    text: str
    mine: bool


def message_rows(shown: list[Message], viewer: User) -> list[MessageRow]:
    return [
        MessageRow(
            author="You" if m.author_id == viewer.pk else m.author.display_name,
            role=ROLE_NAMES.get(m.author_role, ""),
            sent=long_datetime(m.sent_at),
            text=m.text,
            mine=m.author_id == viewer.pk,
        )
        for m in shown
    ]


@dataclass(frozen=True)
class TeamMember:
    role: str
    name: str
    email: str
    phone: str


def team(thread: Thread) -> list[TeamMember]:
    """The work contact details of the doctor's case manager and, once accepted, facilitator. Before a case,
    the service itself (its case managers answer)."""
    case = thread.case
    if case is None:
        managers = Membership.objects.filter(
            organisation_id=thread.request.service_id, role=Role.CASE_MANAGER
        ).select_related("user")
        return [
            TeamMember(
                f"Case manager at {thread.request.service.name}",
                m.user.full_name,
                m.user.email,
                m.user.work_phone or NOT_GIVEN,
            )
            for m in managers.order_by("user__full_name")
        ]
    people = [
        TeamMember(
            "Your case manager",
            case.case_manager.full_name,
            case.case_manager.email,
            case.case_manager.work_phone or NOT_GIVEN,
        )
    ]
    if case.facilitator_id and thread.can_write:
        f = case.facilitator
        people.append(TeamMember("Your facilitator", f.full_name, f.email, f.work_phone or NOT_GIVEN))
    return people


@dataclass(frozen=True)
class ContactView:
    reference: str
    name: str
    email: str
    phone: str
    preferred_times: str
    asked_on_request: str
    thread_href: str
    back_href: str


def doctor_contact(contact: DoctorContact) -> ContactView:
    support_request = contact.request
    doctor = support_request.doctor
    case = contact.case
    if case is not None:
        back = reverse("pathway:case_detail", args=[case.pk])
    else:
        back = reverse("casework:request_detail", args=[support_request.reference])
    asked = ""
    if support_request.contact_times or support_request.contact_phone:
        asked = (
            "; ".join(
                part
                for part in (
                    support_request.get_contact_method_display() if support_request.contact_method else "",
                    support_request.contact_phone,
                    support_request.contact_times,
                )
                if part
            )
            + f" (given with the request on {long_date(timezone.localdate(support_request.submitted_at))})"
        )
    return ContactView(
        reference=support_request.reference,
        name=doctor.user.display_name,
        email=doctor.user.email,
        phone=doctor.phone or NOT_GIVEN,
        preferred_times=doctor.preferred_contact_times or NOT_GIVEN,
        asked_on_request=asked,
        thread_href=reverse("messaging:thread", args=[support_request.reference]),
        back_href=back,
    )
