# The exit feedback moved here from progress without touching the database: its table keeps the name progress
# made it with (progress_exitfeedback), and only Django's picture of the models changes (state_operations).
# progress.0006 removes it from progress's picture after this adds it here.

import django.db.models.deletion
from django.db import migrations, models

import supportpath.core.encryption


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0005_case_list_indexes"),
        ("progress", "0005_review_versions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExitFeedback",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("what_changed", supportpath.core.encryption.EncryptedTextField(blank=True)),
                        ("answers", models.JSONField(default=dict)),
                        (
                            "peer_supporter",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("yes", "Yes, please get in touch"),
                                    ("later", "Maybe later"),
                                    ("no", "No, thank you"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("team_may_read", models.BooleanField(default=True)),
                        ("given_at", models.DateTimeField(auto_now=True)),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="exit_feedback",
                                to="casework.case",
                            ),
                        ),
                    ],
                    options={"db_table": "progress_exitfeedback"},
                ),
            ],
            database_operations=[],
        ),
    ]
