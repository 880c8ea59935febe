"""What a CMOC can be linked to: the contexts, mechanisms and outcomes the product records.

- A **context** is a field of the fact record (``facts.Fact.context``) and the value that means "with" it; the
  people with another known value are "without" (unknown or not stated are left out).
- A **mechanism** is a check-in statement (the measures app's ``check-in`` questionnaire, answered 1 to 5), read
  from the doctor's first check-in that answered it: "high" is Agree or Strongly agree (4 or 5), "low" is
  anything else the doctor answered.
- An **outcome** is read from the fact record at closure: either a proportion (completed, returned to work or
  training) or a mean (goal attainment T-score, a measure's change), with the direction that counts as better."""

from dataclasses import dataclass

from supportpath.accounts.models import CareerStage, ContractType, OrganisationKind, QualificationRegion


@dataclass(frozen=True)
class ContextField:
    key: str
    label: str
    values: dict[str, str]


CONTEXTS = [
    ContextField(
        "route_in",
        "Route in",
        {
            "self": "Asked for support themselves (self-referral)",
            "signposted": "Asked for support themselves, after a signpost at appraisal or supervision",
            "referred": "Referred by someone else",
        },
    ),
    ContextField("mandated", "Mandated", {"yes": "Mandated support", "no": "Not mandated"}),
    ContextField(
        "reason",
        "Main reason for support",
        {
            "mental_health": "Mental health",
            "career": "Career",
            "return_to_work": "Return to work or training after health issues",
            "exams": "Examinations",
            "performance": "Performance",
            "confidence": "Assertiveness and confidence",
            "bullying": "Experienced bullying",
            "other": "Other",
        },
    ),
    ContextField("career_stage", "Career stage", dict(CareerStage.choices)),
    ContextField("contract_type", "Contract", dict(ContractType.choices)),
    ContextField("qualification_region", "Primary medical qualification", dict(QualificationRegion.choices)),
    ContextField("organisation_type", "Employing organisation", dict(OrganisationKind.choices)),
]
CONTEXT_BY_KEY = {c.key: c for c in CONTEXTS}

# The check-in's statements (supportpath/measures/definitions/check-in.json), by linkId.
MECHANISMS = {
    "1": "I trust the people supporting me",
    "2": "I feel safe to be open about what is going on for me",
    "3": "I know what will happen next in my support",
    "4": "I feel in control of my support",
    "5": "I feel motivated to work on my goals",
}
HIGH_FROM = 4  # Agree or Strongly agree


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    kind: str  # "proportion" or "mean"
    unit: str = ""
    lower_is_better: bool = False


OUTCOMES = [
    Outcome("completed", "Completed their support (closed with the plan's work done)", "proportion"),
    Outcome("returned", "Returned to work or training", "proportion"),
    Outcome("gas_t", "Goal attainment at closure (GAS T-score)", "mean", "points"),
    Outcome("change:who-5", "Change in WHO-5 well-being from first to closure", "mean", "points"),
    Outcome("change:phq-9", "Change in PHQ-9 from first to closure (a fall is better)", "mean", "points", True),
    Outcome("change:gad-7", "Change in GAD-7 from first to closure (a fall is better)", "mean", "points", True),
    Outcome("change:gse", "Change in General Self-Efficacy from first to closure", "mean", "points"),
]
OUTCOME_BY_KEY = {o.key: o for o in OUTCOMES}


def context_choices() -> list[tuple[str, str]]:
    return [("", "Not linked")] + [
        (f"{c.key}={v}", f"{c.label}: {label}") for c in CONTEXTS for v, label in c.values.items()
    ]


def mechanism_choices() -> list[tuple[str, str]]:
    return [("", "Not linked")] + [(k, f"Check-in: “{t}”") for k, t in MECHANISMS.items()]


def outcome_choices() -> list[tuple[str, str]]:
    return [("", "Not linked")] + [(o.key, o.label) for o in OUTCOMES]


def describe_context(field: str, value: str) -> str:
    context = CONTEXT_BY_KEY.get(field)
    if context is None:
        return ""
    return f"{context.label}: {context.values.get(value, value)}"
