# The request's service kept on each case (docs/scale.md): the column, filled for every existing case from its
# request (one UPDATE, on SQLite and PostgreSQL alike). Its indexes are 0007, in a transaction of their own:
# PostgreSQL will not build an index on a table with deferred foreign-key checks still pending.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    Case.objects.update(
        service_id=models.Subquery(SupportRequest.objects.filter(pk=models.OuterRef("request_id")).values("service_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_membership_organisation_role"),
        ("casework", "0005_case_list_indexes"),
        ("referrals", "0009_request_officer_list_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="service",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
