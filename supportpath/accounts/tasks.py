"""Background work for accounts. Deciding who gets which email here, not in the request, keeps the request the
same for an address with an account and one without (nothing to learn from what the page says, or how long it
takes). The emails themselves go through ``supportpath.notifications``."""

import hashlib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from supportpath.notifications.tasks import queue_email

from . import registration
from .services import users_for_password_reset


@task()
def send_password_reset_links(*, email: str) -> int:
    """Email a reset link (Django's token: it works once, and for PASSWORD_RESET_TIMEOUT) to each account that
    uses the address: usually one, often none."""
    sent = 0
    with transaction.atomic():
        for user in users_for_password_reset(email):
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            queue_email(
                # The key names the token by its hash: the token itself is a credential.
                key=f"password-reset:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:32]}",
                to=user.email,
                subject=(
                    "Reset your supportpath password"
                    if user.has_usable_password()
                    else "Set a password for your supportpath account"
                ),
                template="accounts/email/password_reset.txt",
                context={
                    "name": user.full_name,
                    "link": settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token]),
                    "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                    "has_password": user.has_usable_password(),
                    "help_email": settings.HELP_EMAIL,
                },
            )
            sent += 1
    return sent


@task()
def process_registration(*, pending_id: int) -> None:
    registration.decide_and_email(pending_id)
