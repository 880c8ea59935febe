# Each service's waiting list oldest first, and each case manager's open cases in a service, by the service kept
# on the case (0006; docs/scale.md). The waiting list's index now leads with the service.
#
# On PostgreSQL, statistics on the three columns together: most open cases have no facilitator yet, and without
# them the planner multiplies the three conditions' shares as if they were independent, expects a service's
# waiting list to be 63 cases where Northmoor has 975 at full size, and sorts them all instead of reading the
# first 100 in the index's order.

from django.db import migrations, models

STATISTICS = "case_waiting_stats"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) ON service_id, facilitator_id, stage FROM casework_case"
        )
        schema_editor.execute("ANALYZE casework_case")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0006_case_service"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_waiting_for_facilitator"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("facilitator__isnull", True), models.Q(("stage", "closed"), _negated=True)),
                fields=["service", "opened_at", "id"],
                name="case_service_waiting",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("stage", "closed"), _negated=True),
                fields=["service", "case_manager", "id"],
                name="case_service_open",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
