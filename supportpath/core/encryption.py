"""Field-level encryption for free text that must stay confidential at rest.

Keys come from ``FIELD_ENCRYPTION_KEYS`` (Fernet keys, newest first), never from ``SECRET_KEY``, so that
they can be kept, rotated and revoked on their own. Several keys may be live at once: values are always
written with the newest and read with whichever key made them. A value no key can read raises
``DecryptionError`` — ciphertext is never shown to anyone.
"""

import hashlib
import hmac
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
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


def lookup_hash(value: str) -> str:
    """A keyed hash (HMAC-SHA256) for finding a record by a confidential identifier, such as a GMC number,
    without storing the identifier in a form anyone can search. The key is ``LOOKUP_HASH_KEY``, kept apart
    from ``SECRET_KEY`` and the encryption keys; without the key, the hash cannot be tested against guesses."""
    key = settings.LOOKUP_HASH_KEY
    if not key:
        raise ImproperlyConfigured("LOOKUP_HASH_KEY must be set (see docs/environment.md).")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedJSONField(EncryptedTextField):
    """Structured content (lists and dicts) stored as encrypted JSON: for records whose every part is the
    doctor's own words, such as a support plan's goals. Like its parent, it cannot be filtered on."""

    # For django-stubs: the value is the decoded JSON (a dict or list, or "" when empty), not the parent's str.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return json.loads(decrypt(value))

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        return encrypt(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))

    def value_to_string(self, obj):
        # As Django's JSONField does: the serialisers (dumpdata, loaddata) carry the structure itself, so a
        # fixture round-trips to the same dict rather than to a string of JSON.
        return self.value_from_object(obj)


def encrypted_field_names(model: type[models.Model]) -> list[str]:
    """The model's encrypted fields, by name."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def without_encrypted(
    queryset: models.QuerySet, *relations: str, own: bool = True, keep: tuple[str, ...] = ()
) -> models.QuerySet:
    """``queryset`` without the encrypted fields of its own rows (unless ``own`` is False) and of each related
    row named in ``relations`` (as ``select_related`` names them, "request__doctor"), but for those named in
    ``keep`` (as ``defer`` names them, "referred_name", "request__referred_name"). For a list that shows none
    of them, or only those it keeps: every encrypted value read is decrypted as the row is built, so a page of
    100 requests would decrypt some 1,400 values it never shows (docs/scale.md). A deferred field read later
    costs a query per row: the lists' pinned query counts keep them from doing so."""
    names = [*encrypted_field_names(queryset.model)] if own else []
    for relation in relations:
        model = queryset.model
        for part in relation.split("__"):
            model = model._meta.get_field(part).related_model
        names += [f"{relation}__{name}" for name in encrypted_field_names(model)]
    unknown = set(keep) - set(names)
    if unknown:
        raise ValueError(f"Not an encrypted field this would defer: {', '.join(sorted(unknown))}")
    return queryset.defer(*[name for name in names if name not in keep])
