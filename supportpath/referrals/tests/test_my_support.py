""" "My support" reads every request's pathway through the one shared loader (``pathways_for``), so the page
takes the same queries for one request as for several, each with a case, a conversation and a new date."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportpath.facilitation.models import Allocation
from supportpath.pathway.models import InitialConversation
from supportpath.progress.models import RevisedDate
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

# Session, user, memberships, second factor, the doctor's profile, the requests with their cases (and the cases'
# case managers and facilitators) and reasons, the shared loader's batch (targets, allocations, feedback),
# emergency-access notices, the pauses, the
# questionnaires panel (cases with their reviews, the shipped definitions, answers, the services' choices) and the
# "Coming up" appointments (one query for all the doctor's cases): none per request.
MY_SUPPORT_QUERIES = 23  # 22, and the header's count of new messages


def a_request_in_support(world, doctor, n):
    case = f.CaseFactory(
        request=f.SupportRequestFactory(doctor=doctor.doctor_profile, service=world.service, reasons=["career"]),
        case_manager=world.case_manager,
    )
    InitialConversation.objects.create(
        case=case, scheduled_for=NOW + dt.timedelta(days=3 + n), mode="phone", arranged_by=world.case_manager
    )
    Allocation.objects.create(case=case, facilitator=world.facilitator, proposed_by=world.case_manager)
    RevisedDate.objects.create(
        case=case,
        target="plan_agreed",
        label="Plan agreed",
        original_due=case.plan_agreed_due,
        new_due=case.plan_agreed_due + dt.timedelta(days=7 + n),
        reason=f"The doctor is on leave ({n})",
        set_by=world.case_manager,
    )
    return case


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_my_support_takes_the_same_queries_for_one_request_as_for_three(client, world, django_assert_num_queries):
    doctor = f.DoctorFactory(employer=world.trust, user__full_name="Dr Iris Example").user
    cases = [a_request_in_support(world, doctor, 0)]
    login_as(client, doctor)
    url = reverse("referrals:my_support")
    client.get(url)  # the first visit of the day may record what it saw
    with django_assert_num_queries(MY_SUPPORT_QUERIES):
        page = client.get(url).content.decode()
    assert page.count("Your conversation, sessions and plan") == 1
    cases += [a_request_in_support(world, doctor, n) for n in (1, 2)]
    client.get(url)
    with django_assert_num_queries(MY_SUPPORT_QUERIES):
        page = client.get(url).content.decode()
    assert page.count("Your conversation, sessions and plan") == 3
    for case in cases:
        assert case.request.reference in page
    assert "The doctor is on leave (2)" in page
