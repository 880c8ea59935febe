"""The case page's small queries are written out (``core.written_out.records``): every record must come back as
the ORM gives it, field by field and type by type (dates, aware times, booleans, UUIDs, JSON and decrypted
words), on SQLite as on PostgreSQL; a column left out is deferred as ``.defer()`` leaves it."""

import datetime as dt
import uuid

import pytest
import time_machine

from supportpath.appointments.models import Appointment
from supportpath.core.written_out import records
from supportpath.pathway.models import SessionVersion, SupportSession
from supportpath.progress.models import Pause, Reassessment, Review, RevisedDate, Target
from supportpath.referrals.models import DoctorComment, SupportRequestReason

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def _fields(record) -> list[tuple]:
    return [
        (f.attname, getattr(record, f.attname), type(getattr(record, f.attname)))
        for f in type(record)._meta.concrete_fields
    ]


def _same(read, orm) -> None:
    assert len(read) == len(orm) > 0
    for mine, theirs in zip(read, orm, strict=True):
        assert _fields(mine) == _fields(theirs)
        assert mine._state.adding is False and mine._state.db == theirs._state.db


def test_records_read_as_rows_equal_the_orms_field_by_field(in_support):
    world = in_support
    case = world.case
    manager = world.case_manager
    with time_machine.travel(NOW, tick=False):
        for days, notes in ((3, "Went well."), (1, "")):
            Review.objects.create(
                case=case,
                plan_version=case.support_plan.versions.get(),
                held_on=TODAY - dt.timedelta(days=days),
                scores=[{"goal": "Lead the ward round", "level": 1, "importance": 3, "difficulty": 2}],
                t_score=56.5,
                notes=notes,
                recorded_by=manager,
                doctor_reflected_at=NOW if notes else None,
                submission_token=uuid.uuid4(),
            )
        RevisedDate.objects.create(
            case=case,
            target=Target.MILESTONE,
            label="Teach a junior",
            original_due=TODAY + dt.timedelta(days=1),
            new_due=TODAY + dt.timedelta(days=5),
            reason="A busy week",
            set_by=manager,
        )
        Pause.objects.create(
            case=case,
            reason="exams",
            started_on=TODAY - dt.timedelta(days=3),
            explanation="Back after the exam.",
            started_by=manager,
            submission_token=uuid.uuid4(),
        )
        Reassessment.objects.create(
            case=case,
            held_on=TODAY,
            assessed_by="An outside assessor",
            outcome="continue",
            details="Steady progress.",
            recorded_by=manager,
            submission_token=uuid.uuid4(),
        )
        Appointment.objects.create(
            case=case,
            kind="session",
            starts_at=NOW + dt.timedelta(days=2),
            how="video",
            join_url="https://video.example.test/room",
            arranged_by=manager,
            reminded_for=NOW,
        )
        session = SupportSession.objects.create(
            case=case,
            facilitator=world.facilitator,
            held_on=TODAY,
            mode="video",
            attendance="attended",
            shared_summary="We talked.",
            private_notes="Only mine.",
            submission_token=uuid.uuid4(),
        )
        SessionVersion.objects.create(
            session=session,
            number=1,
            held_on=TODAY,
            mode="phone",
            attendance="attended",
            shared_summary="Before.",
            corrected_by=world.facilitator,
        )
        DoctorComment.objects.create(request=case.request, text="In my own words.")

    ids = [case.pk]
    _same(
        records(Review, "case_id IN ({ids})", ids, order_by="held_on, id"),
        list(Review.objects.filter(case_id__in=ids).order_by("held_on", "id")),
    )
    for model, order in ((RevisedDate, ("noticed_at", "id")), (Pause, ("started_on", "id"))):
        _same(
            records(model, "case_id IN ({ids})", ids, order_by=", ".join(order)),
            list(model.objects.filter(case_id__in=ids).order_by(*order)),
        )
    _same(records(Reassessment, "case_id IN ({ids})", ids), list(Reassessment.objects.filter(case=case)))
    _same(records(Appointment, "case_id IN ({ids})", ids), list(Appointment.objects.filter(case=case)))
    _same(
        records(SessionVersion, "session_id IN ({ids})", [session.pk], order_by="number"),
        list(SessionVersion.objects.filter(session=session)),
    )
    _same(
        records(DoctorComment, "request_id IN ({ids})", [case.request_id]),
        list(DoctorComment.objects.filter(request=case.request)),
    )
    _same(
        records(SupportRequestReason, "request_id IN ({ids})", [case.request_id]),
        list(SupportRequestReason.objects.filter(request=case.request)),
    )
    # A column left out is deferred, as .defer() leaves it, and read on first use (as the ORM's would be).
    (left,) = records(SupportSession, "id IN ({ids})", [session.pk], leave_out=("private_notes",))
    assert left.get_deferred_fields() == {"private_notes"}
    assert left.shared_summary == "We talked." and left.private_notes == "Only mine."
    # Other parameters come before the ids, as in ``rows``.
    assert records(Pause, "reason = %s AND case_id IN ({ids})", ids, "sick_leave") == []
    assert len(records(Pause, "reason = %s AND case_id IN ({ids})", ids, "exams")) == 1


def test_a_requests_reasons_read_as_rows_or_from_what_was_prefetched(in_support, django_assert_num_queries):
    from supportpath.referrals.models import SupportRequest

    request = SupportRequest.objects.get(pk=in_support.case.request_id)
    expected = sorted(SupportRequestReason.objects.filter(request=request).values_list("reason", flat=True))
    assert expected
    with django_assert_num_queries(1):
        assert sorted(request.reason_codes) == expected
    prefetched = SupportRequest.objects.prefetch_related("reasons").get(pk=request.pk)
    with django_assert_num_queries(0):
        assert sorted(prefetched.reason_codes) == expected
