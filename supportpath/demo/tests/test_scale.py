"""The national-scale seed (``seed_scale``): PostgreSQL only, a valid access-log chain, ciphertext the app reads,
and every benchmarked page costing on the seeded data exactly the queries it costs on the demo alone."""

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from supportpath.accounts.models import DoctorProfile, User
from supportpath.audit.chain import verify_chain
from supportpath.demo.copy import text_of
from supportpath.demo.scale import Sizes
from supportpath.demo.scale_pages import FLOOR_PATH, key_pages
from supportpath.pathway.models import SupportSession
from supportpath.plans.models import PlanVersion
from supportpath.testing.auth import login_as

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_scale writes with COPY")


def test_values_are_written_in_copys_text_format():
    assert text_of(None) == "\\N"
    assert text_of(True) == "t" and text_of(False) == "f"
    assert text_of("a\tb\nc\\d\r") == "a\\tb\\nc\\\\d\\r"
    assert text_of(dt.date(2026, 3, 1)) == "2026-03-01"
    assert text_of({"b": 1, "a": [1, 2]}) == '{"a": [1, 2], "b": 1}'
    token = uuid.uuid4()
    assert text_of(token) == str(token)


def test_the_sizes_keep_design_ratios():
    sizes = Sizes.for_doctors(300_000)
    assert (sizes.requests, sizes.sessions, sizes.access_rows) == (200_000, 1_200_000, 10_000_000)
    assert Sizes.for_doctors(30_000, access_rows=5).access_rows == 5


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
def test_seed_scale_refuses_sqlite_clearly():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", "--doctors", "300", stdout=StringIO(), stderr=StringIO())


def _counts() -> dict[str, int]:
    counts = {}
    clients: dict[str, Client] = {}
    for page in [*key_pages(), None]:
        email = page.email if page else "case.manager@northmoor.example.test"
        path = page.path if page else FLOOR_PATH
        client = clients.get(email) or login_as(Client(), User.objects.get(email=email))
        clients[email] = client
        assert client.get(path).status_code == 200, path  # the first load of the day logs the list's sightings
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts[page.name if page else "floor"] = len(captured)
    return counts


@needs_postgres
@pytest.mark.django_db
def test_a_small_national_seed_is_valid_and_every_page_costs_what_it_costs_on_the_demo():
    call_command("seed_demo", stdout=StringIO())
    on_demo = _counts()
    out, err = StringIO(), StringIO()
    call_command("seed_scale", "--doctors", "600", "--access-rows", "5000", stdout=out, stderr=err)
    assert "National-scale data added" in out.getvalue() and "%" in err.getvalue()  # the progress bar
    assert DoctorProfile.objects.count() > 600
    result = verify_chain()
    assert result.intact and result.rows > 5000
    # Real ciphertext, read through the model as the app reads it.
    session = SupportSession.objects.filter(facilitator__email__endswith="scale.example.test").first()
    assert session.shared_summary.startswith("We talked")
    doctor = DoctorProfile.objects.filter(user__email__endswith="scale.example.test").first()
    assert DoctorProfile.objects.with_gmc_number(doctor.gmc_number).get() == doctor
    assert PlanVersion.objects.order_by("-id").first().content["goals"]
    assert _counts() == on_demo
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_scale", "--doctors", "600", stdout=StringIO(), stderr=StringIO())
