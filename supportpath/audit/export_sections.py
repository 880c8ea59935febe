"""The audit app's own sections of "Download my data": the doctor's details and who has seen their record.
Registered in AuditConfig.ready(); every other app registers its own sections (its ``export.py``) in its ready()."""

from supportpath.accounts.equality import AGE_BANDS, DISABILITY, ETHNIC_GROUPS, GENDERS
from supportpath.accounts.models import DoctorProfile

from .data_export import register_section
from .models import AccessRecord
from .presenters import action_label


def profile(doctor: DoctorProfile) -> dict:
    user = doctor.user
    data = {
        "name": user.full_name,
        "email": user.email,
        "gmc_reference_number": doctor.gmc_number,
        "career_stage": doctor.get_career_stage_display(),
        "contract": doctor.get_contract_type_display(),
        "specialty": doctor.specialty,
        "primary_medical_qualification": doctor.get_qualification_region_display(),
        "employer": doctor.employer.name if doctor.employer else "",
        "phone": doctor.phone,
        "preferred_times_to_be_contacted": doctor.preferred_contact_times,
        "account_created": user.date_joined,
    }
    equality = getattr(doctor, "equality", None)
    if equality is not None:

        def label(choices, value: str) -> str:
            return dict(choices).get(value, value)

        data["equality_monitoring"] = {
            "your_age": label(AGE_BANDS, equality.age_band),
            "your_gender": label(GENDERS, equality.gender),
            "your_ethnic_group": label(ETHNIC_GROUPS, equality.ethnic_group),
            "disability_or_long_term_condition": label(DISABILITY, equality.disability),
        }
    return data


def access_log(doctor: DoctorProfile) -> list[dict]:
    return [
        {
            "when": record.at,
            "who": record.actor_name,
            "role": record.actor_role,
            "organisation": record.actor_organisation,
            "action": action_label(record),
            "what": record.what,
            "why": record.purpose,
        }
        for record in AccessRecord.objects.filter(doctor=doctor).order_by("at", "id").iterator()
    ]


def register_all() -> None:
    register_section("profile", "Your details", profile, order=10)
    register_section("access-log", "Who has seen your record", access_log, order=100)
