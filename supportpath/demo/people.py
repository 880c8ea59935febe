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
# The generated doctors are always these 196, however many doctors are named: a named doctor added later joins
# them rather than taking a generated doctor's place, so a database seeded before keeps every doctor it had.
GENERATED_DOCTOR_COUNT = 196
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
        "practice_manager",
        "Joanna Threlkeld",
        "practice.manager@kestrel.example.test",
        Role.ORGANISATION_LEAD,
        "kestrel",
        "Practice manager",
    ),
    PersonSpec(
        "other_case_manager",
        "Tamsin Holloway",
        "case.manager@southfen.example.test",
        Role.CASE_MANAGER,
        "southfen",
    ),
    PersonSpec(
        "wellbeing_lead",
        "Dr Nia Calloway",
        "wellbeing.lead@royal.example.test",
        Role.ORGANISATION_LEAD,
        "royal",
        "Well-being lead",
    ),
]
STAFF_BY_KEY = {person.key: person for person in STAFF}
# What each member of staff finds on their first page, printed with their sign-in.
STAFF_NOTES = {
    "case_manager": "inbox with an emergency-access alert; cases, waiting list, peer supporters and a peer group",
    "coach": "Dr Esther Fairbourne's case offered to answer, with an introduction to record first",
    "mentor": "Dr Kenji Halloran's case offered to answer; runs a peer group (a doctor asking to join)",
    "service_admin": "Staff: a case manager who left, their cases moved; an invitation waiting; a request to erase a "
    "record to decide; two past emergency accesses",
    "evaluator": "lands on How the service is doing: two years of history, equity of access (international "
    "graduates flagged), capacity and the board report (PDF); the programme theory: CMOCs borne out, questioned "
    "and lacking data; a research export",
    "supervisor": "referrals received, in support and closed; Dr Rafael Quintero shares his goals",
    "responsible_officer": "doctors who share, and formal processes such as Dr Stefan Albury's",
    "other_case_manager": "sees only the Southfen service's requests",
    "practice_manager": "the practice's two peer-support checks: the profile, ideas for weak forms, the change",
    "wellbeing_lead": "two culture-pulse waves with results and the change between them; the self-assessment "
    "against the guide and its action plan in progress; the summary for the board (and its PDF)",
    "appraiser": "referrals made at appraisal; a signpost to support (Signposts, at /signposts/)",
}
CASE_MANAGERS_BY_SERVICE = {"psu": ["case_manager", "case_manager_2"], "southfen": ["other_case_manager"]}
FACILITATOR_FOR_REASON: dict[str, str] = {
    Reason.MENTAL_HEALTH: "wellbeing",
    Reason.CAREER: "careers",
    Reason.EXAMINATIONS: "mentor",
    Reason.RETURN_TO_WORK: "mentor",
}
REFERRERS_BY_ROUTE: dict[str, list[str]] = {
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
    # For the doctors whose whole journey is written out (journeys.py): when they asked, in working days before
    # the day of seeding (instead of days_ago), and how many working days later the unit first got in touch.
    working_days_ago: int | None = None
    first_contact_after: int | None = None


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
        note="referred by occupational health; in support, can try changing facilitator once; has a peer supporter",
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


# One doctor at each point on the path where a newcomer has something to try. Their records are written out
# step by step in journeys.py (not drawn like the others'), so each is exactly where its note says.
JOURNEY_DOCTORS = [
    DoctorSpec(
        "esther",
        "Dr Esther Fairbourne",
        "esther.fairbourne@doctors.example.test",
        str(GMC_NAMED_START + 4),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "Emergency medicine",
        QualificationRegion.UK,
        "royal",
        "07700 900005",
        {"age_band": "25_to_35", "gender": "female", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="support plan shared: read it, then agree it or ask for changes",
    ),
    DoctorSpec(
        "kenji",
        "Dr Kenji Halloran",
        "kenji.halloran@doctors.example.test",
        str(GMC_NAMED_START + 5),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "Anaesthetics",
        QualificationRegion.INTERNATIONAL,
        "ashby",
        "07700 900006",
        {"age_band": "25_to_35", "gender": "male", "ethnic_group": "asian", "disability": "no"},
        can_sign_in=True,
        note="asked for changes to the plan; version 2 is waiting, with what changed",
    ),
    DoctorSpec(
        "bethan",
        "Dr Bethan Morcombe",
        "bethan.morcombe@doctors.example.test",
        str(GMC_NAMED_START + 6),
        CareerStage.FOUNDATION,
        ContractType.RESIDENT,
        "Foundation programme",
        QualificationRegion.UK,
        "royal",
        "07700 900007",
        {"age_band": "25_to_35", "gender": "female", "ethnic_group": "white", "disability": "prefer_not_to_say"},
        can_sign_in=True,
        note="first conversation arranged, a few days ahead: can ask for another time",
    ),
    DoctorSpec(
        "marcus",
        "Dr Marcus Penhaligon",
        "marcus.penhaligon@doctors.example.test",
        str(GMC_NAMED_START + 7),
        CareerStage.SAS,
        ContractType.SAS,
        "Surgery",
        QualificationRegion.UK,
        "ashby",
        "07700 900008",
        {"age_band": "46_to_55", "gender": "male", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="in support; a review of goals waits for their reflection",
    ),
    DoctorSpec(
        "ifeoma",
        "Dr Ifeoma Castleton",
        "ifeoma.castleton@doctors.example.test",
        str(GMC_NAMED_START + 8),
        CareerStage.CONSULTANT,
        ContractType.CONSULTANT,
        "Obstetrics and gynaecology",
        QualificationRegion.UK,
        "ashby",
        "07700 900009",
        {"age_band": "46_to_55", "gender": "female", "ethnic_group": "black", "disability": "yes"},
        can_sign_in=True,
        note="support has ended (goals met): can give exit feedback and offer to be a peer supporter",
    ),
    DoctorSpec(
        "rafael",
        "Dr Rafael Quintero",
        "rafael.quintero@doctors.example.test",
        str(GMC_NAMED_START + 9),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "General medicine",
        QualificationRegion.EEA,
        "royal",
        "07700 900010",
        {"age_band": "25_to_35", "gender": "male", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="in support; one milestone has a new date with a reason, another is running late",
    ),
    DoctorSpec(
        "anjali",
        "Dr Anjali Whitlow",
        "anjali.whitlow@doctors.example.test",
        str(GMC_NAMED_START + 10),
        CareerStage.GP,
        ContractType.GP,
        "General practice",
        QualificationRegion.UK,
        "kestrel",
        "07700 900011",
        {"age_band": "36_to_45", "gender": "female", "ethnic_group": "asian", "disability": "no"},
        can_sign_in=True,
        note="in support; the service admin opened her record with emergency access (a notice on My support)",
    ),
    DoctorSpec(
        "stefan",
        "Dr Stefan Albury",
        "stefan.albury@doctors.example.test",
        str(GMC_NAMED_START + 11),
        CareerStage.CONSULTANT,
        ContractType.CONSULTANT,
        "Surgery",
        QualificationRegion.UK,
        "royal",
        "07700 900012",
        {"age_band": "56_to_65", "gender": "male", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="mandated referral by the responsible officer: a fixed sharing minimum, and a reassessment",
    ),
    DoctorSpec(
        "lowri",
        "Dr Lowri Pendragon",
        "lowri.pendragon@doctors.example.test",
        str(GMC_NAMED_START + 12),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "Paediatrics",
        QualificationRegion.UK,
        "ashby",
        "07700 900013",
        {"age_band": "25_to_35", "gender": "female", "ethnic_group": "mixed", "disability": "no"},
        can_sign_in=True,
        note="support ended with a handover to occupational health; can come back at any time",
    ),
]
# Every way a request ends, and an urgent request (journeys/endings.py).
JOURNEY_DOCTORS += [
    DoctorSpec(
        "hana",
        "Dr Hana Saltbrook",
        "hana.saltbrook@doctors.example.test",
        str(GMC_NAMED_START + 13),
        CareerStage.FOUNDATION,
        ContractType.RESIDENT,
        "General medicine",
        QualificationRegion.UK,
        "royal",
        "07700 900014",
        {"age_band": "25_to_35", "gender": "female", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="asked urgently; a case manager rang first thing next day (recorded); support now paused for sick leave",
    ),
    DoctorSpec(
        "owen",
        "Dr Owen Marrowby",
        "owen.marrowby@doctors.example.test",
        str(GMC_NAMED_START + 14),
        CareerStage.SPECIALTY_TRAINEE,
        ContractType.RESIDENT,
        "Psychiatry",
        QualificationRegion.EEA,
        "ashby",
        "07700 900015",
        None,
        can_sign_in=True,
        note="declined a referral, with a reason he kept from the person who referred him",
    ),
    DoctorSpec(
        "cerys",
        "Dr Cerys Underfell",
        "cerys.underfell@doctors.example.test",
        str(GMC_NAMED_START + 15),
        CareerStage.SAS,
        ContractType.SAS,
        "Anaesthetics",
        QualificationRegion.UK,
        "royal",
        "07700 900016",
        {"age_band": "46_to_55", "gender": "female", "ethnic_group": "white", "disability": "prefer_not_to_say"},
        can_sign_in=True,
        note="asked, then could not be reached: closed as “no response” after two recorded attempts",
    ),
]
# Support that ended long enough ago for both follow-ups (journeys/ended.py, measures_stage.py).
JOURNEY_DOCTORS += [
    DoctorSpec(
        "nia",
        "Dr Nia Bramwell",
        "nia.bramwell@doctors.example.test",
        str(GMC_NAMED_START + 16),
        CareerStage.CONSULTANT,
        ContractType.CONSULTANT,
        "Emergency medicine",
        QualificationRegion.UK,
        "royal",
        "07700 900017",
        {"age_band": "36_to_45", "gender": "female", "ethnic_group": "white", "disability": "no"},
        can_sign_in=True,
        note="support ended seven months ago; answered the well-being follow-ups 3 and 6 months after",
    ),
]
JOURNEY_KEYS = frozenset(spec.key for spec in JOURNEY_DOCTORS)
NAMED_DOCTORS += JOURNEY_DOCTORS
NAMED_REQUESTS += [
    RequestSpec(
        "esther",
        Route.SELF,
        [Reason.CONFIDENCE, Reason.BULLYING],
        Status.ACCEPTED,
        days_ago=0,
        working_days_ago=20,
        first_contact_after=2,
    ),
    RequestSpec(
        "kenji",
        Route.SUPERVISOR,
        [Reason.EXAMINATIONS],
        Status.ACCEPTED,
        days_ago=0,
        referrer="tpd",
        comment="Thank you for this. The exam is in March, and my nights finish in the middle of January.",
        working_days_ago=25,
        first_contact_after=3,
    ),
    RequestSpec(
        "bethan",
        Route.SELF,
        [Reason.MENTAL_HEALTH],
        Status.ACCEPTED,
        days_ago=0,
        working_days_ago=4,
        first_contact_after=1,
    ),
    RequestSpec(
        "marcus",
        Route.SELF,
        [Reason.CAREER],
        Status.ACCEPTED,
        days_ago=0,
        working_days_ago=70,
        first_contact_after=2,
    ),
    RequestSpec(
        "ifeoma",
        Route.OCCUPATIONAL_HEALTH,
        [Reason.RETURN_TO_WORK],
        Status.CLOSED,
        days_ago=0,
        referrer="occupational_health",
        working_days_ago=120,
        first_contact_after=2,
    ),
    RequestSpec(
        "rafael",
        Route.SUPERVISOR,
        [Reason.PERFORMANCE],
        Status.ACCEPTED,
        days_ago=0,
        referrer="supervisor",
        comment=wording.DOCTOR_COMMENTS[0],
        working_days_ago=60,
        first_contact_after=1,
    ),
    RequestSpec(
        "anjali",
        Route.SELF,
        [Reason.MENTAL_HEALTH],
        Status.ACCEPTED,
        days_ago=0,
        working_days_ago=45,
        first_contact_after=1,
    ),
    RequestSpec(
        "stefan",
        Route.RESPONSIBLE_OFFICER,
        [Reason.PERFORMANCE],
        Status.ACCEPTED,
        days_ago=0,
        referrer="responsible_officer",
        working_days_ago=85,
        first_contact_after=2,
    ),
    RequestSpec(
        "lowri",
        Route.SELF,
        [Reason.RETURN_TO_WORK, Reason.MENTAL_HEALTH],
        Status.ACCEPTED,  # accepted as a case; journeys.py closes the case with a handover, as the product does
        days_ago=0,
        working_days_ago=50,
        first_contact_after=1,
    ),
]
NAMED_REQUESTS += [
    RequestSpec(
        "hana",
        Route.SELF,
        [Reason.MENTAL_HEALTH],
        Status.ACCEPTED,
        days_ago=0,
        urgent=True,
        working_days_ago=26,
        first_contact_after=1,
    ),
    RequestSpec(
        "owen",
        Route.SUPERVISOR,
        [Reason.CONFIDENCE],
        Status.RECEIVED,
        days_ago=0,
        working_days_ago=6,
        referrer="supervisor",
        seen_by_doctor=True,
    ),
    RequestSpec("cerys", Route.SELF, [Reason.CAREER], Status.RECEIVED, days_ago=0, working_days_ago=14),
    RequestSpec(
        "nia",
        Route.SELF,
        [Reason.MENTAL_HEALTH, Reason.CONFIDENCE],
        Status.CLOSED,
        days_ago=0,
        working_days_ago=232,
        first_contact_after=2,
    ),
]
DOCTOR_COUNT = GENERATED_DOCTOR_COUNT + len(NAMED_DOCTORS)

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
