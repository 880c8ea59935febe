# The exit feedback is the closure app's now (closure.0001): its table stays as it is, so this only removes the
# model from progress's picture of its models (state_operations), with no SQL.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0005_review_versions"),
        ("closure", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExitFeedback")],
            database_operations=[],
        ),
    ]
