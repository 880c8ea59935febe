"""Doctors in support: a review to reflect on, a new date and a late milestone, an emergency access, a mandated
referral."""

from __future__ import annotations

import datetime as dt

from supportpath.emergency_access import services as emergency_services
from supportpath.emergency_access.models import Purpose
from supportpath.facilitation.models import AllocationStatus, IntroductionOutcome
from supportpath.pathway.models import Attendance, Mode
from supportpath.plans.models import InterventionType, VersionStatus
from supportpath.progress import services as progress_services
from supportpath.progress import targets as progress_targets
from supportpath.progress.models import (
    ReassessmentOutcome,
    Target,
)

from .steps import Goal, Steps, token

# Numbers are working days before the last working day of the demo (0 is that day).

MARCUS_GOALS = [
    Goal(
        "To decide whether to apply for the specialist grade",
        (
            "I have stopped thinking about my career",
            "Undecided, with no time to think about it",
            "Decided, with reasons I am sure of",
            "Decided, and my clinical director knows",
            "Decided, and the first steps are done",
        ),
        3,
        2,
    ),
    Goal(
        "To protect time in my job plan for my own development",
        (
            "Less time than I have now",
            "No protected time",
            "Two hours a fortnight in my job plan",
            "Half a day a fortnight",
            "Half a day a week",
        ),
        2,
        3,
    ),
]


def marcus(s: Steps) -> None:
    """In support with the careers adviser (the coach declined first); review 1 waits for his reflection."""
    s.open_case(67)
    s.conversation(s.demo.at(s.day(62), 16), Mode.VIDEO)
    s.needs(
        62,
        individual_factors="Fifteen years as a specialty doctor; wonders whether to apply for the specialist grade or "
        "to move towards teaching.",
        team_factors="Valued by the team, who rely on him to cover lists at short notice.",
        structural_factors="No job-planned time for development; the specialist grade needs evidence he has had no "
        "time to gather.",
        cultural_factors="The careers of specialty doctors are rarely talked about in the department.",
        strengths="An experienced, steady surgeon; trainees seek him out to learn.",
        doctor_goals="To decide by the spring whether to apply for the specialist grade, and to have a plan either "
        "way.",
    )
    s.preferences(61, anything_else="Early-morning video calls suit me best: I am in theatre most days.")
    s.allocation(
        "coach",
        s.at(61, 15),
        status=AllocationStatus.DECLINED,
        responded=s.at(60, 9, 40),
        decline_reason="Thank you for thinking of me. I cannot take a new case until the new year, and a careers "
        "adviser would suit this question better.",
    )
    s.allocation(
        "careers",
        s.at(60, 14),
        status=AllocationStatus.ACCEPTED,
        responded=s.at(57, 17, 20),
        intro_asked=s.at(59, 20, 5),
        intro_held=s.day(57),
        intro_outcome=IntroductionOutcome.HELD,
    )
    body = s.plan_body(
        MARCUS_GOALS,
        [
            s.catalogue(InterventionType.CAREERS_ADVICE, "Six sessions with the careers adviser"),
            s.catalogue(InterventionType.MENTORING, "With a specialist-grade surgeon at another trust"),
        ],
        [
            ("Compare my experience with the specialist grade's person specification", s.day(40)),
            ("Ask my clinical director for job-planned development time", s.day(20)),
            ("Write down my decision and my reasons", s.ahead(15)),
        ],
        [s.day(3), s.ahead(30)],
        "Gathering my evidence, and asking for the time I need.",
        "Whether the trust creates a specialist post this year.",
    )
    version = s.plan_version(
        1, body, drafted=s.at(59, 13), shared=s.at(58, 10), status=VersionStatus.AGREED, agreed=s.at(56, 19, 10)
    )
    s.sessions(
        [
            (
                50,
                Attendance.ATTENDED,
                "We mapped your experience against the specialist grade's requirements: most of it is there, but the "
                "evidence is scattered.",
                "Gather the evidence of your teaching into one folder.",
                "Underplays his own experience. Keep naming it back to him.",
            ),
            (
                42,
                Attendance.ATTENDED,
                "We talked about teaching as a path, and what a week would look like if half of it were teaching.",
                "Ask the surgical tutor what a teaching fellowship involves.",
                "",
            ),
            (34, Attendance.CANCELLED_BY_DOCTOR, "", "", ""),
            (
                27,
                Attendance.ATTENDED,
                "You practised the conversation with your clinical director about development time.",
                "Book the meeting with your clinical director.",
                "",
            ),
            (
                18,
                Attendance.ATTENDED,
                "The meeting went well: your clinical director supports the application in principle.",
                "Write a first draft of the supporting statement.",
                "Much lighter today.",
            ),
            (
                9,
                Attendance.ATTENDED,
                "We read your draft statement together and agreed what the review should look at.",
                "Bring the second draft to the review.",
                "",
            ),
        ]
    )
    s.milestone_done(body, 0, 42)
    s.milestone_done(body, 1, 18)
    s.review(
        version,
        3,
        [0, -1],
        "We looked at both goals together. The decision is nearly made; protected time has not moved yet, and that is "
        "not in your hands alone.",
    )  # no reflection yet: that is his to add


