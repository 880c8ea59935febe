"""The header's "Messages" link, with how many are new, for the people who have messages: a doctor, a case
manager, a facilitator. A function, called once by the layout for someone signed in, so that the count is one
query (``unread_count``) on the pages that show it and none on the others."""

from django.http import HttpRequest
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.accounts.roles import has_role, is_doctor, memberships

from . import services


def messages_link(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)

    def link() -> dict | None:
        if user is None or not user.is_authenticated:
            return None
        staff = has_role(user, Role.CASE_MANAGER) or has_role(user, Role.FACILITATOR)
        # Referrers, responsible officers, employers and admins have no messages: known from their memberships
        # (read once per request anyway), so their pages pay nothing. (A doctor who also holds one of those
        # roles reaches their messages from My support.)
        if not staff and (memberships(user) or not is_doctor(user)):
            return None
        new = services.unread_count(user, as_staff=staff)
        text = f"Messages ({new} new)" if new else "Messages"
        return {"href": reverse("messaging:inbox"), "text": text, "new": new}

    return {"messages_link": link}
