"""What the doctor reads on "My support" and their case page: each stage with its planned and actual dates,
and what happens next with a by-when that is true, at every point of the path."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportpath.closure.models import ExitFeedback
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.journey import presenters
from supportpath.journey.journeys import journeys_for
from supportpath.pathway.models import InitialConversation
from supportpath.plans import content as plan_content
from supportpath.plans.models import PlanVersion, SupportPlan, VersionStatus
from supportpath.progress.models import Closure, MilestoneDone, Review, RevisedDate
from supportpath.referrals.models import Route, Status
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

from .conftest import NOW, TODAY, assessed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def next_step(client, world, case=None) -> str:
    """The "what happens next" sentence on My support, checked to be the same on the case page."""
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    case = case or world.case
    journey = journeys_for([case.request])[0]
    text = journey.next_step.text.replace("'", "&#39;")
    assert text in page
    case_page = client.get(reverse("pathway:my_case", args=[case.pk])).content.decode()
    assert text in case_page, "both pages tell the same story"
    return journey.next_step.text


def share_plan(world, status=VersionStatus.SHARED):
    body = plan_content.empty()
    plan, _ = SupportPlan.objects.get_or_create(case=world.case)
    PlanVersion.objects.create(plan=plan, number=1, status=status, content=body, created_by=world.case_manager)


def test_before_first_contact_the_doctor_is_told_who_will_contact_them_and_by_when(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    due = world.referral.first_contact_due
    assert f"Someone from North Fictional Professional Support Unit will contact you by {due:%A} {due.day}" in page


def test_a_late_first_contact_is_owned_up_to_without_a_new_date(client, world):
    world.referral.first_contact_due = TODAY - dt.timedelta(days=1)
    world.referral.save()
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert "would contact you by Sunday 22 November 2026, and we have not managed it yet. We are sorry." in page


def test_an_arranged_conversation_is_the_next_step_with_its_date_and_time(client, world):
    InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=4, hours=4), mode="video", arranged_by=world.case_manager
    )
    assert next_step(client, world) == (
        "Your first conversation, with Dan Manager, is on Friday 27 November 2026 at 2:00pm (video call)."
    )
    assert presenters.for_case(world.case)["can_ask_for_another_time"]


def test_without_a_conversation_the_case_manager_arranges_it_by_the_target(client, world):
    due = world.case.initial_conversation_due
    assert next_step(client, world).endswith(
        f"will arrange your first conversation with you, by {due:%A} {due.day} {due:%B %Y}."
    )


def test_a_shared_plan_asks_the_doctor_to_read_it_by_the_target(client, world):
    assessed(world.case, TODAY)
    share_plan(world)
    due = world.case.plan_agreed_due
    assert next_step(client, world) == (
        f"Your support plan is ready for you to read. You can agree it, or ask for changes, by {due:%A} {due.day} "
        f"{due:%B %Y}."
    )
    PlanVersion.objects.update(status=VersionStatus.CHANGES_REQUESTED)
    assert next_step(client, world).startswith("Dan Manager is changing your support plan as you asked")


def test_in_support_without_a_facilitator_nobody_promises_sessions(client, world):
    assessed(world.case, TODAY)
    world.allocation.delete()
    f.agreed_plan(world.case, by=world.case_manager, review_dates=[TODAY + dt.timedelta(days=30)])
    text = next_step(client, world)
    assert text.startswith("We are finding a facilitator for you.")
    assert "arrange sessions" not in text and "arrange your sessions" not in text


def test_a_facilitator_asked_but_not_yet_answering_is_named(client, world):
    assessed(world.case, TODAY)
    f.agreed_plan(world.case, by=world.case_manager)
    assert next_step(client, world).startswith(
        "We have asked Fay Coach to be your facilitator, and are waiting for their answer."
    )


def test_in_support_the_next_review_or_milestone_gives_the_by_when(client, in_support):
    world = in_support
    MilestoneDone.objects.create(
        case=world.case,
        text="First ward round alone",
        due=TODAY - dt.timedelta(days=2),
        done_on=TODAY,
        marked_by=world.facilitator,
    )
    assert next_step(client, world) == (
        "Your next milestone, \u201cTeach a junior\u201d, is planned for Tuesday 24 November 2026. Fay Coach will "
        "arrange your sessions with you."
    )
    MilestoneDone.objects.create(
        case=world.case,
        text="Teach a junior",
        due=TODAY + dt.timedelta(days=1),
        done_on=TODAY,
        marked_by=world.facilitator,
    )
    RevisedDate.objects.create(
        case=world.case,
        target="review",
        original_due=TODAY + dt.timedelta(days=10),
        new_due=TODAY + dt.timedelta(days=17),
        reason="Fay is away.",
        set_by=world.case_manager,
    )
    assert next_step(client, world).startswith(
        "Your next review, with Fay Coach, is planned for Thursday 10 December 2026."
    )


def test_the_stages_show_when_things_happened_not_only_their_targets(client, in_support):
    world = in_support
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert "Happened on Tuesday 3 November 2026 (planned by" in page, "the first conversation's real date"
    assert "Happened on Monday 23 November 2026 (planned by" in page, "the plan agreed today"
    assert "Done — By" not in page and ">By " not in page


def test_after_closure_the_doctor_is_asked_for_feedback_then_told_they_can_come_back(client, in_support):
    world = in_support
    InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=3), mode="phone", arranged_by=world.case_manager
    )
    Closure.objects.create(case=world.case, reason="goals_met", closed_on=TODAY, closed_by=world.case_manager)
    world.case.stage = "closed"
    world.case.save()
    assert next_step(client, world).startswith("Your support has ended. When you are ready, tell us what changed")
    progress = presenters.for_case(world.case)
    assert not progress["can_ask_for_another_time"], "nothing to move once support has ended"
    reviews = [s for s in progress["journey"].steps if s.key.startswith("review")]
    assert reviews and all(s.state == "not_needed" for s in reviews)
    ExitFeedback.objects.create(case=world.case, answers={})
    assert next_step(client, world) == "Your support has ended. You can ask for support again at any time."


def test_a_request_handed_over_before_any_case_names_where_it_went(client, world):
    world.referral.status = Status.HANDED_OVER
    world.referral.handed_over_to = "practitioner_health"
    world.referral.handover_consent = True
    world.referral.handed_over_at = NOW
    world.referral.save()
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert "We have passed your request to Practitioner Health, with your agreement." in page
    assert "Passed to Practitioner Health" in page


def test_my_support_takes_the_same_queries_however_much_has_happened(client, in_support, django_assert_num_queries):
    world = in_support
    login_as(client, world.doctor)
    url = reverse("referrals:my_support")
    with django_assert_num_queries(pinned(23)) as small:  # with the "Coming up" appointments, one query
        client.get(url)
    for n in range(6):
        Review.objects.create(
            case=world.case,
            plan_version=PlanVersion.objects.get(),
            held_on=TODAY,
            scores=[],
            t_score=50,
            recorded_by=world.facilitator,
            submission_token=f"00000000-0000-0000-0000-00000000000{n}",
        )
        RevisedDate.objects.create(
            case=world.case,
            target="milestone",
            label="Teach a junior",
            original_due=TODAY + dt.timedelta(days=1),
            new_due=TODAY + dt.timedelta(days=5 + n),
            reason=f"Reason {n}",
            set_by=world.case_manager,
        )
        other = f.CaseFactory(request=f.SupportRequestFactory(service=world.service), case_manager=world.case_manager)
        Allocation.objects.create(
            case=other, facilitator=world.facilitator, proposed_by=world.case_manager, status=AllocationStatus.ACCEPTED
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_a_list_of_journeys_takes_the_same_queries_however_many_cases(world, django_assert_num_queries):
    def requests():
        return list(
            world.doctor.doctor_profile.support_requests.select_related(
                "service", "case__case_manager", "case__facilitator"
            )
        )

    f.agreed_plan(world.case, by=world.case_manager)
    with django_assert_num_queries(9) as one:  # the requests, then eight for their journeys
        journeys_for(requests())
    for _ in range(3):
        case = f.CaseFactory(request=f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service))
        f.agreed_plan(case, by=world.case_manager, milestones=[("A step", TODAY)], review_dates=[TODAY])
    with django_assert_num_queries(len(one.captured_queries)):
        journeys_for(requests())


def test_a_referred_doctor_is_not_told_they_sent_a_request(world):
    referral, own = journeys_for([world.referral, world.self_request])
    assert referral.steps[0].title == "We received the referral"
    assert own.steps[0].title == "We received your request"


def test_a_doctor_who_asked_after_a_signpost_is_told_it_was_their_request(world):
    world.self_request.route = Route.SIGNPOSTED
    world.self_request.save(update_fields=["route"])
    (own,) = journeys_for([world.self_request])
    assert own.steps[0].title == "We received your request"


def test_what_happens_next_links_to_the_plan_the_doctor_is_asked_to_read(client, world):
    assessed(world.case, TODAY)
    version = f.agreed_plan(world.case, by=world.case_manager)
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.SHARED, agreed_at=None, shared_at=NOW)
    next_step(client, world)
    page = client.get(reverse("referrals:my_support")).content.decode()
    plan_url = reverse("plans:my_plan", args=[world.case.pk])
    assert f'<a href="{plan_url}">Read your support plan</a>' in page
    my_plan = client.get(plan_url).content.decode()
    # A long plan: "Agree this plan" where the doctor starts reading and where they finish.
    assert my_plan.count(">Agree this plan</a>") == 2
    assert "Starting level" not in my_plan and "Where you are starting:" in my_plan