RAFAEL_GOALS = [
    Goal(
        "Handovers that colleagues can act on without asking me again",
        (
            "Colleagues raise concerns about my handovers",
            "Colleagues often come back to me with questions",
            "Colleagues rarely need to ask me again",
            "My handovers are used as an example",
            "I teach handovers to the new foundation doctors",
        ),
        3,
        2,
    ),
    Goal(
        "To finish my notes within my shift",
        (
            "I stay more than an hour late most days",
            "I stay late to finish notes most days",
            "I finish on time on four days out of five",
            "I finish on time every day",
            "I finish on time and help others finish too",
        ),
        2,
        2,
    ),
]


def rafael(s: Steps) -> None:
    """In support with the coach. Milestone 2 was late and the case manager set a new date with a reason;
    milestone 3 passed two working days ago and is running late (he was told honestly, the day after)."""
    s.open_case(58)
    s.conversation(s.demo.at(s.day(53), 14), Mode.VIDEO)
    s.needs(
        53,
        individual_factors="Very high standards of himself; stays late to finish notes rather than ask for help.",
        team_factors="The ward has had three consultants in two months, and what is expected on the ward round keeps "
        "changing.",
        structural_factors="Two hospital sites, with paper notes at one and electronic notes at the other.",
        cultural_factors="Qualified in Spain; finds the directness of feedback here hard to read.",
        strengths="Kind and thorough; patients and families trust him.",
        doctor_goals="To get my handovers and notes to a standard I am proud of, and to finish on time.",
    )
    s.shares_stage_with_referrer()
    s.allocation("coach", s.at(51, 15), status=AllocationStatus.ACCEPTED, responded=s.at(50, 11))
    body = s.plan_body(
        RAFAEL_GOALS,
        [
            s.catalogue(InterventionType.COACHING, "Every two weeks"),
            s.catalogue(
                InterventionType.SUPERVISED_PRACTICE, "Two observed ward rounds with your supervisor, with feedback"
            ),
        ],
        [
            ("Use the handover checklist on every shift for two weeks", s.day(30)),
            ("First observed ward round with my supervisor", s.day(12)),
            ("Finish my notes within the shift on four days out of five, for two weeks", s.day(2)),
        ],
        [s.day(20), s.ahead(20)],
        "How I plan the end of each shift, and asking for help sooner.",
        "How many patients come in, and the two sites' systems.",
        sharing={"goals": ["referrer"]},
    )
    version = s.plan_version(
        1, body, drafted=s.at(50, 16), shared=s.at(49, 10), status=VersionStatus.AGREED, agreed=s.at(47, 18)
    )
    s.sessions(
        [
            (
                42,
                Attendance.ATTENDED,
                "We built a handover checklist together from what your colleagues most often ask.",
                "Use the checklist on every shift for two weeks.",
                "Anxious about the referral; reassured him this is support, not a process.",
            ),
            (
                33,
                Attendance.ATTENDED,
                "The checklist is working: fewer calls after handover. We started on the notes.",
                "Try writing notes at the bedside for one week.",
                "",
            ),
            (
                24,
                Attendance.ATTENDED,
                "We looked at where the end of a shift goes: mostly jobs that could be handed over earlier.",
                "Hand over non-urgent jobs by 4pm.",
                "",
            ),
            (14, Attendance.ATTENDED, SESSION_LATE_SUMMARY, "Finish notes by 5pm on three days next week.", ""),
            (
                5,
                Attendance.ATTENDED,
                "Notes are still the hard part on the busy site. We agreed to look at it at the review.",
                "Keep a tally of the days you finish on time.",
                "",
            ),
        ]
    )
    s.milestone_done(body, 0, 30)
    s.review(
        version,
        20,
        [0, -1],
        "Handovers are where we hoped; the notes are not there yet.",
        reflection="The checklist helps more than I expected. The notes are still the hard part.",
        reflected=19,
    )
    # Milestone 2: missed, the doctor told the next day, then a new date set by the case manager with a reason.
    second = body["milestones"][1]
    planned = dt.date.fromisoformat(second["due"])
    s.late_notice(Target.MILESTONE, planned, second["text"])
    milestone = progress_targets.load_one(s.case).find(f"{Target.MILESTONE}-1")
    assert milestone is not None and milestone.planned == planned and milestone.match_label == second["text"]
    progress_services.set_new_date(
        s.case,
        by=s.case_manager,
        target=milestone,
        new_due=s.ahead(6),
        reason="Your supervisor is on leave until next week, so the observed ward round moves to the week they are "
        "back. Nothing else in your plan changes.",
        token=token(s.key, "new-date", 2),
        notify=False,
        at=s.at(10, 12, 30),
    )
    # Milestone 3: passed, and he was told the day after; nobody has set a new date yet.
    third = body["milestones"][2]
    s.late_notice(Target.MILESTONE, dt.date.fromisoformat(third["due"]), third["text"])


