"""The rule book's front page: how a refusal is answered (docs/access-policy.md, "403 or 404").

Who may reach which record is decided by the scoped accessors of each app, all of them asking the same few
relationship rules (``accounts.relationships``: a role counts only through a current membership;
``casework.relationships``: who may reach a case now). This module is the one place that turns a "no" into an
answer, so every view refuses the same way:

- **404** (``NOT_FOUND``) when the address names a record (a number, a reference, a token) that the person may
  not reach, whatever the reason: it does not exist, it belongs to another service or doctor, the
  relationship has ended, the person's role on it does not do this, or the case is closed to writing. The
  answer is the same as for a record that never existed, so nothing is learned from it. A doctor's own pages
  ("My support" and everything about their own record) answer 404 to anyone who is not a doctor, for the same
  reason: they are about one person.
- **403** (``ROLE_PAGE``) when the page is a staff or referrer role's working page (its address names no
  record: an inbox, a list, a form to start something) and the signed-in person holds no such role. The page
  says whom it is for.

Not signed in, every page but the public ones sends the person to sign in first.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Role, User
from .roles import has_role, is_doctor

NOT_FOUND = 404
ROLE_PAGE = 403
# The words of the 403 for a service admin's working page, whichever app it is in.
SERVICE_ADMINS_ONLY = "accounts/service_admins_only.jinja"


def doctors_only(request: HttpRequest, template: str) -> HttpResponse | None:
    """A doctor's own page: anyone who is not a doctor is answered 404, with ``template``'s words."""
    if not (request.user.is_authenticated and is_doctor(request.user)):
        return render(request, template, status=NOT_FOUND)
    return None


def record_for_role(request: HttpRequest, holds_role: Callable[[User], bool], template: str) -> HttpResponse | None:
    """A page that names a record, for one role: someone without the role is answered 404 with ``template``'s
    words, as the record's own accessor would answer them (nothing is learned about the record)."""
    if not (request.user.is_authenticated and holds_role(request.user)):
        return render(request, template, status=NOT_FOUND)
    return None


def role_only(request: HttpRequest, holds_role: Callable[[User], bool], template: str) -> HttpResponse | None:
    """A role's working page: someone without the role is answered 403, with ``template`` saying whom it is for."""
    if not (request.user.is_authenticated and holds_role(request.user)):
        return render(request, template, status=ROLE_PAGE)
    return None


def holding(role: str) -> Callable[[User], bool]:
    """The test for ``role_only`` that most role pages use: the person holds ``role`` in a current membership."""
    return lambda user: has_role(user, role)


def service_admins_only(request: HttpRequest) -> HttpResponse | None:
    """A service admin's working page ("Your service", staff, organisations, questionnaires, emergency access):
    anyone else signed in is answered 403."""
    return role_only(request, holding(Role.SERVICE_ADMIN), SERVICE_ADMINS_ONLY)
