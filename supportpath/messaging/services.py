"""Sending a message and keeping track of what each person has read.

The email that tells someone of a new message says only that there is one, with a link: never its text, nor
anything else of the doctor's record (an email can be read over a shoulder or forwarded)."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import Membership, Role, User
from supportpath.notifications.tasks import queue_email

from . import access
from .access import Thread
from .models import Message, ThreadRead


class NotAllowed(Exception):
    """The thread is read only (the request or case has ended)."""


def recipients(thread: Thread, author: User) -> list[User]:
    """Who is told of a new message: the doctor, when staff write; when the doctor writes, the case's case
    manager and its facilitator (once accepted), or before there is a case, the service's case managers."""
    support_request = thread.request
    if thread.role != Role.DOCTOR:
        return [support_request.doctor.user]
    case = thread.case
    if case is None:
        return [
            m.user
            for m in Membership.objects.filter(
                organisation_id=support_request.service_id, role=Role.CASE_MANAGER
            ).select_related("user")
        ]
    people = [case.case_manager]
    if case.facilitator_id and thread.can_write:
        people.append(case.facilitator)
    return [p for p in people if p.pk != author.pk]


def send_message(thread: Thread, *, author: User, text: str, token: uuid.UUID, notify: bool = True) -> Message:
    """One message per token, however many times "Send" is pressed; the people on the other side are emailed
    that there is a new message (``notify``: the demo, writing history, sends none)."""
    if not thread.can_write:
        raise NotAllowed("This conversation has ended")
    existing = Message.objects.filter(submission_token=token, request=thread.request).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message = Message.objects.create(
                request=thread.request, author=author, author_role=thread.role, text=text, submission_token=token
            )
            mark_read(thread.request, author, up_to=message.sent_at)
            link = settings.SITE_URL + reverse("messaging:thread", args=[thread.request.reference])
            for person in recipients(thread, author) if notify else []:
                queue_email(
                    key=f"new-message:{message.pk}:{person.pk}",
                    to=person.email,
                    subject="You have a new message",
                    template="messaging/email/new_message.txt",
                    context={"name": person.full_name, "link": link},
                )
    except IntegrityError:
        done = Message.objects.filter(submission_token=token, request=thread.request).first()
        if done is None:
            raise
        return done
    return message


def mark_read(support_request, user: User, *, up_to=None) -> None:
    up_to = up_to or timezone.now()
    ThreadRead.objects.update_or_create(request=support_request, user=user, defaults={"read_up_to": up_to})


def messages_in(thread: Thread) -> list[Message]:
    return list(Message.objects.filter(request=thread.request).select_related("author").order_by("sent_at", "id"))


def with_threads(requests: QuerySet) -> QuerySet:
    """Only the requests that have messages, found from the messages' index on their request."""
    return requests.filter(pk__in=Message.objects.values("request_id"))


def with_unread(requests: QuerySet, user: User) -> QuerySet:
    """Each request with ``last_message`` (when) and ``unread`` (how many messages from others this person has
    not opened since they came), in the one query that lists them."""
    last_read = Subquery(ThreadRead.objects.filter(request_id=OuterRef("pk"), user_id=user.pk).values("read_up_to")[:1])
    new = ~Q(messages__author_id=user.pk) & (Q(last_read__isnull=True) | Q(messages__sent_at__gt=F("last_read")))
    return requests.annotate(
        last_read=last_read,
        last_message=Max("messages__sent_at"),
        unread=Count("messages", filter=new),
    )


def set_work_phone(user: User, phone: str) -> None:
    User.objects.filter(pk=user.pk).update(work_phone=phone)


def unread_count(user: User, *, as_staff: bool) -> int:
    """How many messages from others this person has not opened, over every thread they may open (the inbox's
    own rule, ``with_unread``), in one query: for the header's "Messages" link."""
    requests = access.requests_for_staff(user) if as_staff else access.requests_for_doctor(user)
    read_since = ThreadRead.objects.filter(
        request_id=OuterRef("request_id"), user_id=user.pk, read_up_to__gte=OuterRef("sent_at")
    )
    return (
        Message.objects.filter(request__in=requests.values("pk"))
        .exclude(author_id=user.pk)
        .exclude(Exists(read_since))
        .count()
    )
