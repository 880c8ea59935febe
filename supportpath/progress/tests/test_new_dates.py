"""The case manager gives a target a new date with a reason; the doctor is told at once and sees the new date
and the reason on "My support" and their case page; staff see it on the case page."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.audit.models import AccessRecord
from supportpath.core.dates import long_date
from supportpath.progress.models import RevisedDate, Target
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

from .conftest import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post_data(**overrides):
    data = {
        "target": "milestone-1",
        "new_due": "11/12/2026",
        "reason": "Your facilitator is on leave that week.",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_case_manager_sets_a_new_date_and_the_doctor_is_told_at_once(
    client, in_support, django_capture_on_commit_callbacks
):
    world = in_support
    login_as(client, world.case_manager)
    url = reverse("progress:new_date", args=[world.case.pk])
    page = client.get(url + "?target=milestone-1").content.decode()
    assert "Milestone: Teach a junior (planned by Tuesday 24 November 2026)" in page
    assert 'value="milestone-1" checked' in page, "the target chosen on the case page is ticked"
    assert "Up to 300 characters" in page

    data = post_data()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        client.post(url, data)  # a double click
    revised = RevisedDate.objects.get()
    assert (revised.target, revised.label, revised.original_due) == (
        Target.MILESTONE,
        "Teach a junior",
        TODAY + dt.timedelta(days=1),
    )
    assert revised.new_due == dt.date(2026, 12, 11) and revised.set_by == world.case_manager
    doctor_mail = [m for m in mail.outbox if m.to == [world.doctor.email]]
    assert len(doctor_mail) == 1
    assert "There is a new date for one of your milestones: Friday 11 December 2026" in doctor_mail[0].body
    assert "Teach a junior" not in doctor_mail[0].body
    assert any(m.to == [world.facilitator.email] for m in mail.outbox), "the facilitator hears of a milestone's date"
    assert AccessRecord.objects.filter(actor=world.case_manager, action="changed").exists()

    staff_page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert (
        "Friday 11 December 2026" in staff_page
        and "Reason given: Your facilitator is on leave that week." in staff_page
    )
    assert "No new date" in staff_page, "the targets that kept their date say so in words"
    assert ">None<" not in staff_page.replace("\n", "").replace(" ", "")

    login_as(client, world.doctor)
    case_page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "new date: Friday 11 December 2026" in case_page
    assert "(Your facilitator is on leave that week.)" in case_page


def test_a_new_date_for_the_first_conversation_reaches_both_of_the_doctors_pages(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("progress:new_date", args=[world.case.pk]),
            post_data(target="initial_conversation", reason="We are short of staff this month."),
        )
    login_as(client, world.doctor)
    for page in (
        client.get(reverse("referrals:my_support")).content.decode(),
        client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode(),
    ):
        assert "New date: Friday 11 December 2026" in page
        assert "We are short of staff this month." in page
        assert "will arrange your first conversation with you, by Friday 11 December 2026" in page or (
            "arrange it with you by Friday 11 December 2026" in page
        )


def test_bad_input_gets_plain_errors_and_keeps_what_was_typed(client, in_support):
    world = in_support
    login_as(client, world.case_manager)
    url = reverse("progress:new_date", args=[world.case.pk])
    page = client.post(url, post_data(target="", new_due="", reason="")).content.decode()
    assert "There is a problem" in page
    assert "Select which date is moving" in page and "Enter the new date" in page
    assert "Enter why the date has moved, in words the doctor will read" in page
    page = client.post(url, post_data(new_due="20/11/2026", reason="x" * 301)).content.decode()
    assert "The new date must be today or later" in page and "The reason must be 300 characters or fewer" in page
    page = client.post(url, post_data(new_due="24/11/2026")).content.decode()
    assert "That is already its date (Tuesday 24 November 2026): enter a different one" in page
    page = client.post(url, post_data(new_due="31/02/2027")).content.decode()
    assert "Enter a real date" in page and "Your facilitator is on leave that week." in page
    page = client.post(url, post_data(target="milestone-0", new_due="01/01/2030")).content.decode()
    assert "The new date must be before" in page
    page = client.post(url, post_data(target="plan_agreed")).content.decode()
    assert "That date has already happened or is no longer in the plan" in page, "the plan was already agreed"
    assert not RevisedDate.objects.exists()


def test_only_the_case_manager_sets_new_dates(client, in_support):
    world = in_support
    url = reverse("progress:new_date", args=[world.case.pk])
    for person in (world.facilitator, world.other_case_manager, world.doctor, world.referrer):
        login_as(client, person)
        assert client.get(url).status_code == 404
        assert client.post(url, post_data()).status_code == 404
    assert not RevisedDate.objects.exists()


def test_a_closed_case_has_no_dates_to_move(client, in_support):
    world = in_support
    login_as(client, world.case_manager)
    client.post(reverse("closure:close_case", args=[world.case.pk]), {"reason": "goals_met", "closed_on": "23/11/2026"})
    url = reverse("progress:new_date", args=[world.case.pk])
    assert client.get(url).status_code == 404, "a closed case shows nobody a form that writes into it"
    assert client.post(url, post_data()).status_code == 404
    assert not RevisedDate.objects.exists()
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "Set a new date" not in page

    login_as(client, world.doctor)
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "Not needed" in page and "Not yet" not in page, "reviews that will not happen say so"


def test_staff_and_doctor_pages_take_the_same_queries_however_many_dates_move(
    client, in_support, django_assert_num_queries
):
    world = in_support
    expected = {
        "pathway:case_detail": pinned(21, 22),
        "pathway:my_case": pinned(16),
        "referrals:my_support": pinned(23),
        "progress:new_date": pinned(16, 17),
    }
    counts = {}
    pages = (
        (world.case_manager, "pathway:case_detail", [world.case.pk]),
        (world.doctor, "pathway:my_case", [world.case.pk]),
        (world.doctor, "referrals:my_support", []),
        (world.case_manager, "progress:new_date", [world.case.pk]),
    )
    for size in ("small", "large"):
        for who, name, args in pages:
            login_as(client, who)
            with django_assert_num_queries(expected[name]) as queries:
                assert client.get(reverse(name, args=args)).status_code == 200
            counts[(size, name)] = len(queries.captured_queries)
        for n in range(5):
            for target in ("milestone-0", "milestone-1", "review-0", "review-1"):
                RevisedDate.objects.create(
                    case=world.case,
                    target=target.split("-")[0],
                    label={"milestone-0": "First ward round alone", "milestone-1": "Teach a junior"}.get(target, ""),
                    original_due={
                        "milestone-0": TODAY - dt.timedelta(days=2),
                        "milestone-1": TODAY + dt.timedelta(days=1),
                        "review-0": TODAY + dt.timedelta(days=10),
                        "review-1": TODAY + dt.timedelta(days=60),
                    }[target],
                    new_due=TODAY + dt.timedelta(days=20 + n),
                    reason=f"Reason {n}",
                    set_by=world.case_manager,
                )
    for _, name, _ in pages:
        assert counts[("small", name)] == counts[("large", name)], name


def test_the_doctors_copy_of_their_data_holds_each_new_date_and_why(client, in_support):
    import io
    import json
    import zipfile

    world = in_support
    login_as(client, world.case_manager)
    client.post(reverse("progress:new_date", args=[world.case.pk]), post_data())
    login_as(client, world.doctor)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content))
    rows = [r for r in json.loads(archive.read("progress.json")) if r["record"] == "New date you were told"]
    assert rows == [
        {
            "request": world.self_request.reference,
            "record": "New date you were told",
            "what": "Teach a junior",
            "first_due": "2026-11-24",
            "new_date": "2026-12-11",
            "why": "Your facilitator is on leave that week.",
        }
    ]


def test_staff_pages_show_the_date_in_force_with_the_planned_one_as_was(client, in_support):
    world = in_support
    login_as(client, world.case_manager)
    url = reverse("progress:new_date", args=[world.case.pk])
    client.post(url, post_data(target="milestone-1", new_due="11/12/2026"))
    client.post(url, post_data(target="review-0", new_due="10/12/2026", reason="Your facilitator is away."))
    milestone = "Friday 11 December 2026 (was Tuesday 24 November 2026): Teach a junior"
    review = "Thursday 10 December 2026 (was Thursday 3 December 2026)"
    for person in (world.case_manager, world.facilitator, world.doctor):
        login_as(client, person)
        name = "plans:my_plan" if person == world.doctor else "plans:plan_detail"
        page = client.get(reverse(name, args=[world.case.pk])).content.decode()
        assert milestone in page and review in page, person
        assert "Tuesday 24 November 2026: Teach a junior" not in page
        assert "<li>Thursday 3 December 2026</li>" not in page
        assert f"<li>{long_date(TODAY + dt.timedelta(days=60))}</li>" in page, "a date nobody moved shows as planned"


def test_the_case_page_and_the_cases_list_show_the_conversations_new_date(client, world):
    planned = world.case.initial_conversation_due
    login_as(client, world.case_manager)
    client.post(
        reverse("progress:new_date", args=[world.case.pk]),
        post_data(target="initial_conversation", new_due="30/12/2026", reason="We are short of staff this month."),
    )
    case_page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert f"Wednesday 30 December 2026 (was {long_date(planned)})" in case_page
    row = client.get(reverse("casework:cases")).content.decode().split(world.self_request.reference)[1]
    row = row.split("</tr>")[0]
    assert "First conversation by Wednesday 30 December 2026" in row
    assert f"New date, was {long_date(planned)}" in row


def test_the_cases_list_says_when_the_next_date_has_passed_with_no_new_one(client, in_support):
    world = in_support
    login_as(client, world.case_manager)
    row = client.get(reverse("casework:cases")).content.decode().split(world.self_request.reference)[1]
    row = row.split("</tr>")[0]
    assert "Milestone: First ward round alone by Saturday 21 November 2026" in row
    assert "Overdue: no new date yet" in row
