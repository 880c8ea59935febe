"""Who is supported: the proportions the demo's doctors are drawn from.

Source: Brennan et al., "Optimising professional support for doctors who experience work performance issues:
a realist evaluation", BMJ Quality & Safety 2026 (RESTORE 2), CC BY 4.0 — Table 2, "Key characteristics of
the 45 interview participants". Career stage, reason and primary medical qualification describe the 29 doctors
who had undertaken professional support; age, gender and ethnicity describe all 45 participants (doctors and
support staff together), which is the closest the paper comes, so the demo uses them for its doctors.

Each table maps the paper's category onto the product's choices (the model's ``TextChoices``) and keeps the
paper's percentage as the weight, so the demo reads as the paper does. Where the product has a choice the
paper does not report, it is labelled "not from Table 2" with the reason it is there.
"""

from supportpath.accounts.models import PREFER_NOT_TO_SAY, CareerStage, ContractType, QualificationRegion
from supportpath.referrals.models import Reason, Route

# Medical career stages of the 29 doctors: specialty trainee 72%, consultant 11%, SAS 11%, GP resident 3%,
# foundation 3%. Mapping: "GP resident" (a GP trainee) is the product's SPECIALTY_TRAINEE ("Specialty or GP
# trainee") with specialty "General practice", employed by the GP practice; every trainee is on a resident
# (in training) contract. Rows: (paper category, career stage, contract type, weight in %).
CAREER_STAGES = [
    ("Specialty trainee", CareerStage.SPECIALTY_TRAINEE, ContractType.RESIDENT, 72),
    ("Consultant", CareerStage.CONSULTANT, ContractType.CONSULTANT, 11),
    ("SAS", CareerStage.SAS, ContractType.SAS, 11),
    ("GP resident", CareerStage.SPECIALTY_TRAINEE, ContractType.RESIDENT, 3),
    ("Foundation", CareerStage.FOUNDATION, ContractType.RESIDENT, 3),
]
# Not from Table 2: the paper's sample had no locally employed doctors, GPs or locums, but the service is for
# every doctor whatever their contract (the paper's "equity of access"), so a small share of the demo shows
# them. Weights are in % of the whole demo; the Table 2 rows share the rest in their own proportions.
EXTRA_CAREER_STAGES = [
    ("Locally employed (not in Table 2)", CareerStage.LOCALLY_EMPLOYED, ContractType.LOCALLY_EMPLOYED, 4),
    ("GP (not in Table 2)", CareerStage.GP, ContractType.GP, 2),
    ("Locum (not in Table 2)", CareerStage.OTHER, ContractType.LOCUM, 1),
]

# Specialties named in Table 2 ("intensive care" and "ICU" are one; "primary care" and "general practice"
# go to the GP practice's doctors).
HOSPITAL_SPECIALTIES = [
    "Intensive care medicine",
    "Emergency medicine",
    "Paediatrics",
    "Anaesthetics",
    "Pathology",
    "General medicine",
    "Surgery",
    "Neurology",
    "Gastroenterology",
    "Obstetrics and gynaecology",
    "Palliative medicine",
    "Ophthalmology",
    "Oncology",
]

# Primary reason for undertaking professional support: mental health support 38%, career support 20%,
# returning to work/training following health issues 20%, examination support 7%, performance 7%,
# assertiveness and confidence 4%, experienced bullying 4%. The product's Reason choices were written from
# this list, so the mapping is one to one; Reason.OTHER has no share in the paper and none here.
REASONS = [
    ("Mental health support", Reason.MENTAL_HEALTH, 38),
    ("Career support", Reason.CAREER, 20),
    ("Returning to work/training following health issues", Reason.RETURN_TO_WORK, 20),
    ("Examination support", Reason.EXAMINATIONS, 7),
    ("Performance", Reason.PERFORMANCE, 7),
    ("Assertiveness and confidence", Reason.CONFIDENCE, 4),
    ("Experienced bullying", Reason.BULLYING, 4),
]
# Not from Table 2 (it reports one primary reason per doctor): about a third of the demo's requests name a
# second reason, drawn from the same weights, as people often have more than one.
SECOND_REASON_SHARE = 0.35

# Primary medical qualification: UK 86%, Europe 7%, rest of world 7%. "Europe" maps to the EEA choice (the
# paper does not split out non-EEA Europe); "rest of world" to international medical graduates.
QUALIFICATION_REGIONS = [
    ("UK", QualificationRegion.UK, 86),
    ("Europe", QualificationRegion.EEA, 7),
    ("Rest of world", QualificationRegion.INTERNATIONAL, 7),
]

# Mandated professional support: 2 of the 29 doctors (7%). In the demo the mandated requests are the ones a
# responsible officer makes, and the route weights below are set so that route comes to about 7% overall.
MANDATED_PERCENT = 7

# Routes in are not in Table 2. The paper says self-referral works best (CMOC 4.7) and that most doctors it
# met had asked for help themselves, so self-referral leads; the other routes are illustrative. The weights
# lean by reason: performance concerns come more often from supervisors and responsible officers, returns to
# work more often from occupational health. Rows are (route, weight in %).
ROUTES_BY_REASON = {
    "default": [
        (Route.SELF, 61),
        (Route.SUPERVISOR, 18),
        (Route.APPRAISER, 8),
        (Route.RESPONSIBLE_OFFICER, 3),
        (Route.OCCUPATIONAL_HEALTH, 10),
    ],
    Reason.PERFORMANCE: [
        (Route.SELF, 15),
        (Route.SUPERVISOR, 20),
        (Route.APPRAISER, 5),
        (Route.RESPONSIBLE_OFFICER, 60),
    ],
    Reason.RETURN_TO_WORK: [
        (Route.SELF, 45),
        (Route.SUPERVISOR, 15),
        (Route.OCCUPATIONAL_HEALTH, 40),
    ],
}

# Age range (all 45 participants): 25–35 31%, 36–45 33%, 46–55 20%, then the table prints "56–55 13%" and
# "56–65 3%" — a misprint; read here as 56–65 13% and 66 and over 3% (the weights add up to 100).
AGE_BANDS = [
    ("25_to_35", "25 to 35", 31),
    ("36_to_45", "36 to 45", 33),
    ("46_to_55", "46 to 55", 20),
    ("56_to_65", "56 to 65", 13),
    ("66_and_over", "66 and over", 3),
]

# Gender (all 45 participants): female 62%, male 38%.
GENDERS = [
    ("female", "Female", 62),
    ("male", "Male", 38),
]

# Ethnicity (all 45 participants): White 62%, Asian 31%, "Black, mixed race or other" 7%. The product records
# the five high-level census groups, so the paper's last 7% is split 3 / 2 / 2 between them (our assumption).
ETHNIC_GROUPS = [
    ("white", "White", 62),
    ("asian", "Asian or Asian British", 31),
    ("black", "Black, Black British, Caribbean or African", 3),
    ("mixed", "Mixed or multiple ethnic groups", 2),
    ("other", "Other ethnic group", 2),
]

# Not from Table 2 (the paper does not report disability); illustrative, so equity reports have something
# to show.
DISABILITY = [
    ("no", "No", 86),
    ("yes", "Yes", 8),
]

# Equality questions are optional: in the demo, about 1 doctor in 10 answers none of them, and each answer
# is "prefer not to say" about 6 times in 100 (our assumption; the paper reports only the answers given).
NO_EQUALITY_ANSWERS_SHARE = 0.10
PREFER_NOT_TO_SAY_SHARE = 0.06
PREFER_NOT = PREFER_NOT_TO_SAY
