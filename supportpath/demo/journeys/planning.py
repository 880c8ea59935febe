"""Doctors agreeing their plan, or about to meet the service for the first time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from supportpath.facilitation.models import AllocationStatus, Gender
from supportpath.pathway.models import Mode
from supportpath.plans.models import InterventionType, VersionStatus

from .steps import Goal, Steps

# Numbers are working days before the last working day of the demo (0 is that day).

ESTHER_GOALS = [
    Goal(
        "To speak up calmly at handover when I disagree with a plan",
        (
            "I stop raising concerns at all",
            "I raise concerns only afterwards, in private",
            "I raise a concern at handover at least once a week",
            "I raise concerns at handover whenever I have one",
            "I help newer colleagues to raise theirs too",
        ),
        3,
        2,
    ),
    Goal(
        "To know my options about how one senior colleague speaks to me, and to choose one",
        (
            "I avoid every shift with them",
            "I do not know what I could do",
            "I know my options and have chosen one",
            "I have acted on the option I chose",
            "Things between us have changed for the better",
        ),
        2,
        2,
    ),
]


def esther(s: Steps) -> None:
    """A plan shared three working days ago and waiting for her; a coach offered, whom she asked to meet first."""
    s.open_case(17)
    s.conversation(s.demo.at(s.day(12), 17, 30), Mode.VIDEO)
    s.needs(
        12,
        individual_factors="Stays quiet when unsure, even when her judgement is sound; replays difficult "
        "conversations for days afterwards.",
        team_factors="One senior colleague often corrects her in front of the team at handover; others have "
        "noticed, and nobody has said anything.",
        structural_factors="Nights on a thin rota leave no time to talk a shift through afterwards.",
        cultural_factors="A sense in the department that challenging a senior colleague is disloyal.",
        strengths="Calm in a crisis; the nurses say she is the doctor they would call first.",
        doctor_goals="To speak up calmly at handover when I disagree, and to know my options about the way I am "
        "spoken to.",
        staff_notes="Prefers video calls after 5pm on her non-clinical days.",
    )
    body = s.plan_body(
        ESTHER_GOALS,
        [
            s.catalogue(InterventionType.COACHING, "Six sessions, every two weeks"),
            s.catalogue(InterventionType.COMMUNICATION_SKILLS, "The half-day workshop on speaking up, in January"),
        ],
        [
            ("Practise challenging a plan in a coaching session", s.ahead(10)),
            ("Raise one concern at a real handover", s.ahead(25)),
            ("Talk my options through with the guardian of safe working hours", s.ahead(35)),
        ],
        [s.ahead(30), s.ahead(60)],
        "How I prepare for handover, and the words I use when I disagree.",
        "Who is on the rota with me, and how other people choose to speak.",
    )
    s.plan_version(1, body, drafted=s.at(4, 14, 10), shared=s.at(3, 10, 15), status=VersionStatus.SHARED)
    s.preferences(10, gender=Gender.WOMAN, anything_else="Someone from outside emergency medicine, please.")
    s.allocation(
        "coach", s.at(2, 9, 30), status=AllocationStatus.PROPOSED, intro_asked=s.at(1, 19, 45)
    )  # the coach has her answer and the introduction still to give


KENJI_GOALS = [
    Goal(
        "To pass the final written exam in March",
        (
            "I decide not to sit it",
            "I sit it without a plan and do not pass",
            "I pass at this sitting",
            "I pass with marks to spare",
            "I pass, and help the next trainee prepare",
        ),
        3,
        3,
    ),
    Goal(
        "To keep to a study plan that fits around my rota",
        (
            "I have stopped studying",
            "I study only when I can, late at night",
            "I keep to the plan in most weeks",
            "I keep to the plan every week",
            "I keep to it and still have a day off each week",
        ),
        2,
        2,
    ),
]


def kenji(s: Steps) -> None:
    """Asked for changes to version 1 (dates, and not sharing yet); version 2 waits for him, with what changed."""
    s.open_case(21)
    s.conversation(s.demo.at(s.day(15), 14), Mode.PHONE)
    s.needs(
        15,
        individual_factors="Studies late at night after long shifts; anxious in the exam room and runs out of time "
        "on the long questions.",
        team_factors="A supportive department, but study days are often cancelled at short notice.",
        structural_factors="Exam study leave has been refused twice because of service pressures.",
        cultural_factors="Qualified overseas and finds the unwritten expectations of the written exam hard to read.",
        strengths="Strong clinical knowledge; consultants' feedback on his lists is very good.",
        doctor_goals="To pass the final written exam in March with a study plan I can keep to, even on nights.",
        staff_notes="On nights until the middle of January: nothing new before then.",
    )
    mentoring = s.catalogue(InterventionType.MENTORING, "Monthly, with a consultant who passed the exam recently")
    first = s.plan_body(
        KENJI_GOALS,
        [s.catalogue(InterventionType.EXAM_SUPPORT, "Weekly practice papers with feedback, from next week"), mentoring],
        [
            ("Finish the first timed practice paper", s.ahead(5)),
            ("Agree study leave for February with the rota coordinator", s.ahead(15)),
            ("Sit a full mock exam", s.ahead(40)),
        ],
        [s.ahead(20), s.ahead(45)],
        "When and how I study.",
        "The rota, and when study leave is approved.",
        sharing={"goals": ["referrer"], "milestones": ["referrer"]},
    )
    s.plan_version(
        1,
        first,
        drafted=s.at(10, 15, 0),
        shared=s.at(9, 10, 0),
        status=VersionStatus.SUPERSEDED,
        changes_asked=s.at(7, 20, 40),
        comment="Thank you. Could the practice papers start after my nights finish in the middle of January? "
        "Before then I cannot keep to them. And I would rather not share my goals and milestones with my training "
        "programme director yet; perhaps after the first review.",
    )
    second = s.plan_body(
        KENJI_GOALS,
        [
            s.catalogue(
                InterventionType.EXAM_SUPPORT, "Weekly practice papers with feedback, from the week your nights finish"
            ),
            mentoring,
        ],
        [
            ("Agree study leave for February with the rota coordinator", s.ahead(15)),
            ("Finish the first timed practice paper", s.ahead(35)),
            ("Sit a full mock exam", s.ahead(50)),
        ],
        [s.ahead(40), s.ahead(55)],
        "When and how I study, and asking early for the study leave I am owed.",
        "The rota, and when study leave is approved.",
    )
    s.plan_version(2, second, drafted=s.at(5, 15, 20), shared=s.at(4, 10, 30), status=VersionStatus.SHARED)
    s.shares_stage_with_referrer()
    s.allocation("mentor", s.at(2, 14, 45), status=AllocationStatus.PROPOSED)


def bethan(s: Steps) -> None:
    """Accepted two working days ago; her first conversation is arranged for next week (she can ask to move it)."""
    s.open_case(2)
    s.conversation(timezone.make_aware(dt.datetime.combine(s.ahead(3), dt.time(10))), Mode.VIDEO)
