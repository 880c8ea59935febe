"""Production settings: the safe default. Refuses to start without its secrets."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .databases import databases
from .env import env_bool, env_int, env_list, env_required, env_secret, env_str

DEBUG = False
SECRET_KEY = env_secret("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) this service answers on.")
env_required("DATABASE_URL")
# Persistent connections by default in production: each app-server thread keeps its connection a minute
# (health-checked before reuse), rather than paying for a new one on every request.
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES = databases(
    env_str("DATABASE_URL"),
    env_str("DATABASE_REPLICA_URL"),
    default_sqlite=DATA_DIR / "supportpath.sqlite3",  # noqa: F405
    conn_max_age=DATABASE_CONN_MAX_AGE,
    health_checks=DATABASE_CONN_HEALTH_CHECKS,  # noqa: F405
)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Health checks come from inside (the load balancer, the container's HEALTHCHECK) over plain HTTP: they are
# answered, not redirected to https. They carry no cookie and say nothing confidential.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/queue$"]
# X-Forwarded-Proto says the request came over https only when our own proxy set it: with nothing in front
# (TRUSTED_PROXY_COUNT=0) anyone could send it, so it is not read at all.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None  # noqa: F405
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set (see docs/environment.md).")
LOOKUP_HASH_KEY = env_secret("LOOKUP_HASH_KEY")
# Links in emails must lead to the real, encrypted address, never to a developer's default.
SITE_URL = env_required("SITE_URL").rstrip("/")
if not SITE_URL.startswith("https://") or not urlsplit(SITE_URL).netloc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"SITE_URL must be the service's https:// address, not {SITE_URL!r}.")
HELP_EMAIL = env_required("HELP_EMAIL")
