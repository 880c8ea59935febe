"""Give the catalogue entries every service was first seeded with a provider and fuller words for doctors.

Only entries still as they were seeded are changed: a provider left empty is filled in, and a description is
replaced only if it is still the first seed's text word for word, so anything a service admin wrote stays.
Plans already saved keep their own snapshot and read as they were agreed."""

from django.db import migrations

# The descriptions the first seed (0002) gave, word for word.
FIRST_SEED = {
    "coaching": "Conversations with a trained coach to help you find your own way forward.",
    "mentoring": "Regular time with an experienced doctor who shares what they have learned.",
    "supervised_practice": "Time working alongside a supervisor, with feedback as you go.",
    "training_course": "A course to build a particular skill or area of knowledge.",
    "clinical_placement": "A period of work in another setting to gain experience.",
    "occupational_health": "Advice from occupational health about your health and your work.",
    "careers_advice": "Time with a careers adviser to think about your options.",
    "exam_support": "Help preparing for an exam, including study planning and practice.",
    "communication_skills": "Practice and feedback on talking with patients and colleagues.",
    "wellbeing": "Confidential psychological and well-being support.",
    "peer_group": "A group of doctors who meet to support each other.",
    "return_to_work": "A planned, gradual return to work or training after time away.",
}


def fill_in(apps, schema_editor):
    from supportpath.plans.models import InterventionType
    from supportpath.plans.services import SEED_CATALOGUE

    Intervention = apps.get_model("plans", "Intervention")
    for kind in InterventionType:
        entry = SEED_CATALOGUE[kind]
        seeded = Intervention.objects.filter(type=kind.value, name=kind.label)
        seeded.filter(provider="").update(provider=entry.provider)
        seeded.filter(description=FIRST_SEED[kind.value]).update(description=entry.description)


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_submission_tokens")]

    operations = [migrations.RunPython(fill_in, migrations.RunPython.noop)]
