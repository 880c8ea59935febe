"""Demo stage for peer support: approved peer supporters (and one offer waiting for the unit), Dr Grace
Adeyemi-Marsh matched with a peer supporter (both said yes), a peer group with members and two meetings, and
Kestrel Lane Surgery's two peer-support checks (the second with a change since the first).

Made through the product's own services. Like the other stages it finds what it made before (by doctor and
service, by a fixed submission token, by a group's name) and adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from supportpath.casework.models import Case, Stage
from supportpath.closure.models import ExitFeedback, PeerSupport
from supportpath.peer import check_questions
from supportpath.peer import services as peer
from supportpath.peer.models import GroupMeeting, PeerGroup, PeerRequest, PeerSupporter, PracticeCheck

from .people import NAMED_DOCTORS
from .planning import rng_for

if TYPE_CHECKING:
    from .demo_state import Demo

PEER_NAMESPACE = uuid.UUID("0f4c6a52-3b1e-4f0a-9c7d-5e2b8a1d6f33")

# Fictional words of fictional peer supporters.
SUPPORTER_WORDS = [
    (
        ["examinations", "international_graduate", "early_career"],
        "I came to the NHS from abroad and failed my membership exam twice before passing. I know how lonely "
        "the revision months are, and how much the first year here asks of you.",
        "monthly",
        2,
    ),
    (
        ["return_to_work", "mental_health", "later_career"],
        "I took a year away after a breakdown and came back part time. I am happy to talk about the first weeks "
        "back, and about asking for what you need.",
        "fortnightly",
        1,
    ),
    (
        ["referred", "performance", "confidence"],
        "I was referred by my clinical director and felt ashamed at first. Support turned out to be the start of "
        "liking my work again.",
        "monthly",
        2,
    ),
]
WAITING_WORDS = (
    ["career", "early_career"],
    "I changed specialty halfway through training and would like to help others thinking about it.",
    "monthly",
    1,
)
GROUP = {
    "name": "International graduates new to the NHS (demo)",
    "purpose": "A friendly space to share what helps in your first years working in the NHS.",
    "who_may_join": "Doctors who qualified outside the UK and have worked in the NHS for under two years.",
    "size_limit": 8,
    "dates": "Every fourth Wednesday, 6pm to 7.30pm",
    "place": "Video call (the link is sent to members)",
}


def _closed_doctors(demo: Demo) -> list:
    """Generated doctors of the unit whose support has ended, those who said "yes, get in touch" first."""
    named = {spec.email for spec in NAMED_DOCTORS}
    yes = set(
        ExitFeedback.objects.filter(peer_supporter=PeerSupport.YES).values_list("case__request__doctor_id", flat=True)
    )
    cases = (
        Case.objects.filter(stage=Stage.CLOSED, request__service=demo.organisations["psu"])
        .filter(request__in=list(demo.requests.values()))  # not the insights' history (insights_stage.py)
        .exclude(request__doctor__user__email__in=named)
        .select_related("request__doctor__user", "request__doctor__employer")
        .order_by("request__reference")
    )
    seen, doctors = set(), []
    for case in cases:
        doctor = case.request.doctor
        if doctor.pk not in seen:
            seen.add(doctor.pk)
            doctors.append(doctor)
    return sorted(doctors, key=lambda d: (d.pk not in yes, d.user.email))


def _doctors_in_support(demo: Demo) -> list:
    """Generated doctors of the unit in support now, international graduates first: the group's members."""
    named = {spec.email for spec in NAMED_DOCTORS}
    cases = (
        Case.objects.filter(stage=Stage.SUPPORT, request__service=demo.organisations["psu"])
        .exclude(request__doctor__user__email__in=named)
        .select_related("request__doctor__user")
        .order_by("request__reference")
    )
    doctors = list({case.request.doctor.pk: case.request.doctor for case in cases}.values())
    return sorted(doctors, key=lambda d: (d.qualification_region != "international", d.user.email))[:7]


