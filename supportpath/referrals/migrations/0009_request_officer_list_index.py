# The responsible officer's list in its order: the employer's visible requests by the doctor's name, newest first
# (docs/scale.md). Apart from 0008, whose UPDATEs leave deferred foreign-key checks pending until it commits.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0008_request_officer_list"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(
                condition=models.Q(("visible_to_officer", True)),
                fields=["doctor_employer", "doctor_name", "-submitted_at", "id"],
                name="request_officer_list",
            ),
        ),
    ]
