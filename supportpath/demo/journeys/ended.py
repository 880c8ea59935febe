"""Doctors whose support has ended: with the goals met, and with a handover at closure."""

from __future__ import annotations

from supportpath.closure import services as closure_services
from supportpath.closure.models import STATEMENTS, ExitFeedback, PeerSupport
from supportpath.facilitation.models import AllocationStatus
from supportpath.pathway.models import Attendance, Mode
from supportpath.plans.models import InterventionType, VersionStatus
from supportpath.progress.models import ClosureReason
from supportpath.referrals.models import HandoverDestination

from .steps import Goal, Steps

# Numbers are working days before the last working day of the demo (0 is that day).

IFEOMA_GOALS = [
    Goal(
        "To be back on the full on-call rota",
        (
            "Off work again",
            "Daytime work only",
            "On the full rota, with a named senior to call",
            "On the full rota, without needing the back-up",
            "On the full rota, and supporting others coming back",
        ),
        3,
        2,
    ),
    Goal(
        "To feel confident on a busy labour ward again",
        (
            "I avoid the labour ward",
            "Anxious on every shift",
            "Anxious only on the busiest shifts",
            "Confident on most shifts",
            "Confident on every shift",
        ),
        2,
        2,
    ),
]


def ifeoma(s: Steps) -> None:
    """Back on the full rota: support closed four working days ago with the goals met; her feedback is to come."""
    s.open_case(117)
    s.conversation(s.demo.at(s.day(112), 11), Mode.IN_PERSON)
    s.needs(
        112,
        individual_factors="Returning after six months' sick leave following surgery; worried about her first solo "
        "on-call.",
        team_factors="Colleagues have covered her on-calls and are keen to have her back; the rota has little slack.",
        structural_factors="A phased return needs the rota changed for three months.",
        strengths="Very experienced; a calm and trusted senior on the labour ward.",
        doctor_goals="To be back on the full on-call rota by the spring, feeling safe and ready.",
    )
    s.shares_stage_with_referrer()
    s.allocation("mentor", s.at(111, 10), status=AllocationStatus.ACCEPTED, responded=s.at(110, 16))
    body = s.plan_body(
        IFEOMA_GOALS,
        [
            s.catalogue(InterventionType.RETURN_TO_WORK, "Over twelve weeks, as occupational health advised"),
            s.catalogue(InterventionType.MENTORING, "Every two weeks, with a senior obstetrician from another trust"),
        ],
        [
            ("First supervised on-call", s.day(90)),
            ("First daytime on-call on my own", s.day(70)),
            ("Back on the full rota", s.day(30)),
        ],
        [s.day(75), s.day(25)],
        "How quickly I build up, and saying when I need a slower week.",
        "The rota, and how busy the labour ward is.",
        sharing={"milestones": ["referrer"]},
    )
    version = s.plan_version(
        1, body, drafted=s.at(109, 14), shared=s.at(108, 10), status=VersionStatus.AGREED, agreed=s.at(106, 18, 30)
    )
    summaries = [
        "We went through the phased return week by week and what support you will have on each shift.",
        "You talked through the first supervised on-call: it went better than you feared.",
        "We looked at what makes a shift feel safe, and how to ask for that on the busier days.",
        "You reflected on being back in charge of the labour ward, and what you noticed in yourself.",
    ]
    rows = []
    for i, n in enumerate(range(104, 15, -8)):
        attendance = Attendance.CANCELLED_BY_FACILITATOR if n == 64 else Attendance.ATTENDED
        attended = attendance == Attendance.ATTENDED
        rows.append(
            (
                n,
                attendance,
                summaries[i % len(summaries)] if attended else "",
                "Note one thing each week that went better than expected." if attended else "",
                "",
            )
        )
    s.sessions(rows)
    s.milestone_done(body, 0, 90)
    s.milestone_done(body, 1, 68)
    s.milestone_done(body, 2, 31)
    s.review(
        version,
        75,
        [0, -1],
        "On track for the rota; the labour ward still feels hard on the busiest days.",
        reflection="Better than I expected. Nights are still the hardest part.",
        reflected=74,
    )
    s.review(version, 25, [1, 1], "Both goals further than we hoped: back on the full rota a week early.")
    s.close(4, ClosureReason.GOALS_MET)


