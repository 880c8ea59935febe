"""Signing in, for tests. Always use these rather than ``client.force_login`` directly, so that every test
follows the sign-in rules from one place.

Staff must use a second factor, so ``login_as`` gives a staff member an authenticator app (django-otp's
TOTP device) and marks the session verified with it, exactly as the verification page does; so does a
doctor who has turned two-step sign-in on. ``verified=False`` leaves the session at the password step.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts import second_factor


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=True, name=second_factor.APP_DEVICE_NAME)


def current_code(device: TOTPDevice) -> str:
    """What the person's app shows now. The device forgets which code was last used, so a test may sign the
    same person in twice within one 30-second step."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def login_as(client: Client, user, *, verified: bool = True) -> Client:
    client.force_login(user)
    if verified and second_factor.must_verify(user):
        device = authenticator_for(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
