"""Who is in the demo: the organisations, the staff in every role, and the doctors a newcomer can sign in as.

All invented. Organisation names end in "(demo)"; every email address is on ``example.test``, a domain
reserved for testing (RFC 2606 and RFC 6761); phone numbers are in the range Ofcom keeps for drama
(07700 900000 to 07700 900999); GMC reference numbers are in 99xxxxx, far beyond any number issued.
"""

from dataclasses import dataclass

from supportpath.accounts.models import CareerStage, ContractType, OrganisationKind, QualificationRegion, Role
from supportpath.casework.models import Stage
from supportpath.referrals.models import HandoverDestination, Reason, Route, Status

from . import wording

# One password for every demo sign-in, printed by the command and in the README. It meets the password
# validators (12 or more characters, not a common password, not like the email addresses below).
DEMO_PASSWORD = "demo-password-2026"
DEMO_EMAIL_DOMAIN = "example.test"
DOCTOR_COUNT = 200  # the named doctors included
GMC_NAMED_START = 9_900_001
GMC_GENERATED_START = 9_900_101


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: str
    served_by: str | None = None


ORGANISATIONS = [
    OrganisationSpec("psu", "Northmoor Regional Professional Support Unit (demo)", OrganisationKind.REGIONAL_PSU),
    OrganisationSpec(
        "royal", "Northmoor Royal Infirmary NHS Foundation Trust (demo)", OrganisationKind.ACUTE_TRUST, "psu"
    ),
    OrganisationSpec("ashby", "Ashby Vale Hospitals NHS Trust (demo)", OrganisationKind.ACUTE_TRUST, "psu"),
    OrganisationSpec("kestrel", "Kestrel Lane Surgery (demo)", OrganisationKind.GP_PRACTICE, "psu"),
    # A second, separate service: its case manager sees only its own requests.
    OrganisationSpec("southfen", "Southfen Doctors' Support Service (demo)", OrganisationKind.REGIONAL_PSU),
    OrganisationSpec(
        "southfen_trust", "Southfen General Hospital NHS Trust (demo)", OrganisationKind.ACUTE_TRUST, "southfen"
    ),
]
DEMO_SERVICE_NAME = ORGANISATIONS[0].name


@dataclass(frozen=True)
class PersonSpec:
    key: str
    full_name: str
    email: str
    role: str
    organisation: str
    job_title: str = ""


STAFF = [
    PersonSpec("case_manager", "Rowan Fairweather", "case.manager@northmoor.example.test", Role.CASE_MANAGER, "psu"),
    PersonSpec("case_manager_2", "Imran Castlegate", "case.manager2@northmoor.example.test", Role.CASE_MANAGER, "psu"),
    PersonSpec("coach", "Dr Helena Brightwater", "coach@northmoor.example.test", Role.FACILITATOR, "psu", "Coach"),
    PersonSpec("mentor", "Dr Kofi Amberley", "mentor@northmoor.example.test", Role.FACILITATOR, "psu", "Mentor"),
    PersonSpec(
        "wellbeing",
        "Sian Rookwood",
        "wellbeing@northmoor.example.test",
        Role.FACILITATOR,
        "psu",
        "Well-being practitioner",
    ),
    PersonSpec(
        "careers", "Mei Harrowgate", "careers@northmoor.example.test", Role.FACILITATOR, "psu", "Careers adviser"
    ),
    PersonSpec("service_admin", "Pat Quillon", "admin@northmoor.example.test", Role.SERVICE_ADMIN, "psu"),
    PersonSpec(
        "evaluator",
        "Dr Noor Ellingham",
        "evaluator@northmoor.example.test",
        Role.EVALUATOR,
        "psu",
        "Service improvement lead",
    ),
    PersonSpec(
        "supervisor",
        "Dr Gareth Winterbourne",
        "supervisor@royal.example.test",
        Role.REFERRER,
        "royal",
        "Educational supervisor",
    ),
    PersonSpec(
        "responsible_officer",
        "Dr Olufemi Stanway",
        "ro@royal.example.test",
        Role.RESPONSIBLE_OFFICER,
        "royal",
        "Medical director and responsible officer",
    ),
    PersonSpec(
        "clinical_director",
        "Dr Amara Fellgate",
        "clinical.director@ashby.example.test",
        Role.REFERRER,
        "ashby",
        "Clinical director",
    ),
    PersonSpec(
        "tpd",
        "Dr Lucy Penhallow",
        "tpd@ashby.example.test",
        Role.REFERRER,
        "ashby",
        "Training programme director",
    ),
    PersonSpec(
        "occupational_health",
        "Dr Tariq Holmwood",
        "oh@ashby.example.test",
        Role.REFERRER,
        "ashby",
        "Occupational health physician",
    ),
    PersonSpec(
        "appraiser", "Dr Felicity Marchbank", "appraiser@kestrel.example.test", Role.REFERRER, "kestrel", "Appraiser"
    ),
    PersonSpec(
        "other_case_manager",
        "Tamsin Holloway",
        "case.manager@southfen.example.test",
        Role.CASE_MANAGER,
        "southfen",
    ),
]
STAFF_BY_KEY = {person.key: person for person in STAFF}
CASE_MANAGERS_BY_SERVICE = {"psu": ["case_manager", "case_manager_2"], "southfen": ["other_case_manager"]}
FACILITATOR_FOR_REASON = {
    Reason.MENTAL_HEALTH: "wellbeing",
    Reason.CAREER: "careers",
    Reason.EXAMINATIONS: "mentor",
    Reason.RETURN_TO_WORK: "mentor",
}
REFERRERS_BY_ROUTE = {
    Route.SUPERVISOR: ["supervisor", "clinical_director", "tpd"],
    Route.APPRAISER: ["appraiser"],
    Route.RESPONSIBLE_OFFICER: ["responsible_officer"],
    Route.OCCUPATIONAL_HEALTH: ["occupational_health"],
}


