"""Field-level encryption for free text that must stay confidential at rest.

Keys come from ``FIELD_ENCRYPTION_KEYS`` (Fernet keys, newest first), never from ``SECRET_KEY``, so that
they can be kept, rotated and revoked on their own. Several keys may be live at once: values are always
written with the newest and read with whichever key made them. A value no key can read raises
``DecryptionError`` — ciphertext is never shown to anyone.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key: {error}") from None


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    if plaintext == "":
        return ""
    return PREFIX + keyring().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if stored == "":
        return ""
    if not stored.startswith(PREFIX):
        raise DecryptionError("A value expected to be encrypted was stored in plain text.")
    try:
        return keyring().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise DecryptionError("No configured key can decrypt this value; check FIELD_ENCRYPTION_KEYS.") from None


def rotate(stored: str) -> str:
    """Re-encrypt a stored value under the newest key."""
    if stored == "":
        return ""
    return PREFIX + keyring().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. It cannot be filtered or ordered on, by design."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))