LOWRI_GOALS = [
    Goal(
        "To finish my phased return on the timetable occupational health set",
        (
            "Off work again",
            "The timetable keeps slipping",
            "Finished on the timetable",
            "Finished a little early",
            "Finished early, and feeling well",
        ),
        3,
        2,
    ),
    Goal(
        "To feel like myself again at work",
        (
            "Worse than when I came back",
            "Going through the motions",
            "Myself on most days",
            "Myself on nearly every day",
            "Enjoying the work again",
        ),
        3,
        3,
    ),
]


def lowri(s: Steps) -> None:
    """Support closed ten working days ago with a handover to occupational health, with her agreement; she gave
    her feedback and kept her own account of what changed to herself. She can ask for support again."""
    s.open_case(48)
    s.conversation(s.demo.at(s.day(44), 10), Mode.VIDEO)
    s.needs(
        44,
        individual_factors="Back from four months' sick leave; still on a phased return and tired by the end of each "
        "shift.",
        team_factors="A kind team, but the ward is short of doctors and she keeps being asked to do extra.",
        structural_factors="The phased-return timetable has never been written down, so it changes week to week.",
        strengths="Insightful about what helps her; keeps in touch with her GP.",
        doctor_goals="To finish my phased return safely and to feel like myself again at work.",
    )
    s.allocation("wellbeing", s.at(46, 10), status=AllocationStatus.ACCEPTED, responded=s.at(45, 15))
    body = s.plan_body(
        LOWRI_GOALS,
        [
            s.catalogue(InterventionType.WELLBEING, "Every two weeks, by video"),
            s.catalogue(InterventionType.RETURN_TO_WORK, "With occupational health and my educational supervisor"),
        ],
        [
            ("Agree a written phased-return timetable", s.day(25)),
            ("Two weeks at the agreed hours", s.ahead(5)),
            ("Back on the full rota", s.ahead(30)),
        ],
        [s.day(5), s.ahead(25)],
        "Saying no to extra shifts while I build up.",
        "How short-staffed the ward is.",
    )
    s.plan_version(1, body, drafted=s.at(42, 13), shared=s.at(41, 10), status=VersionStatus.AGREED, agreed=s.at(39, 19))
    s.sessions(
        [
            (
                36,
                Attendance.ATTENDED,
                "We talked about how the return is going, and the extra shifts you keep being asked to do.",
                "Practise saying no to one extra shift.",
                "",
            ),
            (
                28,
                Attendance.ATTENDED,
                "You said no to an extra shift, and it was all right. The timetable is still not written down.",
                "Ask your supervisor for the timetable in writing.",
                "",
            ),
            (
                20,
                Attendance.ATTENDED,
                "The hours keep changing, and that is wearing you down. You agreed to ask occupational health to "
                "lead the timetable, with us handing your support over to them.",
                "Talk to your case manager about handing over to occupational health.",
                "Right decision; she knows she can come back.",
            ),
        ]
    )
    s.close(
        10,
        ClosureReason.HANDED_OVER,
        handed_over_to=HandoverDestination.OCCUPATIONAL_HEALTH,
        handover_reason="A phased return with adjusted duties needs occupational health to lead it. Dr Pendragon "
        "agreed that we pass her support to them, and she can come back to us at any time.",
        doctor_consented_to_handover=True,
    )
    feedback = closure_services.save_exit_feedback(
        s.case,
        {
            "what_changed": "I can see now that I was trying to manage the return on my own. Handing it to "
            "occupational health was right, and I know I can come back.",
            "team_may_read": False,
            "peer_supporter": PeerSupport.LATER,
            **dict(zip(STATEMENTS, [5, 4, 5, 4, 5], strict=True)),
        },
        STATEMENTS,
    )
    ExitFeedback.objects.filter(pk=feedback.pk).update(given_at=s.at(8, 21, 10))


