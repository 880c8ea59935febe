"""What the account pages show, turned from models into rows."""

from dataclasses import dataclass

from .models import DoctorProfile

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class DetailRow:
    label: str
    value: str
    slug: str  # the "Change" page (accounts.forms.DETAIL_FORMS)
    change_text: str  # what the hidden part of the "Change" link says, for screen readers


def doctor_details(profile: DoctorProfile) -> list[DetailRow]:
    employer = profile.employer.name if profile.employer_id else "Not listed, or I work as a locum"
    return [
        DetailRow("Career stage", profile.get_career_stage_display() or NOT_GIVEN, "career-stage", "career stage"),
        DetailRow("Contract", profile.get_contract_type_display() or NOT_GIVEN, "contract", "contract"),
        DetailRow("Specialty", profile.specialty or NOT_GIVEN, "specialty", "specialty"),
        DetailRow(
            "Primary medical qualification",
            profile.get_qualification_region_display() or NOT_GIVEN,
            "primary-medical-qualification",
            "where you gained your primary medical qualification",
        ),
        DetailRow("Where you work", employer, "employer", "where you work"),
        DetailRow("Phone number", profile.phone or NOT_GIVEN, "phone", "phone number"),
        DetailRow(
            "Preferred times to be contacted",
            profile.preferred_contact_times or NOT_GIVEN,
            "preferred-contact-times",
            "preferred times to be contacted",
        ),
    ]
