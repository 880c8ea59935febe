"""Read settings from the environment, refusing values that are not what they claim to be.

A typo such as ``DEBUG=ture`` must stop the process rather than quietly mean "off".
Every variable is documented in ``docs/environment.md``.
"""

import os
from pathlib import Path
from typing import overload

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    """A string from ``NAME``, or from the file named by ``NAME_FILE`` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} (or {name}_FILE) must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use true or false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name)
    if raw is None:
        return list(default or [])
    return [part.strip() for part in raw.split(",") if part.strip()]


# A secret must be long and varied enough that nobody guesses it: Django's own deployment check asks the same
# of SECRET_KEY (50 characters, more than a handful of different ones). "dummy", "x" or "changeme" stop the
# process instead of signing sessions or keying the lookup hash.
SECRET_MIN_LENGTH = 50
SECRET_MIN_DISTINCT = 10


def env_secret(name: str) -> str:
    """A required secret, refused when it is short, low in variety or Django's insecure development key."""
    value = env_required(name)
    advice = 'for example python -c "import secrets; print(secrets.token_urlsafe(50))"'
    if len(value) < SECRET_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is too short: use a random value of at least {SECRET_MIN_LENGTH} characters ({advice})."
        )
    if len(set(value)) < SECRET_MIN_DISTINCT or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"{name} is not random enough: use at least {SECRET_MIN_DISTINCT} different characters ({advice})."
        )
    return value
