"""Load the shipped questionnaire definitions (supportpath/measures/definitions/) into the database, so they
are there from the first request. A version added to the repository later is loaded the first time it is
needed (``catalogue.ensure_shipped``); this migration reads the files as they are when it runs."""

import json
from pathlib import Path

from django.db import migrations

DEFINITIONS = Path(__file__).resolve().parent.parent / "definitions"
KEYS = ("who-5", "phq-9", "gad-7", "gse", "check-in")


def load(apps, schema_editor):
    Questionnaire = apps.get_model("measures", "Questionnaire")
    rows = []
    for key in KEYS:
        definition = json.loads((DEFINITIONS / f"{key}.json").read_text(encoding="utf-8"))
        rows.append(
            Questionnaire(key=key, version=definition["version"], title=definition["title"], definition=definition)
        )
    Questionnaire.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