NIA_GOALS = [
    Goal(
        "To leave the department on time after a shift",
        (
            "Staying two hours or more, most days",
            "Staying late most days",
            "Leaving on time on most days",
            "Leaving on time nearly every day",
            "Leaving on time, and handing over calmly",
        ),
        2,
        2,
    ),
    Goal(
        "To feel able to say when the department is unsafe",
        (
            "I keep it to myself",
            "I say it only to close colleagues",
            "I raise it at the huddle when it matters",
            "I raise it, and follow it up in writing",
            "Others come to me to raise it with them",
        ),
        3,
        2,
    ),
]


def nia(s: Steps) -> None:
    """Support that ended with the goals met about seven months ago: long enough for both well-being follow-ups
    (3 and 6 months after closure), which she answered (measures_stage.py)."""
    s.open_case(228)
    s.conversation(s.demo.at(s.day(224), 10), Mode.VIDEO)
    s.needs(
        224,
        individual_factors="Exhausted after a winter of long shifts; sleeping badly and dreading work.",
        team_factors="A close team that covers for each other, so nobody leaves on time.",
        structural_factors="Too few senior doctors on the rota at night; handover often runs an hour over.",
        cultural_factors="Saying the department is unsafe feels like letting colleagues down.",
        strengths="Respected by her team; clear-thinking in a crisis.",
        doctor_goals="To get home on time and to feel I can say when things are not safe.",
    )
    s.allocation("coach", s.at(223, 10), status=AllocationStatus.ACCEPTED, responded=s.at(222, 16))
    body = s.plan_body(
        NIA_GOALS,
        [s.catalogue(InterventionType.COACHING, "Every two weeks, by video, for three months")],
        [
            ("Leave on time three days in a row", s.day(205)),
            ("Raise one concern at the huddle", s.day(190)),
        ],
        [s.day(200), s.day(170)],
        "When I leave, and what I say at the huddle.",
        "How many senior doctors are on the rota.",
    )
    version = s.plan_version(
        1, body, drafted=s.at(220, 14), shared=s.at(219, 10), status=VersionStatus.AGREED, agreed=s.at(218, 19)
    )
    s.sessions(
        [
            (
                214,
                Attendance.ATTENDED,
                "We looked at why leaving on time feels impossible, and what a good handover would need.",
                "Try a written handover list for one week.",
                "",
            ),
            (
                204,
                Attendance.ATTENDED,
                "The handover list helped on three days out of five. We talked about what stops you speaking up.",
                "Write down one concern you would have liked to raise, and what you would say.",
                "",
            ),
            (
                192,
                Attendance.ATTENDED,
                "You raised the night staffing at the huddle, and the clinical lead has taken it up.",
                "Keep the handover list; notice how the week feels.",
                "",
            ),
        ]
    )
    s.milestone_done(body, 0, 206)
    s.milestone_done(body, 1, 191)
    s.review(
        version,
        200,
        [0, 0],
        "Leaving on time most days; raising concerns is getting easier.",
        reflection="I had not realised how much the late handovers were costing me.",
        reflected=199,
    )
    s.review(version, 170, [1, 1], "Both goals met, a little beyond what we hoped.")
    s.close(165, ClosureReason.GOALS_MET)
    feedback = closure_services.save_exit_feedback(
        s.case,
        {
            "what_changed": "I leave on time most days now, and I said out loud what everyone was thinking about "
            "nights.",
            "team_may_read": True,
            "peer_supporter": PeerSupport.NO,
            **dict(zip(STATEMENTS, [5, 5, 4, 5, 4], strict=True)),
        },
        STATEMENTS,
    )
    ExitFeedback.objects.filter(pk=feedback.pk).update(given_at=s.at(163, 20, 15))
