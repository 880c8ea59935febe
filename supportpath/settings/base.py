"""Settings shared by every environment. Environment-specific files import from here."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .databases import databases
from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("SUPPORTPATH_DATA_DIR", str(BASE_DIR / "data")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "supportpath.core",
    "supportpath.accounts",
    "supportpath.audit",
    "supportpath.referrals",
    "supportpath.casework",
    "supportpath.pathway",
    "supportpath.plans",
    "supportpath.facilitation",
    "supportpath.progress",
    "supportpath.closure",
    "supportpath.notifications",
    "supportpath.emergency_access",
    "supportpath.sharing",
    "supportpath.records",
    "supportpath.journey",
    "supportpath.peer",
    "supportpath.service",
    "supportpath.measures",
    "supportpath.guide",
    "supportpath.culture",
    "supportpath.messaging",
    "supportpath.appointments",
    "supportpath.insights",
    "supportpath.theory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "supportpath.accounts.middleware.IdleTimeoutMiddleware",
    "supportpath.accounts.middleware.SecondFactorMiddleware",
    "supportpath.core.middleware.NoStoreForSignedInMiddleware",
    # Works out the work lists' stored dates once per request, for every case the request changed.
    "supportpath.progress.worklist.RefreshWorkListsOnce",
    # Last, so that it sees the outcome of every sign-in attempt and answers a locked-out one.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "supportpath.urls"
WSGI_APPLICATION = "supportpath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "supportpath" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "supportpath.core.jinja.environment",
            "context_processors": [
                "supportpath.core.context_processors.page",
                "supportpath.emergency_access.context_processors.emergency_access",
                "supportpath.measures.context_processors.measures",
                "supportpath.messaging.context_processors.messages_link",
            ],
        },
    },
    {
        # Django's own template engine, kept only for third-party pages (none are routed today).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# The primary database, and a read-only replica for reports when DATABASE_REPLICA_URL is set (the router in
# supportpath/core/db_routing.py sends report reads there; writes and the audit log always go to the primary).
# Persistent connections: DATABASE_CONN_MAX_AGE seconds (production defaults to 60), health-checked before reuse.
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 0)
DATABASE_CONN_HEALTH_CHECKS = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)
DATABASES = databases(
    env_str("DATABASE_URL"),
    env_str("DATABASE_REPLICA_URL"),
    default_sqlite=DATA_DIR / "supportpath.sqlite3",
    conn_max_age=DATABASE_CONN_MAX_AGE,
    health_checks=DATABASE_CONN_HEALTH_CHECKS,
)
DATABASE_ROUTERS = ["supportpath.core.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:start"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Axes first: it refuses a sign-in attempt from a locked-out email address or network address before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "supportpath.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_IDLE_MINUTES_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 15)
SESSION_IDLE_MINUTES_DOCTOR = env_int("SESSION_IDLE_MINUTES_DOCTOR", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failed sign-ins (django-axes), counted separately by email address and by network
# address, so neither guessing one account's password nor trying many accounts from one place works. An
# email address that has no account is counted and locked exactly like one that has, so the lockout reveals
# nothing about who has an account. Locks lift by themselves after the cool-off, or at once with
# `python manage.py axes_reset_username <email>`.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "supportpath.accounts.lockout.username_from"
AXES_CLIENT_IP_CALLABLE = "supportpath.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "supportpath.accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
# Trying again while locked does not restart the wait, so "wait 15 minutes" on the lockout page stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# How many proxies in front of the app servers add to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Links sent by email: a password reset works for 2 hours (Django's PASSWORD_RESET_TIMEOUT, in seconds) and
# the link that finishes setting up a new account for 24. Each works once.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
REGISTRATION_LINK_HOURS = 24
# At most this many account emails (password reset, finishing an account) go to one address, and from one
# network address, in an hour. A request over the limit gets the same page as any other, so the limit says
# nothing about who has an account. Network addresses are shared by whole hospitals, hence the larger number.
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 3)
ACCOUNT_EMAILS_PER_NETWORK_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_NETWORK_PER_HOUR", 30)

# Second factor (django-otp): every staff role must use an authenticator app (TOTP) with backup codes;
# doctors may choose to. The issuer is the name people see in their authenticator app.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "supportpath")
BACKUP_CODE_COUNT = 10

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "supportpath" / "static"]

# Background work: Django's task API through the django-tasks backport, kept in the database so that a
# restart loses nothing. Run the worker with `python manage.py worker` (supportpath/notifications/worker.py),
# under a supervisor that starts it again if it stops.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often a worker says it is alive, and after how long without a word it is taken as gone (its unfinished
# task is queued again, and /healthz/queue reports that no worker is running).
TASK_WORKER_HEARTBEAT_SECONDS = env_int("TASK_WORKER_HEARTBEAT_SECONDS", 10)
TASK_WORKER_LOST_AFTER_SECONDS = env_int("TASK_WORKER_LOST_AFTER_SECONDS", 60)
if TASK_WORKER_LOST_AFTER_SECONDS < 2 * TASK_WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("TASK_WORKER_LOST_AFTER_SECONDS must be at least twice TASK_WORKER_HEARTBEAT_SECONDS.")
# /healthz/queue answers 503 once a task has waited this long for a worker.
TASK_QUEUE_MAX_WAIT_SECONDS = env_int("TASK_QUEUE_MAX_WAIT_SECONDS", 300)
# A task whose worker was lost this many times is marked failed rather than tried again.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
# Jobs the worker runs once a day (supportpath/notifications/schedule.py): name -> (task, "HH:MM" UK time).
# `python manage.py schedule_daily_jobs` queues each one's next run; add a job with one line.
DAILY_JOBS = {
    "stage_checks": ("supportpath.progress.checks.run_stage_checks", env_str("STAGE_CHECKS_AT", "07:00")),
    # Removes records past their retention period (docs/retention.md); at night, away from the working day.
    "retention": ("supportpath.records.tasks.apply_retention", env_str("RETENTION_AT", "02:30")),
    # Follow-up questionnaires 3 and 6 months after closure, and safety alerts not followed up (docs/measures.md).
    "measures": ("supportpath.measures.tasks.run_measures_daily", env_str("MEASURES_AT", "08:00")),
    # Reminds owners of actions against the guide that fall due, and forgets pulse invitation addresses.
    "culture_reminders": ("supportpath.culture.tasks.daily", env_str("CULTURE_REMINDERS_AT", "07:30")),
    # Reminds each doctor of an appointment the working day before it (supportpath/appointments).
    "appointment_reminders": (
        "supportpath.appointments.services.send_reminders",
        env_str("APPOINTMENT_REMINDERS_AT", "09:00"),
    ),
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "supportpath <no-reply@supportpath.invalid>")

# Public address used in emails ("sign in at ..."); production requires an https:// address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Where people can write to a person at the service when something in their account goes wrong (named in
# emails and on the error pages). Production requires it.
HELP_EMAIL = env_str("HELP_EMAIL", "help@supportpath.example.test")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# Content-Security-Policy (django-csp): no inline script or style; the one inline script the NHS.UK
# template needs carries a per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The "your form could not be sent" page, in the layout, instead of Django's bare one.
CSRF_FAILURE_VIEW = "supportpath.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Working-day targets of the pathway, set by the service (DESIGN.md §2).
TARGET_WORKING_DAYS = {
    "first_contact": env_int("TARGET_FIRST_CONTACT_DAYS", 5),
    "initial_conversation": env_int("TARGET_INITIAL_CONVERSATION_DAYS", 15),
    "plan_agreed": env_int("TARGET_PLAN_AGREED_DAYS", 30),
}
# An urgent request ("I'm not coping") has its own, shorter first-contact target.
TARGET_URGENT_FIRST_CONTACT_DAYS = env_int("TARGET_URGENT_FIRST_CONTACT_DAYS", 1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint (the board report's PDF) reports each step of every document at INFO: only its warnings.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}

# Keys for field-level encryption, newest first (see supportpath/core/encryption.py).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
# The key of the keyed hash used to look records up by a confidential identifier (GMC numbers).
LOOKUP_HASH_KEY = env_str("LOOKUP_HASH_KEY", "")

# Routes into support: how long an emailed invitation link works (it opens the invited doctor's new account),
# and how long a self-referral's unsent answers are kept for the doctor to come back to.
REFERRAL_INVITATION_DAYS = env_int("REFERRAL_INVITATION_DAYS", 14)
SELF_REFERRAL_DRAFT_DAYS = env_int("SELF_REFERRAL_DRAFT_DAYS", 7)
# How long a service admin's emailed invitation to join the staff (or an organisation's referrers) works.
STAFF_INVITATION_DAYS = env_int("STAFF_INVITATION_DAYS", 7)
# How many times, in any 24 hours, a referral's email may be sent to the doctor again ("send again", by the
# referrer and the case manager together), so nobody can flood a doctor's mailbox.
REFERRAL_RESENDS_PER_DAY = env_int("REFERRAL_RESENDS_PER_DAY", 3)
if REFERRAL_RESENDS_PER_DAY < 1:
    raise ImproperlyConfigured("REFERRAL_RESENDS_PER_DAY must be a whole number of 1 or more.")

# Emergency ("break-glass") access: how long a service admin may read one record after giving a reason.
EMERGENCY_ACCESS_MINUTES = env_int("EMERGENCY_ACCESS_MINUTES", 60)
if not 5 <= EMERGENCY_ACCESS_MINUTES <= 240:
    raise ImproperlyConfigured("EMERGENCY_ACCESS_MINUTES must be a whole number of minutes from 5 to 240.")
# How long each kind of record is kept before `apply_retention` removes it (docs/retention.md gives the
# reasoning). Each period is counted from the moment named there, and each can be set from the environment;
# a value below the record type's floor fails the system check and stops apply_retention
# (supportpath/records/policy.py), so a typo cannot empty the service.
RETENTION = {
    "closed_cases": {"years": env_int("RETENTION_CLOSED_CASES_YEARS", 10)},
    "ended_requests": {"years": env_int("RETENTION_ENDED_REQUESTS_YEARS", 3)},
    "unused_invitations": {"days": env_int("RETENTION_UNUSED_INVITATIONS_DAYS", 90)},
    # These two follow the settings that already say how long the things they cover are of use.
    "self_referral_drafts": {"days": SELF_REFERRAL_DRAFT_DAYS},
    "pending_registrations": {"hours": REGISTRATION_LINK_HOURS},
    "dormant_accounts": {"years": env_int("RETENTION_DORMANT_ACCOUNTS_YEARS", 3)},
    "access_log": {"years": env_int("RETENTION_ACCESS_LOG_YEARS", 6)},
    "task_results": {"days": env_int("RETENTION_TASK_RESULTS_DAYS", 30)},
    "sent_emails": {"days": env_int("RETENTION_SENT_EMAILS_DAYS", 365)},
    "account_email_limits": {"days": env_int("RETENTION_ACCOUNT_EMAIL_LIMITS_DAYS", 1)},
    "sign_in_records": {"days": env_int("RETENTION_SIGN_IN_RECORDS_DAYS", 90)},
    "expired_sessions": {"days": env_int("RETENTION_EXPIRED_SESSIONS_DAYS", 0)},
    "ended_peer_support": {"years": env_int("RETENTION_PEER_SUPPORT_YEARS", 2)},
}
# How many days before the dormant_accounts rule closes an unused account its doctor is warned by email; the
# account is closed only once the warning has been out this long (supportpath/records/dormancy.py).
DORMANT_ACCOUNT_WARNING_DAYS = env_int("DORMANT_ACCOUNT_WARNING_DAYS", 28)
# Where each erasure is also written, one JSON file per entry, so that the erasure ledger survives a restore of
# the database from backup. Must be storage every app server shares and that is not restored with the database.
ERASURE_LEDGER_DIR = Path(env_str("ERASURE_LEDGER_DIR", str(DATA_DIR / "erasure-ledger")))
