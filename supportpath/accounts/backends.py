"""Signing in with an email address and password: Django's own check, and never for an erased account."""

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        # An erased account is switched off as well; this holds even if something switched it back on. The
        # person trying gets the same neutral message as for a wrong password (``SignInForm``), and any session
        # it still had stops working, since each request checks the account through here.
        return super().user_can_authenticate(user) and getattr(user, "erased_at", None) is None
