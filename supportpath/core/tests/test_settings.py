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


def _run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
        env={
            "DJANGO_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
            "ALLOWED_HOSTS": "supportpath.example.nhs.uk",
            "DATABASE_URL": "sqlite:///:memory:",
            "FIELD_ENCRYPTION_KEYS": "v3mO0s9kqU4YtYwW2bqg0n3p8bX7rR5cZ6vN3hJ0aLk=",
            "LOOKUP_HASH_KEY": "a-long-random-lookup-key-for-the-check-0123456789abcdef",
        },
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
        env={
            "DJANGO_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
            "ALLOWED_HOSTS": "supportpath.example.nhs.uk",
            "DATABASE_URL": "sqlite:///:memory:",
            "FIELD_ENCRYPTION_KEYS": "v3mO0s9kqU4YtYwW2bqg0n3p8bX7rR5cZ6vN3hJ0aLk=",
            "LOOKUP_HASH_KEY": "a-long-random-lookup-key-for-the-check-0123456789abcdef",
        },
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
