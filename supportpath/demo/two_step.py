"""Two-step sign-in for the demo's staff.

Staff must give a code from an authenticator app after their password. So that anyone can try the demo, every
demo staff account has an app already set up with one published key, ``DEMO_AUTHENTICATOR_KEY``: add it to any
authenticator app (as a time-based key), or run ``python manage.py demo_code`` to print the code it shows now.
A published key is no secret: this is for the fictional demo only, which production never installs.
"""

import base64

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts.second_factor import APP_DEVICE_NAME

# 32 base32 characters, 20 bytes: what authenticator apps expect. Printed by seed_demo and in the README.
DEMO_AUTHENTICATOR_KEY = "SUPPORTPATHDEMOSTAFFSIGNINCODE23"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_AUTHENTICATOR_KEY).hex()


def give_demo_authenticator(users) -> int:
    """A confirmed app with the demo key for each user who has none yet; returns how many were added."""
    have = set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
    missing = [user for user in users if user.pk not in have]
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name=APP_DEVICE_NAME, key=demo_key_hex(), confirmed=True) for user in missing
    )
    return len(missing)


def current_demo_code() -> str:
    return f"{totp(base64.b32decode(DEMO_AUTHENTICATOR_KEY)):06d}"


def grouped_key() -> str:
    return " ".join(DEMO_AUTHENTICATOR_KEY[i : i + 4] for i in range(0, len(DEMO_AUTHENTICATOR_KEY), 4))
