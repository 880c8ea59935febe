# The doctor's employer kept on each request, for the responsible officer's list (docs/scale.md): the column,
# filled for every existing request from the doctor's profile (one UPDATE, on SQLite and PostgreSQL alike),
# then its index.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    DoctorProfile = apps.get_model("accounts", "DoctorProfile")
    SupportRequest.objects.update(
        doctor_employer_id=models.Subquery(
            DoctorProfile.objects.filter(pk=models.OuterRef("doctor_id")).values("employer_id")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_preferred_contact_times"),
        ("referrals", "0006_signposted_route"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="doctor_employer",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(fields=["doctor_employer", "doctor"], name="request_doctor_employer"),
        ),
    ]
