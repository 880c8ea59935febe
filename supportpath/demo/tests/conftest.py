"""The demo, seeded once per test module inside a transaction rolled back at the end, with the clock stopped on a
Wednesday so the dates are the same every run."""

import datetime as dt
from dataclasses import dataclass
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

SEEDED_AT = dt.datetime(2026, 3, 11, 10, 30, tzinfo=dt.UTC)  # a Wednesday in term time
TODAY = dt.date(2026, 3, 11)


@dataclass
class Seeded:
    output: str
    # Everything queued for after the commit while seeding: email goes out that way, and the demo sends none.
    after_commit: list


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(SEEDED_AT, tick=False), transaction.atomic():
        out = StringIO()
        with mock.patch("django.db.transaction.on_commit") as on_commit:
            call_command("seed_demo", stdout=out)
        yield Seeded(out.getvalue(), on_commit.call_args_list)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def output(seeded):
    return seeded.output
