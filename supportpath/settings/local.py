"""Settings for a developer's machine and the demo: SQLite, console email, debug pages."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "local-only-not-secret-4b0d2f7c1e9a")
# A fixed key for the demo only; production must set its own (docs/environment.md).
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["yGqFpXo9kq3b7tU2s0m1dQ8xE5rW4cZ6vN3hJ0aLkPs="]  # noqa: F405
LOOKUP_HASH_KEY = LOOKUP_HASH_KEY or "local-demo-lookup-key-not-secret-9c41"  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "supportpath.demo"]  # noqa: F405
DATA_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
