"""The questionnaire definitions: the shipped ones from ``definitions/`` (FHIR R4 ``Questionnaire`` JSON,
versioned in the repository), and the checks a definition a service admin loads must pass.

A definition is read, never trusted: ``check_definition`` says in plain words what is wrong with one, and only
the parts the engine uses are relied on (single-choice questions whose options carry a whole-number score)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from supportpath.scoring import questionnaires as scoring

from .models import Questionnaire

DEFINITIONS = Path(__file__).resolve().parent / "definitions"
SHIPPED_KEYS = ("who-5", "phq-9", "gad-7", "gse", "check-in")
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
NOT_VALIDATED = "check-in"  # labelled "not a validated scale" on every screen and export
MAX_QUESTIONS = 60


@dataclass(frozen=True)
class Option:
    code: str
    display: str
    score: int
    system: str


@dataclass(frozen=True)
class Question:
    number: int
    link_id: str
    text: str
    options: tuple[Option, ...]

    def option_for(self, score: int) -> Option | None:
        return next((o for o in self.options if o.score == score), None)


class DefinitionError(ValueError):
    """What is wrong with a definition, as a list of plain sentences."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _score_of(option: dict) -> int | None:
    for extension in option.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") == ORDINAL:
            value = extension.get("valueDecimal", extension.get("valueInteger"))
            if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
                return int(value)
    coding = option.get("valueCoding") or {}
    code = coding.get("code")
    if isinstance(code, str) and code.lstrip("-").isdigit():
        return int(code)
    return None


def check_definition(data) -> list[str]:
    """Every problem with ``data`` as a definition this engine can offer, or an empty list."""
    if not isinstance(data, dict):
        return ["The file must hold one JSON object: a FHIR Questionnaire."]
    problems = []
    if data.get("resourceType") != "Questionnaire":
        problems.append('"resourceType" must be "Questionnaire".')
    for name in ("url", "version", "title", "status"):
        if not isinstance(data.get(name), str) or not data.get(name).strip():
            problems.append(f'"{name}" is missing: every definition needs a {name}.')
    if data.get("status") not in (None, "draft", "active", "retired", "unknown"):
        problems.append('"status" must be one of draft, active, retired or unknown.')
    key = _key_of(data)
    if not key:
        problems.append('Give the questionnaire a short name in "name" (letters, numbers, - or _).')
    elif key in SHIPPED_KEYS:
        problems.append(f'"{key}" is the name of a questionnaire the service already has: choose another name.')
    items = data.get("item")
    if not isinstance(items, list) or not items:
        problems.append('"item" must list the questions.')
        return problems
    seen: set[str] = set()
    questions = 0
    for index, item in enumerate(items, 1):
        where = f"Item {index}"
        if not isinstance(item, dict):
            problems.append(f"{where} is not an object.")
            continue
        link_id = item.get("linkId")
        if not isinstance(link_id, str) or not link_id:
            problems.append(f'{where} has no "linkId".')
        elif link_id in seen:
            problems.append(f'{where}: the linkId "{link_id}" is used twice.')
        else:
            seen.add(link_id)
        if item.get("type") == "display":
            continue
        if item.get("type") != "choice":
            problems.append(f'{where}: only single-choice questions ("type": "choice") can be offered here.')
            continue
        questions += 1
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            problems.append(f"{where} has no question text.")
        options = item.get("answerOption")
        if not isinstance(options, list) or len(options) < 2:
            problems.append(f"{where} needs at least two answer options.")
            continue
        scores = []
        for number, option in enumerate(options, 1):
            coding = option.get("valueCoding") if isinstance(option, dict) else None
            if not isinstance(coding, dict) or not coding.get("display"):
                problems.append(f"{where}, option {number}: each option needs a valueCoding with a display.")
                continue
            score = _score_of(option)
            if score is None:
                problems.append(
                    f"{where}, option {number}: give each option a whole-number score (an ordinalValue extension, "
                    "or a code that is a number)."
                )
            scores.append(score)
        if len(set(scores)) != len(scores):
            problems.append(f"{where}: two options have the same score.")
    if not questions:
        problems.append("There are no questions to answer.")
    if questions > MAX_QUESTIONS:
        problems.append(f"There are {questions} questions; a doctor is asked at most {MAX_QUESTIONS} at a time.")
    return problems


