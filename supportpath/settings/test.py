"""Settings for the test suite: fast hashing, tasks run at once, email kept in memory."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
if not env_str("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}  # noqa: F811
FIELD_ENCRYPTION_KEYS = ["v3mO0s9kqU4YtYwW2bqg0n3p8bX7rR5cZ6vN3hJ0aLk="]
LOOKUP_HASH_KEY = "test-only-lookup-key"
INSTALLED_APPS = [*INSTALLED_APPS, "supportpath.demo"]  # noqa: F405
# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
