"""The second factor: an authenticator app (TOTP) with single-use backup codes, through django-otp.

Every staff role must use it; a doctor may choose to. A session counts as verified once django-otp has
recorded the device that was used (``request.user.is_verified()``).
"""

import base64
import datetime as dt
import io

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import STAFF_ROLES, User
from .roles import memberships

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def is_staff_person(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or any(m.role in STAFF_ROLES for m in memberships(user)))


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(user: User) -> bool:
    """Staff always; anyone else who has turned the second factor on."""
    return is_staff_person(user) or has_authenticator(user)


def is_verified(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.is_verified()


def pending_authenticator(user: User, *, key: str = "") -> TOTPDevice:
    """The device being set up: the same secret until it is confirmed, so reloading the page changes nothing.
    ``key`` (hex) gives the secret instead of a new random one: the fictional demo's published key."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_DEVICE_NAME)
    if key:
        pending = pending.filter(key=key)
    device = pending.order_by("pk").first()
    if device is not None:
        return device
    return TOTPDevice.objects.create(user=user, confirmed=False, name=APP_DEVICE_NAME, **({"key": key} if key else {}))


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The set-up link as a QR code: an SVG in a data: URI, so the page needs no extra request and no script,
    and nothing is put into the page's HTML unescaped."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=20, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def confirm_authenticator(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn the app on if the code is right: returns the new backup codes, and the session is verified."""
    codes = confirm_app(device, code)
    if codes is None:
        return None
    _verified(request, device)
    return codes


def confirm_app(device: TOTPDevice, code: str, *, at: dt.datetime | None = None) -> list[str] | None:
    """Turn the user's app on if the code is right (for ``at``, when given: the moment it was set up, checked
    against that moment): their other unconfirmed apps go and they get a new set of backup codes, returned.
    The code is used up, as any code from the app is once accepted. No session is verified here."""
    if not _app_code_is_right(device, normalise(code), at):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        return replace_backup_codes(device.user)


def _app_code_is_right(device: TOTPDevice, code: str, at: dt.datetime | None) -> bool:
    if at is None:
        return device.verify_token(code)  # now, with django-otp's throttling
    if not (code.isdigit() and len(code) == device.digits):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    if not totp.verify(int(code), device.tolerance, device.last_t + 1):
        return False
    device.last_t = totp.t()  # used up: this code, and any earlier one, is refused from now on
    device.save(update_fields=["last_t"])
    return True


def replace_backup_codes(user: User) -> list[str]:
    """A new set of backup codes; any earlier set stops working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request: HttpRequest, code: str) -> bool:
    """Check a code from the app, or a backup code (which then stops working). Repeated failures slow down."""
    user = request.user
    code = normalise(code)
    if code.isdigit() and len(code) == 6:  # an app's code; backup codes are 8 characters
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                _verified(request, device)
                return True
        return False
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            continue
        # Deleting is the test: two requests racing with the same code cannot both succeed.
        deleted, _ = StaticToken.objects.filter(device=device, token=code).delete()
        if deleted:
            device.throttle_reset()
            _verified(request, device)
            return True
        device.throttle_increment()
    return False


def turn_off(user: User) -> None:
    """For doctors who had chosen the second factor; staff cannot turn it off."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _verified(request: HttpRequest, device) -> None:
    # A new session id when the session gains the second factor, as at sign-in.
    request.session.cycle_key()
    django_otp.login(request, device)