@dataclass
class DoctorSpec:
    key: str
    full_name: str
    email: str
    gmc_number: str
    career_stage: str
    contract_type: str
    specialty: str
    qualification_region: str
    employer: str
    phone: str
    equality: dict[str, str] | None  # None: answered none of the equality questions
    can_sign_in: bool = False
    note: str = ""  # for the named doctors: where they are on the path, printed with their sign-in


@dataclass
class RequestSpec:
    """One support request as the demo wants it; dates are worked out from the day of seeding."""

    doctor_key: str
    route: str
    reasons: list[str]
    status: str
    days_ago: int
    urgent: bool = False
    referrer: str | None = None
    comment: str = ""
    handed_over_to: str = ""
    case_stage: str = ""  # for accepted or closed requests that became a case
    seen_by_doctor: bool | None = None  # for referrals still waiting: None lets the generator decide


# The doctors a newcomer can sign in as, each at a different point on the path.
NAMED_DOCTORS = [
    DoctorSpec(
        "priya",
        "Dr Priya Larkspur",
        "priya.larkspur@doctors.example.test",
        str(GMC_NAMED_START),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "Anaesthetics",
        QualificationRegion.UK,
        "royal",
        "07700 900001",
        {"age_band": "25_to_35", "gender": "female", "ethnic_group": "asian", "disability": "no"},
        can_sign_in=True,
        note="asked for support; waiting for first contact",
    ),
    DoctorSpec(
        "tom",
        "Dr Tom Heatherley",
        "tom.heatherley@doctors.example.test",
        str(GMC_NAMED_START + 1),
        CareerStage.SAS,
        ContractType.SAS,
        "General medicine",
        QualificationRegion.INTERNATIONAL,
        "ashby",
        "07700 900002",
        {"age_band": "46_to_55", "gender": "male", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="referred by a clinical director; has not yet read the referral",
    ),
    DoctorSpec(
        "grace",
        "Dr Grace Adeyemi-Marsh",
        "grace.adeyemi-marsh@doctors.example.test",
        str(GMC_NAMED_START + 2),
        CareerStage.CONSULTANT,
        ContractType.CONSULTANT,
        "Paediatrics",
        QualificationRegion.UK,
        "royal",
        "07700 900003",
        {"age_band": "36_to_45", "gender": "female", "ethnic_group": "black", "disability": "prefer_not_to_say"},
        can_sign_in=True,
        note="referred by occupational health; accepted, support under way",
    ),
    DoctorSpec(
        "jonas",
        "Dr Jonas Wexcombe",
        "jonas.wexcombe@doctors.example.test",
        str(GMC_NAMED_START + 3),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "General practice",
        QualificationRegion.EEA,
        "kestrel",
        "07700 900004",
        None,
        can_sign_in=True,
        note="asked for support; handed over to Practitioner Health",
    ),
]
NAMED_REQUESTS = [
    RequestSpec("priya", Route.SELF, [Reason.MENTAL_HEALTH, Reason.CONFIDENCE], Status.RECEIVED, days_ago=2),
    RequestSpec(
        "tom",
        Route.SUPERVISOR,
        [Reason.PERFORMANCE],
        Status.RECEIVED,
        days_ago=3,
        referrer="clinical_director",
        seen_by_doctor=False,
    ),
    RequestSpec(
        "grace",
        Route.OCCUPATIONAL_HEALTH,
        [Reason.RETURN_TO_WORK],
        Status.ACCEPTED,
        days_ago=40,
        referrer="occupational_health",
        comment=wording.DOCTOR_COMMENTS[3],
        case_stage=Stage.SUPPORT,
    ),
    RequestSpec(
        "jonas",
        Route.SELF,
        [Reason.MENTAL_HEALTH],
        Status.HANDED_OVER,
        days_ago=21,
        handed_over_to=HandoverDestination.PRACTITIONER_HEALTH,
    ),
]

# Invented names: common first names from many backgrounds with made-up, place-like surnames.
FIRST_NAMES = [
    "Aisha", "Alex", "Amir", "Anna", "Ayo", "Beatriz", "Ben", "Chen", "Chloe", "Daniel", "Deepa", "Eilidh",
    "Elena", "Emeka", "Farah", "Finn", "Hannah", "Hamza", "Ines", "Isaac", "Jack", "Jia", "Kavya", "Kwame",
    "Laura", "Leila", "Liam", "Lucia", "Maria", "Mateusz", "Mohammed", "Nadia", "Nikhil", "Olivia", "Omar",
    "Ravi", "Rhys", "Ruth", "Sam", "Sana", "Sofia", "Tariq", "Yusuf", "Zara", "Zoe",
]  # fmt: skip
SURNAMES = [
    "Ambledown", "Ashcombe", "Birchmere", "Brackenfold", "Caddington", "Coldharbour", "Daleworth", "Elmstead",
    "Fairholme", "Fenwhistle", "Foxborough", "Glenmarsh", "Greywell", "Hallowdene", "Hartleigh", "Hollybank",
    "Ivybridgeham", "Kingsmere", "Larchcombe", "Lowestead", "Marrowdale", "Millbrae", "Netherwick", "Oakhollow",
    "Pennistone", "Quarrendon", "Redlynch", "Rookhurst", "Saltmarsh", "Sedgebrook", "Thornwick", "Underhill",
    "Wexley", "Whinmoor", "Willowmere", "Yarnfield",
]  # fmt: skip