def _key_of(data: dict) -> str:
    for identifier in data.get("identifier") or []:
        if isinstance(identifier, dict) and str(identifier.get("system", "")).endswith("/questionnaire-key"):
            return str(identifier.get("value", ""))
    name = str(data.get("name") or "").strip().lower().replace("_", "-")
    return name if name and all(c.isalnum() or c == "-" for c in name) else ""


def questions_of(definition: dict) -> tuple[Question, ...]:
    return _questions(json.dumps(definition, sort_keys=True))


@cache
def _questions(serialised: str) -> tuple[Question, ...]:
    definition = json.loads(serialised)
    out = []
    for item in definition.get("item", []):
        if item.get("type") != "choice":
            continue
        options = tuple(
            Option(
                code=str(o["valueCoding"].get("code", "")),
                display=o["valueCoding"]["display"],
                score=_score_of(o),
                system=o["valueCoding"].get("system", ""),
            )
            for o in item["answerOption"]
        )
        out.append(Question(number=len(out) + 1, link_id=item["linkId"], text=item["text"], options=options))
    return tuple(out)


def lead_of(definition: dict) -> str:
    return next((i.get("text", "") for i in definition.get("item", []) if i.get("type") == "display"), "")


def score(questionnaire: Questionnaire, answers: dict) -> scoring.Score:
    scorer = scoring.SCORERS.get(questionnaire.key) if questionnaire.service_id is None else None
    if scorer:
        return scorer(answers)
    questions = questions_of(questionnaire.definition)
    low = sum(min(o.score for o in q.options) for q in questions)
    high = sum(max(o.score for o in q.options) for q in questions)
    return scoring.plain_sum(answers, [q.link_id for q in questions], low, high)


def shipped_definition(key: str) -> dict:
    return json.loads(_shipped_text(key))


@cache
def _shipped_text(key: str) -> str:
    return (DEFINITIONS / f"{key}.json").read_text(encoding="utf-8")


@cache
def _shipped_version(key: str) -> int:
    return shipped_definition(key)["version"]


def ensure_shipped(*, definitions: bool = True) -> dict[str, Questionnaire]:
    """The shipped definitions in the database, loaded from the repository the first time (and when a new
    version is added there). Safe to run again, also from two requests at once; returns the version each
    repository file holds, by key. One query when they are loaded already.

    ``definitions`` False: without their questions (``definition`` deferred), for a caller that only counts
    what is offered and answered (My support's panel, on every load of the doctor's home)."""
    wanted = {(key, _shipped_version(key)) for key in SHIPPED_KEYS}

    def found() -> dict[str, Questionnaire]:
        rows = Questionnaire.objects.filter(service__isnull=True, key__in=SHIPPED_KEYS)
        if not definitions:
            rows = rows.defer("definition")
        return {q.key: q for q in rows if (q.key, q.version) in wanted}

    newest = found()
    if len(newest) < len(SHIPPED_KEYS):
        missing = {key: shipped_definition(key) for key in SHIPPED_KEYS if key not in newest}
        Questionnaire.objects.bulk_create(
            [
                Questionnaire(key=key, version=d["version"], title=d["title"], definition=d)
                for key, d in missing.items()
            ],
            ignore_conflicts=True,  # loaded meanwhile by another request
        )
        newest = found()
    return newest


def load_for_service(data, *, service_id: int, by) -> Questionnaire:
    """Load a definition a service admin gives (already parsed JSON); raises DefinitionError with every
    problem in plain words."""
    problems = check_definition(data)
    if problems:
        raise DefinitionError(problems)
    key = _key_of(data)
    if Questionnaire.objects.filter(service_id=service_id, key=key, version=data["version"]).exists():
        version = data["version"]
        raise DefinitionError([f'Version {version} of "{key}" is already loaded: give the new one a new version.'])
    return Questionnaire.objects.create(
        key=key, version=data["version"], title=data["title"], definition=data, service_id=service_id, loaded_by=by
    )
