"""Give every existing support service one catalogue entry of each of the twelve types (safe to re-run).
New services get theirs from ``supportpath.plans.services.seed_interventions``."""

from django.db import migrations

SERVICE_KINDS = ("regional_psu", "independent")


def seed(apps, schema_editor):
    from supportpath.plans.models import InterventionType
    from supportpath.plans.services import SEED_DESCRIPTIONS

    Organisation = apps.get_model("accounts", "Organisation")
    Intervention = apps.get_model("plans", "Intervention")
    for service in Organisation.objects.filter(kind__in=SERVICE_KINDS):
        for kind in InterventionType:
            Intervention.objects.get_or_create(
                service=service, name=kind.label, defaults={"type": kind.value, "description": SEED_DESCRIPTIONS[kind]}
            )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
