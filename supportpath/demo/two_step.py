"""Two-step sign-in for the demo's staff.

Staff must give a code from an authenticator app after their password. So that anyone can try the demo, every
demo staff account has an app already set up with one published key, ``DEMO_AUTHENTICATOR_KEY``: add it to any
authenticator app (as a time-based key), or run ``python manage.py demo_code`` to print the code it shows now.
A published key is no secret: this is for the fictional demo only, which production never installs.
"""

import base64
import datetime as dt

from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts import second_factor

# 32 base32 characters, 20 bytes: what authenticator apps expect. Printed by seed_demo and in the README.
DEMO_AUTHENTICATOR_KEY = "SUPPORTPATHDEMOSTAFFSIGNINCODE23"
# When the demo's staff set up their apps: a time step (30 seconds) or more ago, so the code the app shows now
# has not been used yet and signs them in.
SET_UP_BEFORE = dt.timedelta(minutes=1)


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_AUTHENTICATOR_KEY).hex()


def give_demo_authenticator(users) -> int:
    """Each user who has no app yet sets one up as the product's set-up page does, as history: the app is
    pending with the demo key, then confirmed with the code it showed at the moment they set it up (which
    also gives them their backup codes). Returns how many were set up."""
    have = set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
    missing = [user for user in users if user.pk not in have]
    set_up_at = timezone.now() - SET_UP_BEFORE
    for user in missing:
        device = second_factor.pending_authenticator(user, key=demo_key_hex())
        codes = second_factor.confirm_app(device, demo_code_at(set_up_at), at=set_up_at)
        assert codes is not None  # noqa: S101 # nosec B101 # the code of the demo key for that very moment
    return len(missing)


def demo_code_at(moment: dt.datetime) -> str:
    """The code an app with the demo key showed at ``moment``."""
    app = TOTP(base64.b32decode(DEMO_AUTHENTICATOR_KEY))
    app.time = moment.timestamp()
    return f"{app.token():06d}"


def current_demo_code() -> str:
    return f"{totp(base64.b32decode(DEMO_AUTHENTICATOR_KEY)):06d}"


def grouped_key() -> str:
    return " ".join(DEMO_AUTHENTICATOR_KEY[i : i + 4] for i in range(0, len(DEMO_AUTHENTICATOR_KEY), 4))
