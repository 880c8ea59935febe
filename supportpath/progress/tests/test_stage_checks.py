"""The daily stage checks: staff are reminded of what is due soon; when a target is missed with no new date,
the doctor is told honestly (and no date is invented) and staff are reminded to set one; nobody is told
the same thing twice, and staff get at most one email a day."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.pathway.models import InitialConversation
from supportpath.progress.models import NoticeKind, RevisedDate, Target, TargetNotice
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


def to(person) -> list:
    return [m for m in mail.outbox if m.to == [person.email]]


@pytest.fixture
def late_conversation(world):
    """A case for other_doctor whose first conversation was due yesterday (a Sunday) and has not happened."""
    with time_machine.travel(NOW, tick=False):
        return f.CaseFactory(
            request=f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile, service=world.service),
            case_manager=world.case_manager,
            initial_conversation_due=TODAY - dt.timedelta(days=1),
        )


def test_checks_remind_staff_and_tell_the_doctor_honestly_without_inventing_a_date(
    in_support, late_conversation, run_checks
):
    world = in_support
    with time_machine.travel(NOW, tick=False):
        run_checks()

    told = to(world.other_doctor)
    assert len(told) == 1
    body = told[0].body
    assert "We planned to have your first conversation by Sunday 22 November 2026" in body
    assert "We are sorry" in body and "Dan Manager, your case manager, will confirm a new date with you" in body
    assert "expect it by" not in body and "2026" not in body.replace("22 November 2026", ""), "no invented date"
    assert not RevisedDate.objects.exists(), "the checks never set a date themselves"

    milestone = to(world.doctor)
    assert len(milestone) == 1
    assert "One of your milestones was planned for Saturday 21 November 2026" in milestone[0].body
    assert "plans change" in milestone[0].body and "Fay Coach will agree a new date with you" in milestone[0].body
    assert "First ward round alone" not in milestone[0].body, "the doctor's plan stays out of email"

    manager = to(world.case_manager)
    assert len(manager) == 1, "one email a day for all the targets"
    assert manager[0].subject == "3 targets need your attention"
    assert late_conversation.request.reference in manager[0].body
    assert "First conversation was due by Sunday 22 November 2026 and has not happened." in manager[0].body
    assert "A milestone is due by Tuesday 24 November 2026." in manager[0].body
    new_date_link = reverse("progress:new_date", args=[late_conversation.pk]) + "?target=initial_conversation"
    assert new_date_link in manager[0].body
    facilitator = to(world.facilitator)
    assert len(facilitator) == 1
    assert "A milestone was due by Saturday 21 November 2026 and has not happened." in facilitator[0].body
    assert "Please agree a new date with the doctor; the case manager records it." in facilitator[0].body
    assert reverse("pathway:case_detail", args=[world.case.pk]) in facilitator[0].body
    assert "new-date" not in facilitator[0].body, "the facilitator is not sent to a page only the case manager opens"

    before = len(mail.outbox)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        assert "0 new notices" in run_checks()
    with time_machine.travel(day(1), tick=False):
        run_checks()  # Tuesday: "Teach a junior" is due today, nothing else has changed
    assert len(mail.outbox) == before, "nobody is told the same thing twice"


def test_a_late_target_with_no_new_date_reminds_staff_again_after_five_working_days_only(
    world, late_conversation, run_checks
):
    with time_machine.travel(NOW, tick=False):
        run_checks()
    for n in range(1, 7):  # Tuesday to Sunday
        with time_machine.travel(day(n), tick=False):
            run_checks()
    assert len(to(world.case_manager)) == 1
    with time_machine.travel(day(7), tick=False):  # the next Monday
        run_checks()
    reminders = to(world.case_manager)
    assert len(reminders) == 2 and "is still late, with no new date. Please set a new date" in reminders[1].body
    assert len(to(world.other_doctor)) == 1, "the doctor is told once"
    kinds = list(TargetNotice.objects.values_list("kind", flat=True))
    assert kinds == [NoticeKind.LATE, NoticeKind.STILL_LATE]


def test_no_checks_run_on_a_weekend(world, late_conversation, run_checks):
    with time_machine.travel(day(-2), tick=False):  # Saturday
        run_checks()
    assert mail.outbox == [] and not TargetNotice.objects.exists()


def test_a_new_date_stops_the_late_notices_until_it_passes_too(world, late_conversation, run_checks):
    with time_machine.travel(NOW, tick=False):
        run_checks()
        RevisedDate.objects.create(
            case=late_conversation,
            target=Target.INITIAL_CONVERSATION,
            original_due=late_conversation.initial_conversation_due,
            new_due=TODAY + dt.timedelta(days=7),
            reason="Dan was on leave.",
            set_by=world.case_manager,
        )
    for n in (1, 2, 3):
        with time_machine.travel(day(n), tick=False):
            run_checks()
    assert len(to(world.other_doctor)) == 1
    with time_machine.travel(day(4), tick=False):  # Friday: two working days before the new date
        run_checks()
    assert "is due by Monday 30 November 2026." in to(world.case_manager)[-1].body
    with time_machine.travel(day(8), tick=False):  # the new date has passed too
        run_checks()
    told = to(world.other_doctor)
    assert len(told) == 2 and "by Monday 30 November 2026, and it has not happened yet" in told[1].body


def test_reviews_are_checked_and_their_late_notice_goes_to_the_facilitator_too(in_support, run_checks):
    world = in_support
    with time_machine.travel(day(9), tick=False):  # Wednesday 2 December: the first review is due on Thursday
        run_checks()
    assert any("Review 1 is due by Thursday 3 December 2026." in m.body for m in to(world.facilitator))
    with time_machine.travel(day(11), tick=False):  # Friday 4 December: it was missed
        run_checks()
    assert "A review of your support was planned for Thursday 3 December 2026" in to(world.doctor)[-1].body
    assert "Review 1 was due by Thursday 3 December 2026 and has not happened." in to(world.facilitator)[-1].body


def test_first_contact_of_a_new_request_is_checked(world, run_checks):
    with time_machine.travel(NOW, tick=False):
        soon = f.SupportRequestFactory(
            doctor=world.other_doctor.doctor_profile,
            service=world.service,
            first_contact_due=TODAY + dt.timedelta(days=1),
        )
        late = f.SupportRequestFactory(
            doctor=world.other_doctor.doctor_profile,
            service=world.service,
            first_contact_due=TODAY - dt.timedelta(days=3),
        )
        f.SupportRequestFactory(
            doctor=world.other_doctor.doctor_profile,
            service=world.other_service,
            first_contact_due=TODAY + dt.timedelta(days=30),
        )
        run_checks()
    manager = to(world.case_manager)
    assert len(manager) == 1
    assert f"{soon.reference}: First contact is due by Tuesday 24 November 2026." in manager[0].body
    assert (
        f"{late.reference}: First contact was due by Friday 20 November 2026 and has not happened." in manager[0].body
    )
    assert reverse("casework:request_detail", args=[late.reference]) in manager[0].body
    assert to(world.other_case_manager) == [], "another service's staff hear nothing of these"
    doctor = to(world.other_doctor)
    assert len(doctor) == 1
    assert "would contact you by Friday 20 November 2026, and we have not managed it yet" in doctor[0].body


def test_a_conversation_arranged_for_after_its_target_is_flagged_to_staff_before_it_is_missed(world, run_checks):
    with time_machine.travel(NOW, tick=False):
        world.case.initial_conversation_due = TODAY + dt.timedelta(days=1)
        world.case.save()
        InitialConversation.objects.create(
            case=world.case, scheduled_for=NOW + dt.timedelta(days=6), mode="video", arranged_by=world.case_manager
        )
        run_checks()
    assert "but is arranged for later than that. Please set a new date" in to(world.case_manager)[0].body
    with time_machine.travel(day(3), tick=False):
        run_checks()
    assert to(world.doctor) == [], "the doctor already knows the arranged date"
    assert len(to(world.case_manager)) == 1


def test_the_doctor_sees_honestly_that_a_date_has_passed_and_who_will_confirm_a_new_one(
    client, world, late_conversation
):
    login_as(client, world.other_doctor)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("referrals:my_support")).content.decode()
        case_page = client.get(reverse("pathway:my_case", args=[late_conversation.pk])).content.decode()
    assert "Your first conversation was planned by Sunday 22 November 2026, and it has not happened yet" in page
    assert "Dan Manager, your case manager, will confirm a new date with you" in page
    for html in (page, case_page):
        assert "Running late" in html
        assert "This is later than we planned. We are sorry. Dan Manager will confirm a new date with you." in html
