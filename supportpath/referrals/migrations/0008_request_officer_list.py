# The responsible officer's list kept on each request (docs/scale.md): the doctor's name and whether the officer
# may see it (mandated, or shared with the officer or employer), filled for every existing request (one UPDATE
# each, on SQLite and PostgreSQL alike). The partial index the list reads in order is 0009, in a transaction of
# its own: PostgreSQL will not build an index on a table with deferred foreign-key checks still pending.

from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    DoctorProfile = apps.get_model("accounts", "DoctorProfile")
    Grant = apps.get_model("sharing", "Grant")
    SupportRequest.objects.update(
        doctor_name=models.functions.Coalesce(
            models.Subquery(
                DoctorProfile.objects.filter(pk=models.OuterRef("doctor_id")).values("user__full_name")[:1]
            ),
            models.Value(""),
        )
    )
    shared = Grant.objects.filter(audience__in=["responsible_officer", "employer"]).values("agreement__request_id")
    SupportRequest.objects.filter(models.Q(mandated=True) | models.Q(pk__in=shared)).update(visible_to_officer=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_membership_organisation_role"),
        ("referrals", "0007_request_doctor_employer"),
        ("sharing", "0003_questionnaire_scores_item"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="doctor_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=150),
        ),
        migrations.AddField(
            model_name="supportrequest",
            name="visible_to_officer",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
