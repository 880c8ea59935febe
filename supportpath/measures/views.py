"""Measures pages. Thin: records through ``access``, offers from ``offers``, rules in ``services`` and
``safety``, display in ``presenters``.

The doctor's pages: what they are offered now, one question per page (saved as they go; skip or stop at any
time), what they gave when they finish (and, when an answer calls for it, urgent help at once), their results
over time, and whether their facilitator may see them. Staff: the results on a case (logged), the FHIR export
of a case, the follow-up of a safety alert. The service admin: which questionnaires at which point, and
loading another definition."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts import policy
from supportpath.accounts.http import AuthenticatedRequest
from supportpath.accounts.models import Role
from supportpath.accounts.roles import organisation_ids_for
from supportpath.accounts.service_navigation import service_admin_navigation
from supportpath.core.form_fields import posted

from . import access, catalogue, fhir, offers, presenters, safety, services
from .forms import FollowUpForm, LoadDefinitionForm, QuestionForm, ServicePointsForm, ShareForm
from .models import Questionnaire, Response, ResponseStatus, ResultsSharing, SafetyAlert, ServicePoints

SETTINGS = "measures:service_settings"


def _doctors_only(request: AuthenticatedRequest) -> HttpResponse | None:
    return policy.doctors_only(request, "measures/doctors_only.jinja")


def my_measures(request: AuthenticatedRequest) -> HttpResponse:
    refusal = _doctors_only(request)
    if refusal:
        return refusal
    summary = offers.summary_for(request.user.doctor_profile)
    context = {"offers": summary.offers, "has_results": summary.has_results}
    return render(request, "measures/my_measures.jinja", context)


def start(request: AuthenticatedRequest, reference: str, point_key: str, key: str) -> HttpResponse:
    refusal = _doctors_only(request)
    if refusal:
        return refusal
    found = offers.find_offer(request.user.doctor_profile, reference, point_key, key)
    if found is None:
        raise Http404("Not offered now")
    offer, questionnaire = found
    if request.method == "POST":
        response = services.start(offer, questionnaire)
        number = services.next_number(response)
        if number is None:
            return redirect("measures:finished", pk=response.pk)
        return redirect("measures:question", pk=response.pk, number=number)
    return render(
        request,
        "measures/start.jinja",
        {
            "offer": offer,
            "questionnaire": questionnaire,
            "questions": len(catalogue.questions_of(questionnaire.definition)),
            "not_validated": questionnaire.key == catalogue.NOT_VALIDATED and questionnaire.service_id is None,
        },
    )


def question(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    response = access.own_response(request.user, pk)
    all_questions = services.questions(response)
    if not 1 <= number <= len(all_questions):
        raise Http404("No such question")
    current = all_questions[number - 1]
    if request.method == "POST" and "stop" in request.POST:
        services.stop(response)
        messages.success(request, "What you answered is saved. You can come back to it while it is offered.")
        return redirect("measures:my_measures")
    skipping = request.method == "POST" and "skip" in request.POST
    initial = {"answer": response.answers.get(current.link_id)}
    form = QuestionForm(None if skipping else posted(request), question=current, initial=initial)
    if skipping or (request.method == "POST" and form.is_valid()):
        safety_started = services.answer(response, current, None if skipping else form.cleaned_data["answer"])
        if safety_started or _has_open_alert(response):
            return redirect("measures:finished", pk=response.pk)
        following = services.next_number(response)
        if following is None:
            return redirect("measures:finished", pk=response.pk)
        return redirect("measures:question", pk=response.pk, number=following)
    questionnaire = response.questionnaire
    return render(
        request,
        "measures/question.jinja",
        {
            "response": response,
            "questionnaire": questionnaire,
            "question": current,
            "number": number,
            "count": len(all_questions),
            "lead": catalogue.lead_of(questionnaire.definition),
            "form": form,
            "not_validated": questionnaire.key == catalogue.NOT_VALIDATED and questionnaire.service_id is None,
            "back": _back_link(response, number),
        },
    )


def _back_link(response: Response, number: int) -> str:
    if number > 1:
        return reverse("measures:question", args=[response.pk, number - 1])
    return reverse("measures:my_measures")


def _has_open_alert(response: Response) -> bool:
    return SafetyAlert.objects.filter(response=response, followed_up_at__isnull=True).exists()


def finished(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    response = access.own_response(request.user, pk)
    alert = SafetyAlert.objects.filter(response=response).first()
    questionnaire = response.questionnaire
    return render(
        request,
        "measures/finished.jinja",
        {
            "response": response,
            "questionnaire": questionnaire,
            "alert": alert,
            "summary": presenters.score_summary(response),
            "next_question": services.next_number(response),
            "not_validated": questionnaire.key == catalogue.NOT_VALIDATED and questionnaire.service_id is None,
        },
    )


def my_results(request: AuthenticatedRequest) -> HttpResponse:
    refusal = _doctors_only(request)
    if refusal:
        return refusal
    responses = Response.objects.filter(
        doctor=request.user.doctor_profile, status=ResponseStatus.COMPLETED
    ).select_related("questionnaire")
    return render(request, "measures/my_results.jinja", {"series": presenters.series_for(responses)})


def share(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    support_request = access.own_request(request.user, reference)
    shared = access.shared_with_facilitator(support_request.pk)
    form = ShareForm(posted(request), initial={"share": "yes" if shared else "no"})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["share"] == "yes"
        if wanted != shared:
            ResultsSharing.objects.create(request=support_request, with_facilitator=wanted, changed_at=timezone.now())
        messages.success(
            request,
            "Your facilitator can now see your questionnaire results."
            if wanted
            else "Your facilitator cannot see your questionnaire results.",
        )
        return redirect("measures:my_results")
    return render(request, "measures/share.jinja", {"support_request": support_request, "form": form})


def case_results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access.get_case_results_for(request.user, pk, what="Questionnaire results")
    responses = Response.objects.filter(request=case.request, status=ResponseStatus.COMPLETED).select_related(
        "questionnaire"
    )
    alerts = list(
        SafetyAlert.objects.filter(request=case.request).select_related("followed_up_by").order_by("-raised_at")
    )
    return render(
        request,
        "measures/case_results.jinja",
        {
            "case": case,
            "support_request": case.request,
            "series": presenters.series_for(responses),
            "alerts": alerts,
            "is_case_manager": case.request.service_id in organisation_ids_for(request.user, Role.CASE_MANAGER),
        },
    )


def case_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access.get_case_results_for(request.user, pk, what="Questionnaire answers exported as FHIR")
    responses = Response.objects.filter(request=case.request).select_related("questionnaire").order_by("started_at")
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"resource": fhir.response_resource(r, subject=case.request.reference)} for r in responses],
    }
    reply = JsonResponse(bundle, json_dumps_params={"indent": 2})
    reply["Content-Disposition"] = f'attachment; filename="questionnaires-{case.request.reference}.json"'
    return reply


def follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = access.get_alert_for(request.user, pk)
    form = FollowUpForm(posted(request))
    if alert.followed_up_at is None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        safety.follow_up(alert, by=request.user, on=data["followed_up_on"], what=data["what_was_done"])
        access.log_alert(request.user, alert, action="changed")
        messages.success(request, "The follow-up is recorded. The alert is closed.")
        if alert.response.case_id:
            return redirect("pathway:case_detail", pk=alert.response.case_id)
        return redirect("casework:inbox")
    access.log_alert(request.user, alert, action="viewed")
    return render(request, "measures/follow_up.jinja", {"alert": alert, "form": form})


def _admin_service_id(request: AuthenticatedRequest) -> int:
    """The service of a service admin (``policy.service_admins_only`` let them in)."""
    return min(organisation_ids_for(request.user, Role.SERVICE_ADMIN))


def service_settings(request: AuthenticatedRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service_id = _admin_service_id(request)
    shipped = catalogue.ensure_shipped()
    loaded = list(Questionnaire.objects.filter(service_id=service_id).order_by("key", "-loaded_at"))
    choices = [(q.key, q.title) for q in shipped.values()]
    choices += [(q.key, f"{q.title} (loaded by your service)") for q in {q.key: q for q in loaded}.values()]
    current = offers.points_for_service(service_id)
    form = ServicePointsForm(posted(request), questionnaires=choices, initial=current)
    if request.method == "POST" and form.is_valid():
        ServicePoints.objects.update_or_create(
            service_id=service_id,
            defaults={"points": {p: form.cleaned_data[p] for p in form.fields}, "changed_by": request.user},
        )
        messages.success(request, "Saved. Doctors are offered these questionnaires from now on.")
        return redirect("measures:service_settings")
    return render(
        request,
        "measures/service_settings.jinja",
        {"form": form, "loaded": loaded, "navigation_items": service_admin_navigation(SETTINGS)},
    )


def load_definition(request: AuthenticatedRequest) -> HttpResponse:
    refusal = policy.service_admins_only(request)
    if refusal:
        return refusal
    service_id = _admin_service_id(request)
    form = LoadDefinitionForm(posted(request))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = catalogue.load_for_service(
                form.cleaned_data["definition"], service_id=service_id, by=request.user
            )
        except catalogue.DefinitionError as error:
            problems = error.problems
        else:
            messages.success(request, f"{questionnaire.title} is loaded. Choose where it is offered below.")
            return redirect("measures:service_settings")
    return render(
        request,
        "measures/load_definition.jinja",
        {"form": form, "problems": problems, "navigation_items": service_admin_navigation(within=SETTINGS)},
    )
