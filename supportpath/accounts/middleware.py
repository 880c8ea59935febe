"""The middleware that knows about accounts: signing out after a quiet spell, and the second factor.

(It lives here, not in core, because it asks about roles and authenticators: core is below accounts.)
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor
from .models import STAFF_ROLES
from .roles import memberships


class IdleTimeoutMiddleware:
    """Sign people out after a quiet spell: 15 minutes for staff, 30 for doctors, and 12 hours at most.

    The times are in settings (SESSION_IDLE_MINUTES_STAFF, SESSION_IDLE_MINUTES_DOCTOR, SESSION_MAX_HOURS).
    """

    LAST_SEEN = "last_seen"
    SIGNED_IN = "signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            signed_in = request.session.get(self.SIGNED_IN, now)
            last_seen = request.session.get(self.LAST_SEEN, now)
            idle_limit = 60 * (
                settings.SESSION_IDLE_MINUTES_STAFF if _is_staff(user) else settings.SESSION_IDLE_MINUTES_DOCTOR
            )
            if now - last_seen > idle_limit or now - signed_in > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, "You were signed out because you had not used the service for a while.")
                return redirect(f"{reverse('accounts:sign_in')}?next={request.path}")
            # Write the session at most once a minute, not on every request.
            if now - last_seen > 60:
                request.session[self.LAST_SEEN] = now
        return self.get_response(request)


def _is_staff(user) -> bool:
    return user.is_superuser or any(m.role in STAFF_ROLES for m in memberships(user))


def remember_sign_in_time(sender, request, user, **kwargs):
    """The 12-hour limit counts from the moment of signing in."""
    now = time.time()
    request.session[IdleTimeoutMiddleware.SIGNED_IN] = now
    request.session[IdleTimeoutMiddleware.LAST_SEEN] = now


class SecondFactorMiddleware:
    """A signed-in person who must use a second factor reaches nothing but public pages until they have.

    Staff without an authenticator app are sent to set one up; anyone with one is asked for a code. Public
    pages (views marked ``login_not_required``), the second-factor pages themselves and signing out stay open.
    """

    OPEN_URL_NAMES = frozenset({"accounts:second_factor_setup", "accounts:second_factor_verify", "accounts:sign_out"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if request.resolver_match and request.resolver_match.view_name in self.OPEN_URL_NAMES:
            return None
        if not second_factor.must_verify(user):
            return None
        target = (
            "accounts:second_factor_verify" if second_factor.has_authenticator(user) else "accounts:second_factor_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
