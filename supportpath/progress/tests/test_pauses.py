"""A paused case: its targets wait while it lasts (nobody is told they are late), then every open target set
before the pause moves on by the working days it lasted; the doctor sees why."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.core.working_days import add_working_days
from supportpath.progress import targets
from supportpath.progress.models import Pause, Target, TargetNotice
from supportpath.testing.auth import login_as

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def _pause(client, case, *, started_on=TODAY, reason="sick_leave", explanation="Back after your leave."):
    return client.post(
        reverse("progress:pause_case", args=[case.pk]),
        {
            "action": "pause",
            "reason": reason,
            "started_on": started_on.strftime("%d/%m/%Y"),
            "explanation": explanation,
            "token": "0b9b7a5e-2d7b-4d51-9d0c-7c1f2b9a6e01",
        },
    )


def test_a_pause_holds_the_targets_and_resuming_moves_them_by_the_working_days_paused(
    client, in_support, django_capture_on_commit_callbacks
):
    world = in_support
    case = world.case
    case.opened_at = NOW - dt.timedelta(days=60)
    case.save(update_fields=["opened_at"])
    with time_machine.travel(NOW, tick=False):
        before = {t.ref: t.due for t in targets.load_one(case).targets if t.is_open}
        login_as(client, world.case_manager)
        with django_capture_on_commit_callbacks(execute=True):
            _pause(client, case)
            _pause(client, case)  # a double click
    assert Pause.objects.filter(case=case).count() == 1
    told = [m for m in mail.outbox if m.to == [world.doctor.email]]
    assert len(told) == 1 and "paused" in told[0].body and "Back after your leave." in told[0].body

    # While paused: open targets show as paused, and the daily checks tell nobody they are late.
    later = NOW + dt.timedelta(days=14)
    with time_machine.travel(later, tick=False):
        progress = targets.load_one(case)
        assert progress.pause is not None
        assert all(t.state() == "paused" for t in progress.targets if t.is_open and t.set_due >= TODAY)
        notices = TargetNotice.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            from django.core.management import call_command

            call_command("run_stage_checks", stdout=io.StringIO())
        new = TargetNotice.objects.all()[notices:]
        assert not [n for n in new if n.target in (Target.REVIEW, Target.PLAN_AGREED)], "nothing waiting is late"

        login_as(client, world.doctor)
        mine = client.get(reverse("pathway:my_case", args=[case.pk])).content.decode()
        assert "Your support is paused" in mine and "sick leave" in mine and "Back after your leave." in mine

        login_as(client, world.case_manager)
        client.post(
            reverse("progress:pause_case", args=[case.pk]),
            {"action": "resume", "ended_on": later.date().strftime("%d/%m/%Y")},
        )
    paused_days = 10  # 23 November to 7 December 2026: ten working days
    with time_machine.travel(later, tick=False):
        after = {t.ref: t for t in targets.load_one(case).targets}
        assert targets.load_one(case).pause is None
        for ref, due in before.items():
            if due >= TODAY:
                assert after[ref].due == add_working_days(due, paused_days), ref
                assert after[ref].state() != "paused"
        staff = client.get(reverse("pathway:case_detail", args=[case.pk])).content.decode()
        assert "Moved on 10 working days for a pause" in staff
        login_as(client, world.doctor)
        mine = client.get(reverse("pathway:my_case", args=[case.pk])).content.decode()
        assert (
            "Moved on while your support was paused" in mine or "Moved on by the time your support was paused" in mine
        )


def test_a_date_set_after_the_pause_began_is_not_moved_again(in_support):
    world = in_support
    from supportpath.progress.models import RevisedDate

    with time_machine.travel(NOW, tick=False):
        Pause.objects.create(
            case=world.case,
            reason="exams",
            started_on=TODAY - dt.timedelta(days=7),
            ended_on=TODAY - dt.timedelta(days=1),
            started_by=world.case_manager,
            submission_token="1b9b7a5e-2d7b-4d51-9d0c-7c1f2b9a6e01",
        )
        review = targets.load_one(world.case).of_kind(Target.REVIEW)[0]
        RevisedDate.objects.create(
            case=world.case,
            target=Target.REVIEW,
            original_due=review.planned,
            new_due=review.planned + dt.timedelta(days=3),
            reason="Moved after the exam",
            set_by=world.case_manager,
        )
        moved = targets.load_one(world.case).of_kind(Target.REVIEW)[0]
        assert moved.due == review.planned + dt.timedelta(days=3)


def test_only_the_case_manager_pauses_and_a_closed_case_cannot_be(client, in_support):
    world = in_support
    login_as(client, world.facilitator)
    assert client.get(reverse("progress:pause_case", args=[world.case.pk])).status_code == 404
    login_as(client, world.case_manager)
    page = client.post(
        reverse("progress:pause_case", args=[world.case.pk]), {"action": "pause", "started_on": "soon"}
    ).content.decode()
    assert "Select why support is pausing" in page and "Enter a real date" in page
    assert not Pause.objects.exists()
    assert not mail.outbox


def test_a_list_works_out_the_same_targets_without_the_words_of_pauses_and_new_dates(in_support, monkeypatch):
    # Lists (``full_reviews=False``) read only the dates; the case page, which shows the words, still reads them.
    world = in_support
    from supportpath.core import encryption
    from supportpath.progress.models import RevisedDate

    with time_machine.travel(NOW, tick=False):
        pause = Pause.objects.create(
            case=world.case,
            reason="exams",
            started_on=TODAY - dt.timedelta(days=7),
            explanation="Back after the exam.",
            started_by=world.case_manager,
            submission_token="2b9b7a5e-2d7b-4d51-9d0c-7c1f2b9a6e01",
        )
        review = targets.load_one(world.case).of_kind(Target.REVIEW)[0]
        RevisedDate.objects.create(
            case=world.case,
            target=Target.REVIEW,
            original_due=review.planned,
            new_due=review.planned + dt.timedelta(days=3),
            reason="Moved after the exam",
            set_by=world.case_manager,
        )
        read = []
        real = encryption.decrypt
        monkeypatch.setattr(encryption, "decrypt", lambda stored: read.append(real(stored)) or read[-1])
        listed = targets.load([world.case], full_reviews=False)[world.case.pk]
        assert "Back after the exam." not in read and "Moved after the exam" not in read
        full = targets.load_one(world.case)
        assert "Back after the exam." in read and "Moved after the exam" in read
        assert full.pauses[0].explanation == pause.explanation
    assert [(t.kind, t.label, t.due, t.paused) for t in listed.targets] == [
        (t.kind, t.label, t.due, t.paused) for t in full.targets
    ]


def test_a_list_reads_the_same_dates_and_records_as_the_case_page(in_support):
    # The list's queries are written out (targets._load_for_list): each value must come back as the ORM gives it
    # (dates, aware times, booleans, decrypted words), on SQLite as on PostgreSQL.
    import uuid

    from supportpath.pathway.models import InitialConversation
    from supportpath.progress.models import Closure, MilestoneDone, Review, RevisedDate

    world = in_support
    case = world.case
    with time_machine.travel(NOW, tick=False):
        InitialConversation.objects.create(
            case=case, scheduled_for=NOW + dt.timedelta(days=2), mode="video", arranged_by=world.case_manager
        )
        Review.objects.create(
            case=case,
            plan_version=case.support_plan.versions.get(),
            held_on=TODAY - dt.timedelta(days=1),
            scores=[],
            t_score=50,
            recorded_by=world.case_manager,
            submission_token=uuid.uuid4(),
        )
        MilestoneDone.objects.create(
            case=case,
            text="First ward round alone",
            due=TODAY - dt.timedelta(days=2),
            done_on=TODAY,
            marked_by=world.facilitator,
        )
        RevisedDate.objects.create(
            case=case,
            target=Target.MILESTONE,
            label="Teach a junior",
            original_due=TODAY + dt.timedelta(days=1),
            new_due=TODAY + dt.timedelta(days=5),
            reason="A busy week",
            set_by=world.case_manager,
        )
        Pause.objects.create(
            case=case,
            reason="exams",
            started_on=TODAY - dt.timedelta(days=3),
            ended_on=TODAY - dt.timedelta(days=1),
            started_by=world.case_manager,
            submission_token=uuid.uuid4(),
        )

        def read(progress):
            conversation = progress.conversation
            return (
                (conversation.pk, conversation.scheduled_for, conversation.doctor_asked_for_another_time),
                progress.assessment_on,
                progress.first_agreed_on,
                [(v.pk, v.plan_id, v.number, v.status, v.agreed_at) for v in progress.versions],
                (progress.agreed_version.pk, progress.agreed_version.content),
                [(r.pk, r.held_on) for r in progress.reviews],
                [(p.pk, p.started_on, p.ended_on) for p in progress.pauses],
                progress.closure and progress.closure.pk,
                [
                    (t.kind, t.label, t.planned, t.due, t.done_on, t.state(TODAY), t.paused_days, t.arranged_for)
                    + tuple((r.pk, r.label, r.original_due, r.new_due, r.noticed_at) for r in t.revisions)
                    for t in progress.targets
                ],
            )

        listed = targets.load([case], full_reviews=False)[case.pk]
        assert listed.conversation.scheduled_for == NOW + dt.timedelta(days=2)
        assert listed.conversation.scheduled_for.tzinfo is not None
        assert read(listed) == read(targets.load_one(case))
        assert any(t.revisions for t in listed.targets) and any(t.done_on for t in listed.targets[2:])

        Closure.objects.create(case=case, reason="goals_met", closed_on=TODAY, closed_by=world.case_manager)
        listed = targets.load([case], full_reviews=False)[case.pk]
        assert listed.closure is not None
        assert read(listed) == read(targets.load_one(case))
