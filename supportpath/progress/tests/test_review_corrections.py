"""A review is not dated before its plan was agreed; its author corrects it afterwards, the earlier version
kept, what changed shown on the case, and the earlier version in the doctor's data download."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportpath.casework.models import Stage
from supportpath.progress.export import progress as progress_export
from supportpath.progress.models import Review, ReviewVersion
from supportpath.testing.auth import login_as

from .test_progress import NOW, review_post, supported  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_a_review_dated_before_the_plan_was_agreed_is_refused(client, supported):  # noqa: F811
    world = supported
    login_as(client, world.facilitator)
    page = client.post(
        reverse("progress:record_review", args=[world.case.pk]), review_post(held_on="10/11/2026")
    ).content.decode()
    assert "The date of the review cannot be before Monday 16 November 2026, the day the plan was agreed" in page
    assert not Review.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_its_author_corrects_a_review_and_the_case_shows_what_changed(client, supported):  # noqa: F811
    world = supported
    login_as(client, world.facilitator)
    client.post(reverse("progress:record_review", args=[world.case.pk]), review_post(goal_0="0", notes="Going well."))
    review = Review.objects.get(case=world.case)
    first_score = review.t_score
    url = reverse("progress:correct_review", args=[review.pk])
    corrected = {"held_on": "20/11/2026", "goal_0": "1", "goal_1": "0", "notes": "Going well; led one round."}

    for person in (world.case_manager, world.doctor, world.other_facilitator, world.referrer):
        login_as(client, person)
        assert client.get(url).status_code == 404, person
        assert client.post(url, corrected).status_code == 404, person
    assert not ReviewVersion.objects.exists()

    login_as(client, world.facilitator)
    form = client.get(url).content.decode()
    assert 'value="23/11/2026"' in form and "Going well." in form
    page = client.post(url, {**corrected, "held_on": "10/11/2026"}).content.decode()
    assert "cannot be before Monday 16 November 2026, the day the plan was agreed" in page
    assert client.post(url, corrected).status_code == 302
    assert client.post(url, corrected).status_code == 302  # the same correction again: nothing more kept
    [earlier] = ReviewVersion.objects.all()
    assert earlier.held_on == NOW.date() and earlier.scores[0]["level"] == 0 and earlier.t_score == first_score
    review.refresh_from_db()
    assert review.held_on == dt.date(2026, 11, 20) and review.scores[0]["level"] == 1
    assert review.t_score > first_score, "scored again"

    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "by Fay Coach: what changed" in page
    assert "Goal 1: Lead the ward round" in page and "+1 (somewhat more than expected)" in page
    assert "Going well; led one round." in page and "Correct this review" in page

    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "what changed" in page and "Correct this review" not in page, "only its author corrects it"

    [row] = [r for r in progress_export(world.doctor.doctor_profile) if r["record"] == "Review of goals"]
    [version] = row["earlier_versions"]
    assert version["held_on"] == NOW.date() and version["notes"] == "Going well."


@time_machine.travel(NOW, tick=False)
def test_once_the_case_is_closed_its_author_may_no_longer_correct_a_review(client, supported):  # noqa: F811
    world = supported
    login_as(client, world.facilitator)
    client.post(reverse("progress:record_review", args=[world.case.pk]), review_post(goal_0="2", goal_1="1"))
    review = Review.objects.get(case=world.case)
    login_as(client, world.case_manager)
    client.post(reverse("closure:close_case", args=[world.case.pk]), {"reason": "goals_met", "closed_on": "23/11/2026"})

    world.case.refresh_from_db()
    assert world.case.stage == Stage.CLOSED

    login_as(client, world.facilitator)  # the author, whose relationship to the case ended with it
    url = reverse("progress:correct_review", args=[review.pk])
    corrected = {"held_on": "23/11/2026", "goal_0": "0", "goal_1": "0", "notes": "Changed after closing."}
    assert client.get(url).status_code == 404
    assert client.post(url, corrected).status_code == 404
    assert not ReviewVersion.objects.exists()
    review.refresh_from_db()
    assert review.scores[0]["level"] == 2