SESSION_LATE_SUMMARY = (
    "Your supervisor's leave means the observed ward round will move; we used the time to practise the handover "
    "you find hardest."
)

ANJALI_GOALS = [
    Goal(
        "To sleep through most nights",
        (
            "Sleeping less than now",
            "Waking most nights",
            "Sleeping through four nights a week",
            "Sleeping through most nights",
            "Sleeping well, and waking rested",
        ),
        3,
        2,
    ),
    Goal(
        "To leave the surgery by 7pm on four days out of five",
        (
            "Later than now",
            "Rarely before 8pm",
            "By 7pm on four days out of five",
            "By 7pm every day",
            "By 6pm on most days",
        ),
        2,
        3,
    ),
]


def anjali(s: Steps) -> None:
    """In support with the well-being practitioner. Yesterday the service admin opened her record under
    emergency access: she has a notice on My support, the case managers an alert on their inbox."""
    s.open_case(43)
    s.conversation(s.demo.at(s.day(40), 12, 30), Mode.PHONE)
    s.needs(
        40,
        individual_factors="Running the practice's duty doctor sessions alone since a partner retired; sleeping badly "
        "and dreading Mondays.",
        team_factors="A small, kind team who are stretched too; she does not want to add to their load.",
        structural_factors="The practice has not been able to recruit to the vacant partner post.",
        cultural_factors="A sense among local GPs that you keep going whatever happens.",
        strengths="Thoughtful and self-aware; quick to say what would help.",
        doctor_goals="To feel like myself again at work and to sleep through the night.",
        staff_notes="Lunchtime phone calls only.",
    )
    s.allocation("wellbeing", s.at(39, 11), status=AllocationStatus.ACCEPTED, responded=s.at(38, 9, 30))
    body = s.plan_body(
        ANJALI_GOALS,
        [
            s.catalogue(InterventionType.WELLBEING, "Every two weeks, by phone at lunchtime"),
            s.catalogue(InterventionType.PEER_GROUP, "The GP peer group, once a month"),
        ],
        [
            ("Keep a sleep diary for two weeks", s.day(20)),
            ("Agree with the partners who covers the late surgery", s.ahead(5)),
            ("Go to the first meeting of the peer group", s.ahead(15)),
        ],
        [s.ahead(5), s.ahead(35)],
        "When I stop work, and what I do in the hour before bed.",
        "Whether the practice can recruit a new partner.",
    )
    s.plan_version(
        1, body, drafted=s.at(38, 13), shared=s.at(37, 10), status=VersionStatus.AGREED, agreed=s.at(35, 20, 15)
    )
    s.sessions(
        [
            (
                31,
                Attendance.ATTENDED,
                "We talked about the last month and what keeps you awake. You chose to start with the sleep diary.",
                "Start the sleep diary tonight.",
                "Low, but clear about wanting to change things. No risk concerns.",
            ),
            (
                23,
                Attendance.ATTENDED,
                "The diary shows work email late at night. We looked at a wind-down hour.",
                "No work email after 8pm for a week.",
                "",
            ),
            (
                15,
                Attendance.ATTENDED,
                "Sleep is a little better. We practised asking the partners for help with the late surgery.",
                "Raise the late surgery at the next practice meeting.",
                "",
            ),
            (6, Attendance.ATTENDED, "We prepared for the practice meeting.", "Let me know how the meeting goes.", ""),
        ]
    )
    s.milestone_done(body, 0, 19)
    opened = s.at(1, 16, 10)
    grant, _ = emergency_services.open_grant(
        admin=s.staff("service_admin"),
        support_request=s.request,
        purpose=Purpose.URGENT_REQUEST,
        reason="Dr Whitlow rang needing the dates in her support plan confirmed today, and her case manager and "
        "facilitator were both away.",
        submission_token=token(s.key, "emergency-access"),
        notify=False,
        at=opened,
    )
    emergency_services.end_grant(grant, at=opened + dt.timedelta(minutes=14))  # once she had the answer