def seed_peer_support(demo: Demo) -> None:
    service = demo.organisations["psu"]
    manager = demo.staff["case_manager"]
    grace = demo.doctors.get("grace")
    candidates = [d for d in _closed_doctors(demo) if grace is None or d.employer_id != grace.employer_id]
    supporters = []
    for doctor, (experiences, about, how_often, most) in zip(candidates, SUPPORTER_WORDS, strict=False):
        existing = PeerSupporter.objects.filter(doctor=doctor, service=service).first()
        if existing is None:
            existing = peer.offer(
                doctor,
                service,
                {"experiences": experiences, "about": about, "how_often": how_often, "most_at_once": most},
            )
            peer.approve(existing, by=manager, preparation_done_on=demo.working_days_before(10))
            demo.created["peer supporters"] += 1
        supporters.append(existing)
    if len(candidates) > len(SUPPORTER_WORDS):
        waiting = candidates[len(SUPPORTER_WORDS)]
        if not PeerSupporter.objects.filter(doctor=waiting, service=service).exists():
            experiences, about, how_often, most = WAITING_WORDS
            peer.offer(
                waiting,
                service,
                {"experiences": experiences, "about": about, "how_often": how_often, "most_at_once": most},
            )
            demo.created["peer supporters"] += 1

    # Grace asked for someone who has been through exams as an international graduate; both said yes.
    if grace is not None and supporters:
        token = uuid.uuid5(PEER_NAMESPACE, "grace-asks")
        if not PeerRequest.objects.filter(submission_token=token).exists():
            request = peer.ask(
                grace,
                service,
                {
                    "experiences": ["examinations", "international_graduate"],
                    "to_tell": "I have my membership exam in the spring and I am finding the revision isolating.",
                },
                token=token,
            )
            match = peer.propose(request, supporters[0].pk, by=manager)
            peer.answer(match, "doctor", True)
            peer.answer(match, "supporter", True)
            demo.created["peer matches"] += 1

    _seed_group(demo, service, _doctors_in_support(demo))
    _seed_practice_checks(demo)


def _seed_group(demo: Demo, service, doctors) -> None:
    if PeerGroup.objects.filter(name=GROUP["name"], service=service).exists():
        return
    group = peer.create_group(
        service,
        {**GROUP, "facilitator": demo.staff["mentor"], "starts_on": demo.working_days_before(30)},
        by=demo.staff["case_manager"],
    )
    members = []
    for n, doctor in enumerate(doctors):
        member = peer.ask_to_join(group, doctor, share_first_name=n % 3 != 2)
        if n < 6:
            members.append(peer.admit(member, yes=True))
    for days, came in ((20, members[:5]), (1, members[1:6])):
        peer.record_meeting(
            group, held_on=demo.working_days_before(days), came=[m.pk for m in came], by=demo.staff["mentor"]
        )
    demo.created["peer groups"] += 1
    demo.created["peer group meetings"] += GroupMeeting.objects.filter(group=group).count()


# Kestrel Lane Surgery's team: how often each form happens, as weights over never/rarely/sometimes/often.
FIRST_CHECK = {"emotional": (1, 3, 4, 2), "advice": (0, 1, 4, 5), "workload": (3, 4, 2, 1), "mentorship": (2, 4, 3, 1)}
SECOND_CHECK = {**FIRST_CHECK, "workload": (1, 2, 4, 3), "mentorship": (1, 2, 4, 3)}


def _answers(rng, weights: dict) -> dict:
    out = {}
    for q in check_questions.FORMS:
        options = [value for value, _ in q.options]
        out[q.key] = rng.choices(options, weights=weights.get(q.key, (1, 2, 4, 3)))[0]
    for q in check_questions.MODERATORS:
        hinders = 3 if q.key == "occupational" else 1
        out[q.key] = rng.choices(["helps", "neither", "hinders"], weights=(4, 2, hinders))[0]
    return out


def _seed_practice_checks(demo: Demo) -> None:
    practice = demo.organisations["kestrel"]
    lead = demo.staff["practice_manager"]
    for number, (team, answered, weights) in enumerate(((14, 11, FIRST_CHECK), (14, 12, SECOND_CHECK)), start=1):
        token = uuid.uuid5(PEER_NAMESPACE, f"kestrel-check-{number}")
        if PracticeCheck.objects.filter(submission_token=token).exists():
            continue
        check, links = peer.start_check(practice, by=lead, team_size=team, token=token)
        rng = rng_for(f"kestrel-check-{number}")
        for link in links[:answered]:
            peer.record_answer(link, _answers(rng, weights))
        if number == 1:
            # The first check ran some months ago; the second has just closed.
            PracticeCheck.objects.filter(pk=check.pk).update(started_on=demo.today - dt.timedelta(days=120))
        peer.close_check(check)
        demo.created["practice peer-support checks"] += 1
