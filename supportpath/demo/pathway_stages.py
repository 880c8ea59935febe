"""Demo stages for the early pathway: the initial conversation, the needs assessment, support sessions.

Each case gets what its stage implies: a case still at the initial conversation has one arranged (or not
yet); a case that has moved on has had its conversation and a needs assessment; a case with a facilitator
has had sessions every two weeks or so. Like the other stages, each finds what it made before and adds only
what is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.utils import timezone

from supportpath.accounts.models import QualificationRegion
from supportpath.casework.models import Case, Stage
from supportpath.core.working_days import add_working_days
from supportpath.pathway import services as pathway_services
from supportpath.pathway.models import Attendance, InitialConversation, Mode, NeedsAssessment, SupportSession

from . import appointments_stage, wording
from .planning import rng_for, weighted

if TYPE_CHECKING:
    from .demo_state import Demo

SESSION_NAMESPACE = uuid.UUID("9d1f3a52-3b7e-4c8a-8f0e-2a6b4c1d7e93")
MODES = [(Mode.VIDEO, 45), (Mode.PHONE, 25), (Mode.IN_PERSON, 30)]


def _demo_cases(demo: Demo):
    return Case.objects.filter(request__in=list(demo.drawn_requests.values())).select_related("request__doctor")


def seed_conversations_and_needs(demo: Demo) -> None:
    cases = list(_demo_cases(demo))
    have_conversation = set(InitialConversation.objects.filter(case__in=cases).values_list("case_id", flat=True))
    have_assessment = set(NeedsAssessment.objects.filter(case__in=cases).values_list("case_id", flat=True))
    # conversations: (case, when, mode, asked for another time); assessments: (case, data, comment, commented at)
    conversations, assessments = [], []
    for case in cases:
        rng = rng_for("conversation", case.request.submission_token)
        opened = timezone.localdate(case.opened_at)
        held_on = demo.working_days_after(opened, weighted(rng, [(3, 30), (5, 30), (8, 25), (12, 10), (17, 5)])[0])
        moved_on = case.stage != Stage.INITIAL_CONVERSATION
        if not moved_on:
            # Still to come (arranged a few working days ahead) for most; not yet arranged for some.
            if rng.random() < 0.25:
                continue
            held_on = add_working_days(demo.today, rng.randint(1, 5))
        # Every value is drawn whether or not it is needed, so each case's draws never depend on what exists.
        asked_for_another_time = not moved_on and rng.random() < 0.15
        scheduled_for = timezone.make_aware(dt.datetime.combine(held_on, dt.time(rng.choice([10, 14]))))
        mode = weighted(rng, MODES)[0]
        if case.pk not in have_conversation:
            conversations.append((case, scheduled_for, mode, asked_for_another_time))
        if moved_on and case.pk not in have_assessment:
            spec = demo.request_specs[demo.request_keys[case.request_id]]
            commented = rng.random() < 0.25
            cultural = wording.CULTURAL_FACTORS
            if case.request.doctor.qualification_region != QualificationRegion.UK:
                cultural = cultural + wording.CULTURAL_FACTORS_INTERNATIONAL
            data = {
                "presenting_issues": list(spec.reasons),
                "individual_factors": rng.choice(wording.INDIVIDUAL_FACTORS[spec.reasons[0]]),
                "team_factors": rng.choice(wording.TEAM_FACTORS),
                "structural_factors": rng.choice(wording.STRUCTURAL_FACTORS),
                "cultural_factors": rng.choice(cultural),
                "strengths": rng.choice(wording.STRENGTHS),
                "doctor_goals": " ".join(wording.DOCTOR_GOALS[reason][0] for reason in spec.reasons),
                "mandated": case.request.mandated,
                "staff_notes": rng.choice(wording.STAFF_NOTES),
                "conversation_held_on": min(held_on, demo.today),
            }
            comment = rng.choice(wording.ASSESSMENT_COMMENTS) if commented else ""
            commented_at = demo.at(demo.working_days_after(held_on, 2), 19) if commented else None
            assessments.append((case, data, comment, commented_at))
    for case, scheduled_for, mode, asked_for_another_time in conversations:
        # Through the product's service, by the case manager, with its appointment booked as the product books
        # it (held once the needs assessment below is saved), telling nobody.
        conversation = pathway_services.arrange_conversation(
            case,
            by=case.case_manager,
            scheduled_for=scheduled_for,
            mode=mode,
            notify=False,
            **appointments_stage.where_for(mode, str(case.request.submission_token)[:8]),
        )
        if asked_for_another_time:
            # The doctor asked through the product's service, as history: the case manager is not emailed.
            pathway_services.ask_for_another_time(
                conversation,
                suggested_times="Any weekday after 4pm would suit me better.",
                token=uuid.uuid5(SESSION_NAMESPACE, f"another-time/{case.request.submission_token}"),
                notify=False,
            )
    for case, data, comment, commented_at in assessments:
        # Through the product's service, by the case manager; the doctor's comment, if any, dated then.
        assessment = pathway_services.save_needs_assessment(
            case, by=case.case_manager, data=data, based_on_version=None, notify=False
        )
        if comment:
            pathway_services.add_doctor_comment(assessment, comment, at=commented_at)
    demo.created["initial conversations"] += len(conversations)
    demo.created["needs assessments"] += len(assessments)


def seed_sessions(demo: Demo) -> None:
    """Sessions every two weeks or so from the needs assessment until today (or closure), with the case's
    facilitator."""
    cases = list(_demo_cases(demo).filter(facilitator__isnull=False))
    assessed = dict(NeedsAssessment.objects.filter(case__in=cases).values_list("case_id", "conversation_held_on"))
    # A case that has any sessions is left alone: on a later day, more would fall in the past, and the demo
    # must not grow each time it is run.
    have_sessions = set(SupportSession.objects.filter(case__in=cases).values_list("case_id", flat=True))
    made = 0
    for case in cases:
        if case.pk not in assessed or case.pk in have_sessions:
            continue
        rng = rng_for("sessions", case.request.submission_token)
        count = rng.randint(2, 6) if case.stage == Stage.CLOSED else rng.randint(1, 6)
        held_on = assessed[case.pk]
        for n in range(count):
            held_on = demo.working_days_after(held_on, rng.randint(7, 12))
            if held_on >= demo.today:
                break
            attendance = weighted(
                rng,
                [
                    (Attendance.ATTENDED, 88),
                    (Attendance.CANCELLED_BY_DOCTOR, 6),
                    (Attendance.CANCELLED_BY_FACILITATOR, 3),
                    (Attendance.DID_NOT_ATTEND, 3),
                ],
            )[0]
            attended = attendance == Attendance.ATTENDED
            pathway_services.record_session(
                case,
                facilitator=case.facilitator,
                data={
                    "held_on": held_on,
                    "mode": weighted(rng, MODES)[0],
                    "attendance": attendance,
                    "shared_summary": rng.choice(wording.SESSION_SUMMARIES) if attended else "",
                    "agreed_actions": rng.choice(wording.SESSION_ACTIONS) if attended else "",
                    "private_notes": rng.choice(wording.SESSION_PRIVATE_NOTES) if attended else "",
                    "submission_token": uuid.uuid5(SESSION_NAMESPACE, f"{case.request.submission_token}/{n}"),
                },
            )
            made += 1
    demo.created["support sessions"] += made
