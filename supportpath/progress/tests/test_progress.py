"""Reviews, milestones, stage checks and reassessment, through the pages and the command (closing is in
supportpath/closure/tests/test_closure.py)."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.casework.models import Stage
from supportpath.progress.models import Reassessment, Review
from supportpath.scoring import gas
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()


@pytest.fixture
def supported(world):
    """world.case with its facilitator accepted and an agreed plan of two goals, both a week before NOW (a
    review or session is not dated before them: ``casework.date_order``)."""
    from supportpath.facilitation import services as facilitation

    with time_machine.travel(NOW - dt.timedelta(days=7), tick=False):
        facilitation.accept(world.allocation)
        world.case.refresh_from_db()
        world.case.stage = Stage.SUPPORT
        world.case.save()
        f.agreed_plan(
            world.case,
            by=world.case_manager,
            goals=[("Lead the ward round", 3, 2), ("Speak up at huddles", 1, 1)],
            milestones=[
                ("First ward round alone", TODAY - dt.timedelta(days=2)),
                ("Teach a junior", TODAY + dt.timedelta(days=1)),
            ],
            review_dates=[TODAY, TODAY + dt.timedelta(days=60)],
        )
    return world


def review_post(**overrides):
    data = {"held_on": "23/11/2026", "goal_0": "1", "goal_1": "0", "notes": "", "submission_token": str(uuid.uuid4())}
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_a_review_scores_every_goal_and_the_doctor_adds_a_reflection(
    client, supported, django_capture_on_commit_callbacks
):
    world = supported
    login_as(client, world.facilitator)
    url = reverse("progress:record_review", args=[world.case.pk])
    page = client.get(url).content.decode()
    assert "Lead the ward round: level 2" in page, "each level is described in the goal's own words"
    assert "Score goal 2" in client.post(url, review_post(goal_1="")).content.decode()
    data = review_post()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
        client.post(url, data)  # a double click
    review = Review.objects.get(case=world.case)
    expected = gas.t_score([gas.ScoredGoal(1, 3, 2), gas.ScoredGoal(0, 1, 1)])
    assert review.t_score == pytest.approx(expected, abs=0.05)
    assert mail.outbox[-1].to == [world.doctor.email]

    login_as(client, world.doctor)
    my_case = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    # The doctor reads words, not the score or the scale's numbers.
    assert f"{expected:.1f}" not in my_case and "Add your reflection" in my_case
    assert "Taken together, your goals stood at more than you and your case manager expected" in my_case
    assert "Somewhat more than expected" in my_case and "+1 (" not in my_case
    reflect = reverse("progress:reflect", args=[world.case.pk, review.pk])
    assert "Enter your reflection" in client.post(reflect, {"reflection": ""}).content.decode()
    client.post(reflect, {"reflection": "More confident on Tuesdays."})
    login_as(client, world.case_manager)
    assert (
        "More confident on Tuesdays."
        in client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    )


@time_machine.travel(NOW, tick=False)
def test_nobody_else_can_review_or_reflect(client, supported):
    world = supported
    review = Review.objects.create(
        case=world.case,
        plan_version=world.case.support_plan.versions.get(),
        held_on=TODAY,
        scores=[],
        t_score=50,
        recorded_by=world.case_manager,
        submission_token=uuid.uuid4(),
    )
    for person in (world.other_case_manager, world.referrer, world.other_doctor):
        login_as(client, person)
        assert client.post(reverse("progress:record_review", args=[world.case.pk]), review_post()).status_code == 404
        reflect = reverse("progress:reflect", args=[world.case.pk, review.pk])
        assert client.post(reflect, {"reflection": "Not mine"}).status_code == 404
    review.refresh_from_db()
    assert review.doctor_reflection == "" and Review.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_milestones_show_as_due_or_overdue_and_can_be_marked_done(client, supported):
    world = supported
    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "Overdue" in page and "Due soon" in page
    client.post(reverse("progress:mark_milestone_done", args=[world.case.pk]), {"index": "0"})
    login_as(client, world.doctor)
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "Date passed" not in page and "Done" in page and "Coming up" in page


@time_machine.travel(NOW, tick=False)
def test_reassessment_is_recorded_by_the_case_manager_only(client, supported):
    world = supported
    url = reverse("progress:record_reassessment", args=[world.case.pk])
    data = {
        "held_on": "20/11/2026",
        "assessed_by": "Dr Rae Assessor, clinical assessor",
        "outcome": "continue",
        "details": "Safe to continue with supervised practice.",
        "submission_token": str(uuid.uuid4()),
    }
    login_as(client, world.facilitator)
    assert client.post(url, data).status_code == 404
    login_as(client, world.case_manager)
    assert "Enter who carried out" in client.post(url, {**data, "assessed_by": ""}).content.decode()
    assert "must be today or in the past" in client.post(url, {**data, "held_on": "01/01/2030"}).content.decode()
    client.post(url, data)
    client.post(url, data)
    assert Reassessment.objects.get(case=world.case).assessed_by == "Dr Rae Assessor, clinical assessor"
    assert "Dr Rae Assessor" in client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()


@time_machine.travel(NOW, tick=False)
def test_case_pages_take_the_same_queries_however_many_reviews(client, supported, django_assert_num_queries):
    world = supported
    login_as(client, world.case_manager)
    url = reverse("progress:record_review", args=[world.case.pk])
    client.post(url, review_post())
    expected = {"pathway:case_detail": pinned(22, 23), "pathway:my_case": pinned(16)}
    counts = {}
    for size in ("small", "large"):
        for who, name in ((world.case_manager, "pathway:case_detail"), (world.doctor, "pathway:my_case")):
            login_as(client, who)
            with django_assert_num_queries(expected[name]) as queries:
                assert client.get(reverse(name, args=[world.case.pk])).status_code == 200
            counts[(size, name)] = len(queries.captured_queries)
        login_as(client, world.case_manager)
        for _ in range(6):
            client.post(url, review_post())
    assert counts[("small", "pathway:case_detail")] == counts[("large", "pathway:case_detail")]
    assert counts[("small", "pathway:my_case")] == counts[("large", "pathway:my_case")]
