import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from supportpath.settings.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[3]


def test_env_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_env_bool_reads_true_and_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "Yes")
    assert env_bool("SOME_FLAG") is True
    monkeypatch.setenv("SOME_FLAG", "false")
    assert env_bool("SOME_FLAG") is False


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "five")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1)


# Everything production insists on, set as a real deployment would.
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "supportpath.example.nhs.uk",
    "DATABASE_URL": "sqlite:///:memory:",
    "FIELD_ENCRYPTION_KEYS": "v3mO0s9kqU4YtYwW2bqg0n3p8bX7rR5cZ6vN3hJ0aLk=",
    "LOOKUP_HASH_KEY": "a-long-random-lookup-key-for-the-check-0123456789abcdef",
    "SITE_URL": "https://supportpath.example.nhs.uk",
    "HELP_EMAIL": "help@supportpath.example.nhs.uk",
}
# Variables a deployment might have in its environment that would change what these tests see.
PRODUCTION_ONLY = {
    "SITE_URL",
    "HELP_EMAIL",
    "EMAIL_USE_TLS",
    "LOOKUP_HASH_KEY",
    "SECRET_KEY_FILE",
    "LOOKUP_HASH_KEY_FILE",
    "TRUSTED_PROXY_COUNT",
}


def _run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION_ONLY}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_start_without_their_secrets():
    result = _run_manage("check", env={"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_uses_host_prefixed_secure_cookies_and_hsts():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.AUTHENTICATION_BACKENDS[0], 'django_otp' in s.INSTALLED_APPS, 'supportpath.demo' in s.INSTALLED_APPS)"
    )
    result = _run_manage(
        "shell",
        "-c",
        script,
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "axes.backends.AxesStandaloneBackend",
        "True",
        "False",
    ]


def _production_setting(name: str, **changes: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in {**PRODUCTION_ENV, **changes}.items() if v is not None}
    return _run_manage("shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))", env=env)


@pytest.mark.parametrize("missing", ["SITE_URL", "HELP_EMAIL"])
def test_production_refuses_to_start_without_its_public_address_and_help_address(missing):
    result = _production_setting("SITE_URL", **{missing: None})
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize("site_url", ["http://supportpath.example.nhs.uk", "supportpath.example.nhs.uk", "https://"])
def test_production_refuses_a_site_url_that_is_not_https(site_url):
    result = _production_setting("SITE_URL", SITE_URL=site_url)
    assert result.returncode != 0
    assert "SITE_URL must be the service's https:// address" in result.stderr


def test_production_keeps_the_site_url_without_a_trailing_slash():
    result = _production_setting("SITE_URL", SITE_URL="https://supportpath.example.nhs.uk/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "'https://supportpath.example.nhs.uk'"


def test_email_use_tls_is_read_strictly():
    on = _production_setting("EMAIL_USE_TLS", EMAIL_USE_TLS="yes")
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip().splitlines()[-1] == "True"
    typo = _production_setting("EMAIL_USE_TLS", EMAIL_USE_TLS="ture")
    assert typo.returncode != 0
    assert "EMAIL_USE_TLS='ture' is not a yes/no value" in typo.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "LOOKUP_HASH_KEY"])
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("dummy", "is too short"),
        ("x", "is too short"),
        ("a" * 80, "is not random enough"),
        ("abababababcdcdcdcdcd" * 4, "is not random enough"),
        ("django-insecure-" + "0123456789abcdefghij" * 3, "is not random enough"),
    ],
)
def test_production_refuses_a_weak_secret(name, value, why):
    result = _production_setting("DEBUG", **{name: value})
    assert result.returncode != 0
    assert f"{name} {why}" in result.stderr
    if len(value) > 3:
        assert value not in result.stderr, "the refused value itself is never printed"


def test_a_weak_secret_is_refused_from_a_file_too(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("changeme\n")
    result = _production_setting("DEBUG", SECRET_KEY=None, SECRET_KEY_FILE=str(secret))
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_env_secret_accepts_a_long_random_value(monkeypatch):
    from supportpath.settings.env import env_secret

    monkeypatch.setenv("SOME_SECRET", "Zq8-" * 3 + "a-long-random-value-0123456789abcdefghijklmnop")
    assert env_secret("SOME_SECRET").startswith("Zq8-")


@pytest.mark.parametrize(
    ("proxies", "header"), [(None, "None"), ("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_production_trusts_x_forwarded_proto_only_behind_its_own_proxy(proxies, header):
    result = _production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT=proxies)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == header
