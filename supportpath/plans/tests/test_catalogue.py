"""The interventions catalogue: what it is seeded with, its words for doctors reaching the doctor's plan and PDF
as they were when the plan was saved, and one entry per "add" however often it is sent."""

import datetime as dt
import importlib
import io
import uuid

import pytest
import time_machine
from django.apps import apps as django_apps
from django.urls import reverse
from pypdf import PdfReader

from supportpath.accounts.models import Role
from supportpath.plans import services
from supportpath.plans.models import Intervention, InterventionType, PlanVersion
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .test_plans import LEVELS, management

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
COACHING_WORDS = services.SEED_CATALOGUE[InterventionType.COACHING].description


@pytest.fixture
def catalogue(world):
    services.seed_interventions(world.service)
    return Intervention.objects.filter(service=world.service)


@pytest.fixture
def admin(world):
    return f.MembershipFactory(organisation=world.service, role=Role.SERVICE_ADMIN).user


def plan_form(catalogue, **overrides):
    coaching = catalogue.get(type=InterventionType.COACHING)
    data = {
        "edit_count": "0",
        "submission_token": str(uuid.uuid4()),
        "review_dates": "15/01/2027",
        "in_my_control": "",
        "outside_my_control": "",
        **management("goals", 1),
        "goals-0-text": "Lead the ward round with confidence",
        "goals-0-importance": "2",
        "goals-0-difficulty": "2",
        "goals-0-baseline": "-1",
        **{f"goals-0-{key}": value for key, value in LEVELS.items()},
        **management("interventions", 1),
        "interventions-0-intervention": str(coaching.pk),
        "interventions-0-note": "",
        **management("milestones", 0),
    }
    data.update(overrides)
    return data


def test_every_seeded_entry_has_a_provider_and_words_for_doctors(world):
    services.seed_interventions(world.service)
    entries = Intervention.objects.filter(service=world.service)
    assert entries.count() == 12
    for entry in entries:
        assert entry.provider, entry.name
        assert 80 < len(entry.description) <= 1000, entry.name
    coaching = entries.get(type=InterventionType.COACHING)
    assert coaching.provider == "The unit's coaching team"


def test_the_migration_fills_in_seeded_entries_but_keeps_what_a_service_admin_wrote(world):
    migration = importlib.import_module("supportpath.plans.migrations.0005_seed_providers_and_descriptions")
    as_first_seeded = Intervention.objects.create(
        service=world.service,
        type=InterventionType.COACHING,
        name="Coaching",
        description=migration.FIRST_SEED["coaching"],
    )
    rewritten = Intervention.objects.create(
        service=world.service,
        type=InterventionType.MENTORING,
        name="Mentoring",
        provider="Dr Fictional's scheme",
        description="Our own words.",
    )
    migration.fill_in(django_apps, None)
    as_first_seeded.refresh_from_db()
    rewritten.refresh_from_db()
    assert as_first_seeded.provider == "The unit's coaching team"
    assert as_first_seeded.description == COACHING_WORDS
    assert (rewritten.provider, rewritten.description) == ("Dr Fictional's scheme", "Our own words.")


@time_machine.travel(NOW, tick=False)
def test_the_doctor_reads_the_description_as_it_was_when_the_plan_was_agreed(client, world, catalogue):
    login_as(client, world.case_manager)
    assert client.post(reverse("plans:edit_plan", args=[world.case.pk]), plan_form(catalogue)).status_code == 302
    version = PlanVersion.objects.get()
    assert version.content["interventions"][0]["description"] == COACHING_WORDS
    assert version.content["interventions"][0]["provider"] == "The unit's coaching team"
    services.share_with_doctor(world.case, by=world.case_manager)
    services.agree(world.case, number=version.number)

    # The service admin rewrites the catalogue entry later: the agreed plan still reads as agreed.
    catalogue.filter(type=InterventionType.COACHING).update(description="Completely different words.")
    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "A trained coach helps you think through what you would like to change" in page
    assert "Who provides it: The unit&#39;s coaching team" in page
    assert "Completely different words." not in page

    response = client.get(reverse("plans:my_plan_pdf", args=[world.case.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Who provides it: The unit's coaching team" in text
    assert "A trained coach helps you think through what you would like" in " ".join(text.split())
    assert "Completely different words." not in text

    login_as(client, world.case_manager)
    page = client.get(reverse("plans:plan_detail", args=[world.case.pk])).content.decode()
    assert "A trained coach helps you think through" in page


def test_a_plan_saved_before_descriptions_were_kept_still_shows(client, world, catalogue):
    coaching = catalogue.get(type=InterventionType.COACHING)
    version = f.agreed_plan(world.case, by=world.case_manager)
    content = version.content
    content["interventions"] = [
        {"intervention_id": coaching.pk, "type": "coaching", "name": "Coaching", "provider": "", "note": "Monthly"}
    ]
    PlanVersion.objects.filter(pk=version.pk).update(content=content)
    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "<strong>Coaching</strong>. Monthly" in page
    assert "Who provides it" not in page
    assert COACHING_WORDS not in page
    assert client.get(reverse("plans:my_plan_pdf", args=[world.case.pk])).status_code == 200


def test_a_new_version_with_new_catalogue_words_tells_the_doctor(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    client.post(url, plan_form(catalogue))
    services.share_with_doctor(world.case, by=world.case_manager)
    services.agree(world.case, number=1)
    catalogue.filter(type=InterventionType.COACHING).update(description="Six conversations with a coach.")
    client.post(url, plan_form(catalogue, edit_count=str(services.edit_count(world.case))))
    services.share_with_doctor(world.case, by=world.case_manager)
    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "Changed the description of Coaching" in page
    assert "Six conversations with a coach." in page
