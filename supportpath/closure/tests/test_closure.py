"""Closing a case and handing the doctor over, through the pages: why, the final score, the doctor told and
asked for their feedback."""

import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.casework.models import Stage
from supportpath.closure.models import ExitFeedback
from supportpath.facilitation.models import AllocationStatus
from supportpath.progress.models import Closure, Review
from supportpath.progress.tests.test_progress import NOW, pytestmark, review_post, supported
from supportpath.referrals.models import Status
from supportpath.testing.auth import login_as

__all__ = ["pytestmark", "supported"]  # the progress tests' fixture and database mark


@time_machine.travel(NOW, tick=False)
def test_closure_records_why_the_final_score_and_invites_the_doctors_feedback(
    client, supported, django_capture_on_commit_callbacks
):
    world = supported
    login_as(client, world.case_manager)
    client.post(reverse("progress:record_review", args=[world.case.pk]), review_post(goal_0="2", goal_1="1"))
    url = reverse("closure:close_case", args=[world.case.pk])
    page = client.post(url, {"reason": "other", "closed_on": "23/11/2026"}).content.decode()
    assert "Enter the reason for closing" in page
    page = client.post(url, {"reason": "handed_over", "closed_on": "23/11/2026"}).content.decode()
    assert "Choose the service" in page and "needs the doctor" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "goals_met", "closed_on": "23/11/2026"})
    closure = Closure.objects.get(case=world.case)
    assert closure.final_t_score == Review.objects.get().t_score > 50
    world.case.refresh_from_db()
    world.self_request.refresh_from_db()
    world.allocation.refresh_from_db()
    assert world.case.stage == Stage.CLOSED and world.self_request.status == Status.CLOSED
    assert world.allocation.status == AllocationStatus.ENDED, "the facilitator's place is freed"
    assert mail.outbox[-1].to == [world.doctor.email] and "peer supporter" in mail.outbox[-1].body

    login_as(client, world.other_doctor)
    assert client.get(reverse("closure:exit_feedback", args=[world.case.pk])).status_code == 404
    login_as(client, world.doctor)
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "Your support has ended" in page and "Ask for support again" in page
    client.post(
        reverse("closure:exit_feedback", args=[world.case.pk]),
        {
            "what_changed": "I lead ward rounds now.",
            "team_may_read": "yes",
            "safe_to_be_open": "5",
            "knew_what_next": "4",
            "peer_supporter": "later",
        },
    )
    feedback = ExitFeedback.objects.get(case=world.case)
    assert feedback.answers == {"safe_to_be_open": 5, "knew_what_next": 4}
    assert feedback.what_changed == "I lead ward rounds now." and feedback.peer_supporter == "later"


@time_machine.travel(NOW, tick=False)
def test_a_handover_at_closure_records_where_why_the_doctors_consent_and_the_date(client, supported):
    world = supported
    login_as(client, world.case_manager)
    url = reverse("closure:close_case", args=[world.case.pk])
    data = {
        "reason": "handed_over",
        "handed_over_to": "other",
        "handed_over_to_name": "",
        "handover_reason": "",
        "doctor_consented": "yes",
        "closed_on": "20/11/2026",
    }
    page = client.post(url, data).content.decode()
    assert "Enter the name of the service" in page and "Enter why this service is a better fit" in page
    assert "20/11/2026" in page, "what was typed is kept"
    page = client.post(url, {**data, "handed_over_to_name": "x" * 201, "handover_reason": "y"}).content.decode()
    assert "The name must be 200 characters or fewer" in page
    client.post(
        url,
        {**data, "handed_over_to_name": "Fenland Doctors' Wellbeing Hub", "handover_reason": "Closer to home."},
    )
    closure = Closure.objects.get()
    assert closure.handed_over_to_label == "Fenland Doctors' Wellbeing Hub"
    assert closure.handover_reason == "Closer to home." and closure.final_t_score is None
    world.self_request.refresh_from_db()
    assert world.self_request.status == Status.HANDED_OVER
    assert world.self_request.handed_over_to == "other" and world.self_request.handover_consent
    assert world.self_request.handover_reason == "Closer to home."
    assert timezone.localdate(world.self_request.handed_over_at) == dt.date(2026, 11, 20), "the closure's date"

    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "handed over to Fenland Doctors&#39; Wellbeing Hub" in page
    login_as(client, world.doctor)
    for name, args in (("referrals:my_support", []), ("pathway:my_case", [world.case.pk])):
        page = client.get(reverse(name, args=args)).content.decode()
        assert "Fenland Doctors&#39; Wellbeing Hub" in page and "Another service" not in page
