"""The doctor answers, one question per page; the safety net; the case manager reads and follows up; who is
refused."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.audit.models import AccessRecord
from supportpath.measures import safety, tasks
from supportpath.measures.models import Response, ResponseStatus, SafetyAlert
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .conftest import record_first_conversation

pytestmark = pytest.mark.django_db


def start_url(world, key, point="first"):
    return reverse("measures:start", args=[world.self_request.reference, point, key])


def answer_all(client, world, key, scores):
    started = client.post(start_url(world, key))
    assert started.status_code == 302
    response = Response.objects.get(request=world.self_request, questionnaire__key=key)
    last = None
    for number, score in enumerate(scores, 1):
        url = reverse("measures:question", args=[response.pk, number])
        data = {"skip": "1"} if score is None else {"answer": str(score)}
        last = client.post(url, data)
        assert last.status_code == 302
    response.refresh_from_db()
    return response, last


def test_the_doctor_is_offered_the_baseline_after_the_first_conversation(client, offered):
    login_as(client, offered.doctor)
    page = client.get(reverse("measures:my_measures")).content.decode()
    for title in ("WHO-5 Well-Being Index", "PHQ-9", "GAD-7", "General Self-Efficacy Scale", "check-in"):
        assert title in page
    assert "Not a validated scale" in page
    assert "Questionnaires for you to answer (5)" in client.get(reverse("referrals:my_support")).content.decode()


def test_nothing_is_offered_before_the_first_conversation(client, world):
    login_as(client, world.doctor)
    assert "no questionnaires for you to answer now" in client.get(reverse("measures:my_measures")).content.decode()
    assert client.get(start_url(world, "who-5")).status_code == 404


def test_who5_answered_page_by_page_scores_11_that_is_44_percent(client, offered):
    login_as(client, offered.doctor)
    response, last = answer_all(client, offered, "who-5", [3, 2, 2, 1, 3])
    assert response.status == ResponseStatus.COMPLETED
    assert response.total == 11
    page = client.get(last["Location"]).content.decode()
    assert "44% (raw score 11 of 25)" in page
    assert "Low well-being" in page


def test_answers_are_saved_as_the_doctor_goes_and_starting_twice_makes_one_response(client, offered):
    login_as(client, offered.doctor)
    client.post(start_url(offered, "gad-7"))
    client.post(start_url(offered, "gad-7"))
    response = Response.objects.get(questionnaire__key="gad-7")
    client.post(reverse("measures:question", args=[response.pk, 1]), {"answer": "2"})
    client.post(reverse("measures:question", args=[response.pk, 2]), {"stop": "1"})
    response.refresh_from_db()
    assert (response.answers, response.status) == ({"1": 2}, ResponseStatus.STOPPED)
    assert Response.objects.count() == 1
    # Coming back carries on from the next question.
    again = client.post(start_url(offered, "gad-7"))
    assert again["Location"] == reverse("measures:question", args=[response.pk, 2])


def test_a_question_with_no_answer_says_what_to_do(client, offered):
    login_as(client, offered.doctor)
    client.post(start_url(offered, "gad-7"))
    response = Response.objects.get(questionnaire__key="gad-7")
    page = client.post(reverse("measures:question", args=[response.pk, 1]), {})
    assert page.status_code == 200
    assert "Choose the answer that fits best, or skip this question" in page.content.decode()


def test_skipping_questions_finishes_without_a_total(client, offered):
    login_as(client, offered.doctor)
    response, last = answer_all(client, offered, "gad-7", [1, 1, None, 1, 0, 1, 2])
    assert response.status == ResponseStatus.COMPLETED
    assert response.total is None
    assert response.skipped == ["3"]


def test_phq9_question_9_above_0_shows_urgent_help_at_once_and_tells_the_case_manager(client, offered):
    login_as(client, offered.doctor)
    mail.outbox.clear()
    response, last = answer_all(client, offered, "phq-9", [0, 1, 0, 0, 0, 0, 0, 0, 1])
    page = client.get(last["Location"]).content.decode()
    for link in ('href="tel:999"', 'href="tel:111"', 'href="tel:116123"', 'href="tel:03000303300"'):
        assert link in page
    assert "Your case manager will be in touch" in page
    alert = SafetyAlert.objects.get()
    assert alert.reason == "item_9"
    [email] = mail.outbox
    assert email.to == [offered.case_manager.email]
    assert offered.self_request.reference in email.body
    assert "Thoughts" not in email.body and "Several days" not in email.body  # never the answer


def test_the_safety_net_starts_on_question_9_even_when_it_is_answered_first(client, offered):
    login_as(client, offered.doctor)
    client.post(start_url(offered, "phq-9"))
    response = Response.objects.get(questionnaire__key="phq-9")
    reply = client.post(reverse("measures:question", args=[response.pk, 9]), {"answer": "2"})
    assert reply["Location"] == reverse("measures:finished", args=[response.pk])
    assert SafetyAlert.objects.count() == 1
    # Answering more raises nothing twice, and the doctor keeps seeing urgent help.
    client.post(reverse("measures:question", args=[response.pk, 1]), {"answer": "3"})
    assert SafetyAlert.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_phq9_total_of_20_starts_the_safety_net(client, offered):
    login_as(client, offered.doctor)
    answer_all(client, offered, "phq-9", [3, 3, 3, 3, 3, 3, 2, 0, 0])
    assert SafetyAlert.objects.get().reason == "total"


def test_the_case_shows_the_alert_until_the_case_manager_records_the_follow_up(client, offered):
    login_as(client, offered.doctor)
    answer_all(client, offered, "phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    alert = SafetyAlert.objects.get()
    staff = login_as(client.__class__(), offered.case_manager)
    case_page = staff.get(reverse("pathway:case_detail", args=[offered.case.pk])).content.decode()
    assert "A safety answer waits for you" in case_page
    assert "Safety answers waiting" in staff.get(reverse("casework:inbox")).content.decode()
    url = reverse("measures:follow_up", args=[alert.pk])
    refused = staff.post(url, {"followed_up_on": "", "what_was_done": ""})
    assert "Enter the when you followed it up" in refused.content.decode() or refused.status_code == 200
    done = staff.post(
        url,
        {
            "followed_up_on": timezone.localdate().strftime("%d/%m/%Y"),
            "what_was_done": "Phoned the doctor; safe, seeing their GP today.",
        },
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.followed_up_by == offered.case_manager
    case_page = staff.get(reverse("pathway:case_detail", args=[offered.case.pk])).content.decode()
    assert "A safety answer waits for you" not in case_page
    assert AccessRecord.objects.filter(object_type="measures.safetyalert", action="changed").exists()


def test_an_alert_before_a_case_exists_goes_to_every_case_manager_of_the_service(world):
    from supportpath.accounts.models import Role
    from supportpath.measures import catalogue

    second = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER).user
    phq9 = catalogue.ensure_shipped()["phq-9"]
    now = timezone.now()
    response = Response.objects.create(
        doctor=world.doctor.doctor_profile,
        request=world.referral,
        questionnaire=phq9,
        point="first",
        point_key="first",
        answers={"9": 1},
        started_at=now,
        updated_at=now,
    )
    mail.outbox.clear()
    assert safety.raise_alert(response, "item_9")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.case_manager.email, second.email])
    assert "not a case yet" in mail.outbox[0].body


def test_an_alert_not_followed_up_after_one_working_day_goes_to_the_service_admin_once(client, offered):
    friday = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
    with time_machine.travel(friday, tick=False):
        login_as(client, offered.doctor)
        answer_all(client, offered, "phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    mail.outbox.clear()
    with time_machine.travel(friday + dt.timedelta(days=2), tick=False):  # Sunday: not yet
        assert safety.escalate_due() == 0
    with time_machine.travel(friday + dt.timedelta(days=3, minutes=1), tick=False):  # Monday, after 15:00
        assert tasks.run_daily()["escalated"] == 1
        assert tasks.run_daily()["escalated"] == 0
    [email] = mail.outbox
    assert email.to == [offered.service_admin.email]
    assert "has not been followed up" in email.body


def test_case_manager_reads_results_on_the_case_and_the_read_is_logged(client, offered):
    login_as(client, offered.doctor)
    answer_all(client, offered, "who-5", [3, 2, 2, 1, 3])
    answer_all(client, offered, "check-in", [4, 4, 3, 5, 2])
    staff = login_as(client.__class__(), offered.case_manager)
    page = staff.get(reverse("measures:case_results", args=[offered.case.pk])).content.decode()
    assert "44% (raw score 11 of 25)" in page
    assert "<svg" in page and "Not a validated scale" in page
    assert AccessRecord.objects.filter(what__startswith="Questionnaire results", actor=offered.case_manager).exists()
    export = staff.get(reverse("measures:case_export", args=[offered.case.pk])).json()
    assert [e["resource"]["resourceType"] for e in export["entry"]] == ["QuestionnaireResponse"] * 2


def test_the_facilitator_sees_results_only_once_the_doctor_shares_them(client, offered):
    from supportpath.facilitation import services as facilitation

    facilitation.accept(offered.allocation)
    login_as(client, offered.doctor)
    answer_all(client, offered, "who-5", [3, 2, 2, 1, 3])
    coach = login_as(client.__class__(), offered.facilitator)
    url = reverse("measures:case_results", args=[offered.case.pk])
    assert coach.get(url).status_code == 404
    assert coach.get(reverse("measures:case_export", args=[offered.case.pk])).status_code == 404
    assert (
        "questionnaire results"
        not in coach.get(reverse("pathway:case_detail", args=[offered.case.pk])).content.decode()
    )
    client.post(reverse("measures:share", args=[offered.self_request.reference]), {"share": "yes"})
    assert coach.get(url).status_code == 200
    client.post(reverse("measures:share", args=[offered.self_request.reference]), {"share": "no"})
    assert coach.get(url).status_code == 404


def test_other_people_are_refused_the_doctors_answers(client, offered):
    login_as(client, offered.doctor)
    response, _ = answer_all(client, offered, "who-5", [3, 2, 2, 1, 3])
    for person in (
        offered.other_doctor,
        offered.referrer,
        offered.responsible_officer,
        offered.evaluator,
        offered.service_admin,
        offered.other_case_manager,
    ):
        other = login_as(client.__class__(), person)
        for url in (
            reverse("measures:question", args=[response.pk, 1]),
            reverse("measures:finished", args=[response.pk]),
            reverse("measures:case_results", args=[offered.case.pk]),
            reverse("measures:case_export", args=[offered.case.pk]),
            reverse("measures:share", args=[offered.self_request.reference]),
            start_url(offered, "gad-7"),
        ):
            assert other.get(url).status_code == 404, (person, url)


def test_follow_up_invitations_go_once_three_months_after_closure(world):
    from supportpath.closure import services as closing

    record_first_conversation(world.case, world.case_manager, held_on=timezone.localdate() - dt.timedelta(days=120))
    closing.close_case(
        world.case,
        by=world.case_manager,
        data={"reason": "goals_met", "closed_on": timezone.localdate() - dt.timedelta(days=95)},
    )
    mail.outbox.clear()
    assert tasks.send_follow_up_invitations() == 1
    assert tasks.send_follow_up_invitations() == 0
    [email] = mail.outbox
    assert email.to == [world.doctor.email]
    assert "3 months" in email.body


def test_the_service_admin_chooses_the_questionnaires_and_loads_another(client, world):
    admin = login_as(client, world.service_admin)
    page = admin.get(reverse("measures:service_settings"))
    assert page.status_code == 200
    saved = admin.post(reverse("measures:service_settings"), {"review": ["check-in", "who-5"], "first": ["who-5"]})
    assert saved.status_code == 302
    from supportpath.measures.offers import points_for_service

    points = points_for_service(world.service.pk)
    assert points["review"] == ["check-in", "who-5"] and points["closure"] == []
    bad = admin.post(reverse("measures:load_definition"), {"definition": "{not json"})
    assert "This is not valid JSON" in bad.content.decode()
    wrong = admin.post(reverse("measures:load_definition"), {"definition": '{"resourceType": "Patient"}'})
    assert (
        "must be &#34;Questionnaire&#34;" in wrong.content.decode()
        or 'must be "Questionnaire"' in wrong.content.decode()
    )


def test_the_data_download_has_every_response_as_a_valid_fhir_questionnaire_response(client, offered):
    import io
    import json
    import zipfile

    from supportpath.audit.data_export import build_archive
    from supportpath.measures import fhir

    login_as(client, offered.doctor)
    answer_all(client, offered, "who-5", [3, 2, 2, 1, 3])
    answer_all(client, offered, "phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    answer_all(client, offered, "check-in", [4, None, 3, 5, 2])
    archive = zipfile.ZipFile(io.BytesIO(build_archive(offered.doctor.doctor_profile)))
    rows = json.loads(archive.read("questionnaires.json"))
    resources = [r["fhir_questionnaire_response"] for r in rows if r["record"] == "Questionnaire"]
    assert len(resources) == 3
    by_url = {r.questionnaire.canonical: r.questionnaire for r in Response.objects.select_related("questionnaire")}
    for resource in resources:
        questionnaire = by_url[resource["questionnaire"]]
        assert fhir.validate(resource, questionnaire.definition, version=questionnaire.version) == []
    assert any(r["record"].startswith("Safety answer") for r in rows)
    assert any(r.get("note", "").startswith("Not a validated scale") for r in rows)


def test_the_results_pages_queries_do_not_grow_with_the_answers(client, offered, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(client, offered.doctor)
    answer_all(client, offered, "who-5", [3, 2, 2, 1, 3])
    staff = login_as(client.__class__(), offered.case_manager)
    pages = [
        (staff, reverse("measures:case_results", args=[offered.case.pk])),
        (client, reverse("measures:my_results")),
    ]
    before = []
    for who, url in pages:
        who.get(url)
        with CaptureQueriesContext(connection) as queries:
            who.get(url)
        before.append(len(queries.captured_queries))
    answer_all(client, offered, "gad-7", [1, 1, 1, 1, 0, 1, 2])
    answer_all(client, offered, "check-in", [4, 4, 3, 5, 2])
    answer_all(client, offered, "gse", [3] * 10)
    for (who, url), count in zip(pages, before, strict=True):
        with django_assert_num_queries(count):
            who.get(url)
