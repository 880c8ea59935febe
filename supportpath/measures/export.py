"""Questionnaires in "Download my data": every response, in words and as the FHIR ``QuestionnaireResponse``
the service would send anywhere else, the safety alerts raised on the doctor's answers (with what the case
manager recorded), and their choices about sharing results with their facilitator."""

from supportpath.accounts.models import DoctorProfile

from . import catalogue, fhir
from .models import Point, ResponseStatus, ResultsSharing, SafetyAlert
from .models import Response as MeasureResponse


def questionnaires(doctor: DoctorProfile) -> list[dict]:
    rows: list[dict] = []
    responses = MeasureResponse.objects.filter(doctor=doctor).select_related("questionnaire", "request")
    for response in responses.order_by("started_at", "pk"):
        questionnaire = response.questionnaire
        score = catalogue.score(questionnaire, response.answers)
        row = {
            "request": response.request.reference,
            "record": "Questionnaire",
            "questionnaire": questionnaire.title,
            "version": questionnaire.version,
            "when_offered": Point(response.point).label,
            "status": ResponseStatus(response.status).label,
            "started": response.started_at,
            "finished": response.completed_at,
            "score": score.total,
            "band": score.band.name if score.band else "",
            "questions_skipped": len(response.skipped),
            "fhir_questionnaire_response": fhir.response_resource(response),
        }
        if questionnaire.key == catalogue.NOT_VALIDATED and questionnaire.service_id is None:
            row["note"] = "Not a validated scale: the service's own statements, each read on its own."
        if questionnaire.key == "who-5" and score.percentage is not None:
            row["percentage"] = score.percentage
        rows.append(row)
    for alert in SafetyAlert.objects.filter(request__doctor=doctor).select_related("request", "followed_up_by"):
        rows.append(
            {
                "request": alert.request.reference,
                "record": "Safety answer: your case manager was asked to get in touch",
                "why": alert.get_reason_display(),
                "raised": alert.raised_at,
                "followed_up_on": alert.followed_up_on,
                "followed_up_by": alert.followed_up_by.full_name if alert.followed_up_by else "",
                "what_was_done": alert.what_was_done,
            }
        )
    for choice in ResultsSharing.objects.filter(request__doctor=doctor).select_related("request"):
        rows.append(
            {
                "request": choice.request.reference,
                "record": "Your choice about your facilitator seeing your results",
                "facilitator_may_see": choice.with_facilitator,
                "chosen": choice.changed_at,
            }
        )
    return rows
