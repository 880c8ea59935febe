"""The demo, seeded once for this whole package inside a transaction rolled back at the end, with the clock
stopped at ``SEEDED_AT``. Every test here is marked ``django_db``, so what a test writes is rolled back when it
ends and the next finds the demo as seeded. Under pytest-xdist the root conftest.py keeps this package on one
worker, so the demo is seeded once per run, not once per module."""

from dataclasses import dataclass
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from ..conftest import SEEDED_AT, TODAY

__all__ = ["SEEDED_AT", "TODAY", "Seeded"]


@dataclass
class Seeded:
    output: str
    # Everything queued for after the commit while seeding: email goes out that way, and the demo sends none.
    after_commit: list


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(SEEDED_AT, tick=False), transaction.atomic():
        out = StringIO()
        with mock.patch("django.db.transaction.on_commit") as on_commit:
            call_command("seed_demo", stdout=out)
        yield Seeded(out.getvalue(), on_commit.call_args_list)
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def output(seeded):
    return seeded.output