STEFAN_GOALS = [
    Goal(
        "To hold a team brief before every list, with every role heard",
        (
            "No team briefs",
            "Briefs on some lists, led by me alone",
            "A brief before every list, with every role speaking",
            "The team says briefs have changed how lists go",
            "Other surgeons ask to learn how we brief",
        ),
        3,
        2,
    ),
    Goal(
        "To ask the theatre team for feedback, and act on it",
        (
            "I avoid feedback",
            "I hear feedback only through formal routes",
            "I ask for feedback every month and act on one thing",
            "The team brings feedback to me without being asked",
            "I help the department set up feedback for everyone",
        ),
        2,
        2,
    ),
]


def stefan(s: Steps) -> None:
    """A mandated referral by the responsible officer: the fixed sharing minimum from the start, the plan's
    goals and review outcomes shared with the responsible officer when he agreed it, and a reassessment."""
    s.open_case(82)
    s.conversation(s.demo.at(s.day(77), 8), Mode.IN_PERSON)
    s.needs(
        77,
        individual_factors="Very experienced; finds it hard to accept that a new way of working is needed after two "
        "serious incidents.",
        team_factors="A new team model in theatres; roles are not yet clear to everyone.",
        structural_factors="Lists overrun most weeks, and the team brief is the first thing squeezed out.",
        cultural_factors="Surgeons in the department are used to leading alone.",
        strengths="Technically excellent; trainees value his teaching.",
        doctor_goals="To lead team briefs that everyone takes part in, and to show the panel the changes I have made.",
        staff_notes="Formal process: the responsible officer receives the stage and attendance only.",
    )
    s.allocation("coach", s.at(78, 14), status=AllocationStatus.ACCEPTED, responded=s.at(76, 9))
    body = s.plan_body(
        STEFAN_GOALS,
        [
            s.catalogue(InterventionType.COACHING, "Every two weeks"),
            s.catalogue(InterventionType.COMMUNICATION_SKILLS, "A day's course on team briefing and human factors"),
        ],
        [
            ("Use the team-brief checklist on every list for a month", s.day(50)),
            ("Feedback from the whole theatre team", s.day(35)),
            ("Take the feedback, and what I changed, to the reassessment", s.day(30)),
        ],
        [s.day(40), s.ahead(10)],
        "How I open each list, and how I respond when someone raises a concern.",
        "How long the lists are, and the outcome of the formal process.",
        sharing={"goals": ["responsible_officer"], "review_outcomes": ["responsible_officer"]},
    )
    version = s.plan_version(
        1, body, drafted=s.at(74, 15), shared=s.at(73, 10), status=VersionStatus.AGREED, agreed=s.at(70, 19)
    )
    summaries = [
        "We talked about what happened, in your words, and what you would like to be different.",
        "You tried the team-brief checklist on two lists; we looked at who spoke and who did not.",
        "We practised responding to a concern raised in theatre without closing the conversation down.",
        "We read the team's feedback together and chose one thing to change first.",
    ]
    s.sessions(
        [
            (n, Attendance.ATTENDED, summaries[i % len(summaries)], "Brief before every list this fortnight.", "")
            for i, n in enumerate(range(66, 0, -8))
        ]
    )
    s.milestone_done(body, 0, 50)
    s.milestone_done(body, 1, 33)
    s.milestone_done(body, 2, 30)
    s.review(
        version,
        40,
        [0, 0],
        "Briefs happen before every list now, and the team's feedback is being gathered.",
        reflection="Hard to hear some of the feedback, but the briefs are better and the team says so.",
        reflected=38,
    )
    progress_services.record_reassessment(
        s.case,
        by=s.case_manager,
        data={
            "held_on": s.day(30),
            "assessed_by": "Dr Elspeth Carrow, clinical assessor for the responsible officer (demo)",
            "outcome": ReassessmentOutcome.CONTINUE,
            "details": "Clear progress with team briefs and in the theatre team's feedback. Continue with the "
            "current plan and look again at the second review.",
            "submission_token": token(s.key, "reassessment"),
        },
    )
