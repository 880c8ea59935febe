"""Optional equality monitoring answers. Kept apart from the profile, never shown on a case, and used only in
disclosure-controlled totals to check that every group of doctors can reach support."""

from django import forms

from .models import PREFER_NOT_TO_SAY, DoctorProfile, EqualityMonitoring

PREFER = (PREFER_NOT_TO_SAY, "Prefer not to say")
AGE_BANDS = [
    ("under_25", "Under 25"),
    ("25_to_35", "25 to 35"),
    ("36_to_45", "36 to 45"),
    ("46_to_55", "46 to 55"),
    ("56_to_65", "56 to 65"),
    ("66_and_over", "66 and over"),
    PREFER,
]
GENDERS = [("female", "Female"), ("male", "Male"), ("another", "In another way"), PREFER]
ETHNIC_GROUPS = [
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("white", "White"),
    ("other", "Other ethnic group"),
    PREFER,
]
DISABILITY = [("yes", "Yes"), ("no", "No"), PREFER]


def _choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        initial=PREFER_NOT_TO_SAY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select an answer, or 'Prefer not to say'",
            "invalid_choice": "Select one of the answers",
        },
    )


class EqualityForm(forms.Form):
    age_band = _choice("Your age", AGE_BANDS)
    gender = _choice("How do you describe your gender?", GENDERS)
    ethnic_group = _choice("Your ethnic group", ETHNIC_GROUPS)
    disability = _choice("Do you consider yourself to have a disability or long-term condition?", DISABILITY)


def save_answers(doctor: DoctorProfile, answers: dict) -> EqualityMonitoring:
    record, _ = EqualityMonitoring.objects.update_or_create(doctor=doctor, defaults=answers)
    return record


def current_answers(doctor: DoctorProfile) -> dict:
    record = EqualityMonitoring.objects.filter(doctor=doctor).first()
    if record is None:
        return {}
    return {name: getattr(record, name) for name in ("age_band", "gender", "ethnic_group", "disability")}
