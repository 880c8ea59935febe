"""Each response as a FHIR R4 ``QuestionnaireResponse``, and the check that one is valid against its
``Questionnaire``: every answer is to a question that exists, is one of its options (so in range), no
question is answered twice, and the status is a FHIR status that matches how far the doctor got."""

from django.utils import timezone

from . import catalogue
from .models import Response, ResponseStatus

STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
NOT_VALIDATED_NOTE = "Not a validated scale: the service's own statements, each read on its own."


def response_resource(response: Response, *, subject: str = "") -> dict:
    questionnaire = response.questionnaire
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": f"response-{response.pk}",
        "questionnaire": questionnaire.canonical,
        "status": response.status,
        "authored": timezone.localtime(response.completed_at or response.updated_at).isoformat(),
        "item": [],
    }
    if subject:
        resource["subject"] = {"display": subject}
    if questionnaire.key == catalogue.NOT_VALIDATED and questionnaire.service_id is None:
        resource["extension"] = [
            {"url": "http://supportpath.nhs.example/fhir/StructureDefinition/note", "valueString": NOT_VALIDATED_NOTE}
        ]
    for question in catalogue.questions_of(questionnaire.definition):
        value = response.answers.get(question.link_id)
        if value is None:
            continue
        option = question.option_for(int(value))
        coding = {"code": option.code, "display": option.display}
        if option.system:
            coding = {"system": option.system, **coding}
        resource["item"].append(
            {"linkId": question.link_id, "text": question.text, "answer": [{"valueCoding": coding}]}
        )
    return resource


def validate(resource: dict, definition: dict, *, version: str) -> list[str]:
    """Every way ``resource`` fails to be a valid response to ``definition``; empty when it is valid."""
    problems = []
    if resource.get("resourceType") != "QuestionnaireResponse":
        problems.append("resourceType is not QuestionnaireResponse")
    if resource.get("questionnaire") != f"{definition['url']}|{version}":
        problems.append(f"questionnaire {resource.get('questionnaire')!r} is not {definition['url']}|{version}")
    status = resource.get("status")
    if status not in STATUSES:
        problems.append(f"status {status!r} is not a FHIR QuestionnaireResponse status")
    if not resource.get("authored"):
        problems.append("authored is missing")
    questions = {q.link_id: q for q in catalogue.questions_of(definition)}
    seen = set()
    for item in resource.get("item", []):
        link_id = item.get("linkId")
        question = questions.get(link_id)
        if question is None:
            problems.append(f"item {link_id!r} is not a question of the questionnaire")
            continue
        if link_id in seen:
            problems.append(f"item {link_id!r} is answered twice")
        seen.add(link_id)
        if item.get("text") not in (None, question.text):
            problems.append(f"item {link_id!r} has text that is not the question's")
        answers = item.get("answer") or []
        if len(answers) != 1:
            problems.append(f"item {link_id!r} must have exactly one answer")
            continue
        coding = answers[0].get("valueCoding") or {}
        allowed = {(o.system, o.code) for o in question.options}
        if (coding.get("system", ""), coding.get("code")) not in allowed:
            problems.append(f"item {link_id!r}: answer {coding.get('code')!r} is not one of its options")
    required = {q["linkId"] for q in definition.get("item", []) if q.get("required")}
    if status == "completed" and required - seen:
        problems.append(f"completed without the required items {sorted(required - seen)}")
    if status == "in-progress" and seen == set(questions) and questions:
        problems.append("every question is answered but the status is still in-progress")
    return problems


def status_fits(response: Response) -> bool:
    if response.status == ResponseStatus.COMPLETED:
        return response.completed_at is not None
    return response.completed_at is None
