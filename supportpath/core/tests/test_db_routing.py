"""The database router: report reads may go to the replica; writes, the audit log and the request's own
tables always go to the primary; with no replica set, everything goes to the primary."""

from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.core import db_routing
from supportpath.core.db_routing import ReplicaRouter, in_reporting, reporting, reporting_view
from supportpath.notifications.models import SentEmail
from supportpath.referrals.models import SupportRequest
from supportpath.settings.databases import databases

from .test_settings import PRODUCTION_ENV, _run_manage

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_routing, "replica_configured", lambda: True)


def test_reads_go_to_the_primary_outside_reports(with_replica):
    assert router.db_for_read(Case) == "default"
    assert router.db_for_read(SupportRequest) == "default"


def test_report_reads_go_to_the_replica_when_there_is_one(with_replica):
    with reporting():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_read(SupportRequest) == "replica"
    assert router.db_for_read(Case) == "default"


def test_report_reads_go_to_the_primary_when_no_replica_is_set(settings):
    assert "replica" not in settings.DATABASES
    with reporting():
        assert router.db_for_read(Case) == "default"


def test_writes_always_go_to_the_primary(with_replica):
    with reporting():
        for model in (Case, SupportRequest, AccessRecord, SentEmail):
            assert router.db_for_write(model) == "default"


@pytest.mark.parametrize("model", [AccessRecord, Session, DBTaskResult, SentEmail])
def test_the_audit_log_and_the_requests_own_tables_are_read_from_the_primary_even_in_reports(with_replica, model):
    with reporting():
        assert router.db_for_read(model) == "default"


@pytest.mark.django_db
def test_a_report_inside_a_transaction_reads_from_the_primary(with_replica):
    """It may be reading what it has just written, which the replica does not have yet."""
    with transaction.atomic(), reporting():
        assert router.db_for_read(Case) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "casework") is True
    assert router.allow_migrate("replica", "casework") is False


def test_reporting_view_reads_in_reporting_mode_and_only_while_it_runs():
    @reporting_view
    def view(request):
        return in_reporting()

    assert in_reporting() is False
    assert view(None) is True
    assert in_reporting() is False


def test_reporting_is_reset_when_the_report_fails():
    with pytest.raises(RuntimeError), reporting():
        raise RuntimeError
    assert in_reporting() is False


def test_databases_without_a_replica_has_only_the_primary(tmp_path):
    result = databases(
        "postgres://app@db.internal:5432/supportpath",
        None,
        default_sqlite=tmp_path / "x.sqlite3",
        conn_max_age=60,
        health_checks=True,
    )
    assert set(result) == {"default"}
    assert result["default"]["HOST"] == "db.internal"
    assert result["default"]["CONN_MAX_AGE"] == 60
    assert result["default"]["CONN_HEALTH_CHECKS"] is True


def test_databases_with_a_replica_adds_it_with_the_same_connection_settings(tmp_path):
    result = databases(
        "postgres://app@primary.internal:5432/supportpath",
        "postgres://reports@replica.internal:5432/supportpath",
        default_sqlite=tmp_path / "x.sqlite3",
        conn_max_age=30,
        health_checks=False,
    )
    assert set(result) == {"default", "replica"}
    assert result["replica"]["HOST"] == "replica.internal"
    assert result["replica"]["USER"] == "reports"
    assert result["replica"]["CONN_MAX_AGE"] == 30
    assert result["replica"]["CONN_HEALTH_CHECKS"] is False
    assert result["replica"]["TEST"] == {"MIRROR": "default"}


def test_databases_falls_back_to_sqlite_with_its_options(tmp_path):
    result = databases(None, None, default_sqlite=tmp_path / "x.sqlite3", conn_max_age=0, health_checks=True)
    assert result["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert result["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _production_databases(**extra: str) -> list[str]:
    script = (
        "from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.DATABASE_ROUTERS)"
    )
    env = {**PRODUCTION_ENV, **extra}
    result = _run_manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def no_replica_in_environment(monkeypatch):
    for name in ("DATABASE_REPLICA_URL", "DATABASE_CONN_MAX_AGE", "DATABASE_CONN_HEALTH_CHECKS"):
        monkeypatch.delenv(name, raising=False)


def test_production_without_a_replica_uses_persistent_health_checked_connections(no_replica_in_environment):
    assert _production_databases() == "['default'] 60 True ['supportpath.core.db_routing.ReplicaRouter']"


def test_production_with_a_replica_names_it_and_reads_the_connection_settings(no_replica_in_environment, tmp_path):
    line = _production_databases(
        DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        DATABASE_CONN_MAX_AGE="120",
        DATABASE_CONN_HEALTH_CHECKS="false",
    )
    assert line == "['default', 'replica'] 120 False ['supportpath.core.db_routing.ReplicaRouter']"


def test_every_database_variable_is_documented():
    text = (Path(__file__).resolve().parents[3] / "docs" / "environment.md").read_text()
    for name in ("DATABASE_REPLICA_URL", "DATABASE_CONN_MAX_AGE", "DATABASE_CONN_HEALTH_CHECKS"):
        assert f"`{name}`" in text
