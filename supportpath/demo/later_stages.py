"""Demo stages for the later pathway: facilitator profiles and allocations, agreed plans, reviews and
milestones, and closures with the doctors' feedback.

Like the other stages, each finds what it made before (by case) and adds only what is missing, and every value
is drawn from a generator seeded by the case, so running the demo twice duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.utils import timezone

from supportpath.casework.models import Case, Stage
from supportpath.closure import services as closure_services
from supportpath.closure.models import STATEMENTS
from supportpath.core.working_days import is_working_day
from supportpath.facilitation import services as facilitation_services
from supportpath.facilitation.models import Allocation, FacilitatorProfile
from supportpath.pathway.models import NeedsAssessment
from supportpath.plans import content as plan_content
from supportpath.plans import services as plan_services
from supportpath.plans.models import Intervention, SupportPlan
from supportpath.progress import services as progress_services
from supportpath.progress.models import ClosureReason
from supportpath.scoring import gas

from . import as_history, sharing_stage, wording
from .planning import rng_for, weighted

if TYPE_CHECKING:
    from .demo_state import Demo

REVIEW_NAMESPACE = uuid.UUID("5b0c2e7a-61f4-4d0b-9a8e-3f2d1c4b5a69")

PROFILES = {
    "coach": ("coach", "Accredited coach (demo accreditation)", ["confidence", "performance", "career"], "woman"),
    "mentor": ("mentor", "Trained mentor", ["examinations", "return_to_work", "international_graduates"], "man"),
    "wellbeing": ("wellbeing_practitioner", "Registered practitioner (demo)", ["mental_health", "bullying"], "woman"),
    "careers": ("careers_adviser", "Careers adviser (demo qualification)", ["career", "examinations"], "man"),
}
GOAL_LEVELS = [
    "Things have gone backwards",
    "Where I started",
    "The change we agreed",
    "A little further than we hoped",
    "Well beyond what we hoped",
]
MILESTONES = [
    "Agree a weekly routine with my facilitator",
    "Try the new approach on two shifts",
    "Talk it through with my supervisor",
]


def _cases(demo: Demo):
    return Case.objects.filter(request__in=list(demo.drawn_requests.values())).select_related(
        "request__doctor", "request__service", "case_manager", "facilitator"
    )


def seed_facilitator_profiles(demo: Demo) -> None:
    """Each facilitator's profile, set up by the service (``facilitation.services.add_profile``)."""
    service = demo.organisations["psu"]
    have = set(FacilitatorProfile.objects.filter(service=service).values_list("user_id", flat=True))
    for key, (role, accreditation, specialisms, gender) in PROFILES.items():
        user = demo.staff[key]
        if user.pk in have:
            continue
        facilitation_services.add_profile(
            user,
            service.pk,
            {
                "role": role,
                "accreditation": accreditation,
                "about": "A fictional facilitator in the demo.",
                "specialisms": specialisms,
                "gender": gender,
                "capacity": 40,
                "accepting_cases": True,
                "meets_in_person": key != "careers",
                "trained_outside_uk": key == "mentor",
                "conflicted_organisations": [],
            },
        )
        demo.created["facilitator profiles"] += 1


def seed_allocations(demo: Demo) -> None:
    """An accepted allocation for every case drawn with a facilitator (``facilitation.services.accept`` makes
    them the case's facilitator); at the planning stage, some cases have a facilitator asked and waiting to
    answer, and the rest wait for the case manager to choose. Through
    ``facilitation.services`` (``as_history``), which work out each fit as a case manager sees it; a closed case's
    allocation ends when the case is closed (``seed_closures``)."""
    cases = list(_cases(demo))
    allocated = set(Allocation.objects.filter(case__in=cases).values_list("case_id", flat=True))
    made = 0
    for case in cases:
        if case.pk in allocated:
            continue
        rng = rng_for("allocation", case.request.submission_token)
        opened = timezone.localdate(case.opened_at)
        facilitator = demo.facilitator_of(case)
        if facilitator is not None:
            rng.uniform(12, 30)  # once the fit score; still drawn so the dates stay the same
            as_history.accepted(
                case,
                facilitator,
                by=case.case_manager,
                proposed=demo.at(demo.working_days_after(opened, rng.randint(5, 7)), 15),
                responded=demo.at(demo.working_days_after(opened, rng.randint(8, 14)), 11),
            )
            made += 1
        elif (
            demo.stage_of(case) == Stage.PLANNING
            and case.request.service == demo.organisations["psu"]
            and rng.random() < 0.3
        ):
            facilitator = demo.staff[rng.choice(list(PROFILES))]
            rng.uniform(12, 30)  # once the fit score
            intro = rng.random() < 0.3
            try:
                allocation = as_history.propose(case, facilitator, by=case.case_manager, at=demo.at(demo.today, 8))
            except facilitation_services.AllocationRefused:
                continue  # not a case the product would let anyone be asked for yet
            if intro:
                facilitation_services.ask_for_introduction(allocation, notify=False, at=demo.at(demo.today, 9))
            made += 1
    demo.created["facilitator allocations"] += made


# The support a plan offers for each reason, most fitting first (InterventionType values).
INTERVENTIONS_FOR_REASON = {
    "mental_health": ["wellbeing", "peer_group"],
    "career": ["careers_advice", "coaching"],
    "return_to_work": ["return_to_work", "occupational_health"],
    "examinations": ["exam_support", "mentoring"],
    "performance": ["supervised_practice", "coaching"],
    "confidence": ["coaching", "communication_skills"],
    "bullying": ["coaching", "wellbeing"],
}
DEFAULT_INTERVENTIONS = ["coaching", "mentoring"]


def _working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next one: nobody plans a review for a Sunday."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _plan_content(case: Case, assessment: NeedsAssessment, interventions: list[Intervention], rng, opened: dt.date):
    body = plan_content.empty()
    reasons = assessment.presenting_issues or ["career"]
    for reason in reasons[:2]:
        goal = wording.DOCTOR_GOALS.get(reason, wording.DOCTOR_GOALS["career"])[0]
        body["goals"].append(
            {
                "text": goal[:300],
                "levels": {str(level): text for level, text in zip(gas.LEVELS, GOAL_LEVELS, strict=True)},
                "importance": rng.randint(1, 3),
                "difficulty": rng.randint(1, 3),
                "baseline": gas.BASELINE,
            }
        )
    rng.sample(interventions, 2)  # once chose the support at random; kept so every later draw stays the same
    by_type = {intervention.type: intervention for intervention in interventions}
    kinds = []
    for reason in reasons:
        kinds += [kind for kind in INTERVENTIONS_FOR_REASON.get(reason, DEFAULT_INTERVENTIONS) if kind not in kinds]
    for intervention in [by_type[kind] for kind in kinds if kind in by_type][:2]:
        body["interventions"].append(
            {
                "intervention_id": intervention.pk,
                "type": intervention.type,
                "name": intervention.name,
                "provider": intervention.provider,
                "description": intervention.description,
                "note": "Every two weeks to begin with",
            }
        )
    start = assessment.conversation_held_on
    body["milestones"] = [
        {"text": text, "due": _working_day(start + dt.timedelta(days=21 * (n + 1))).isoformat()}
        for n, text in enumerate(MILESTONES)
    ]
    body["review_dates"] = [
        _working_day(start + dt.timedelta(days=42)).isoformat(),
        _working_day(start + dt.timedelta(days=84)).isoformat(),
    ]
    body["sharing"] = sharing_stage.plan_proposal(case)
    body["in_my_control"] = "How I plan my week and when I ask for help."
    body["outside_my_control"] = "The rota, for now."
    return plan_content.validate(body)


def seed_plans_and_reviews(demo: Demo) -> None:
    """Agreed plans for cases in support or to be closed (a plan shared and waiting at the planning stage for
    some), then reviews at the review dates that have passed and milestones reached. The cases drawn closed are
    closed by ``seed_closures``, after the allocation history."""
    plan_services.seed_interventions()
    cases = [c for c in _cases(demo) if demo.stage_of(c) in (Stage.PLANNING, Stage.SUPPORT, Stage.CLOSED)]
    assessments = {a.case_id: a for a in NeedsAssessment.objects.filter(case__in=cases)}
    planned = set(SupportPlan.objects.filter(case__in=cases).values_list("case_id", flat=True))
    interventions = _Interventions()
    for case in cases:
        assessment = assessments.get(case.pk)
        if assessment is None or case.pk in planned:
            continue
        drawn = _draw_plan(demo, case, assessment, interventions)
        if drawn is None:
            continue  # still being drafted with the doctor
        body, agreed_on, rng = drawn
        agreed = demo.stage_of(case) != Stage.PLANNING and agreed_on <= demo.today
        shared_on = min(agreed_on, demo.today)
        as_history.plan_version(
            case,
            body,
            by=case.case_manager,
            drafted=demo.at(shared_on, 9),
            shared=demo.at(shared_on, 10),
            agreed=demo.at(agreed_on, 18) if agreed else None,
        )
        demo.created["support plans"] += 1
        if not agreed:
            continue
        _progress(demo, case, body, rng, record=True)


class _Interventions(dict):
    """Each service's interventions, looked up once."""

    def __missing__(self, service_id: int) -> list[Intervention]:
        self[service_id] = list(Intervention.objects.filter(service_id=service_id).order_by("id"))
        return self[service_id]


def _draw_plan(demo: Demo, case: Case, assessment: NeedsAssessment, interventions: _Interventions):
    """The plan drawn for ``case`` (its content, the day it was agreed, and the generator to draw what followed),
    or None while it is still being drafted with the doctor. The same every time it is drawn."""
    rng = rng_for("plan", case.request.submission_token)
    if demo.stage_of(case) == Stage.PLANNING and rng.random() < 0.5:
        return None
    opened = timezone.localdate(case.opened_at)
    body = _plan_content(case, assessment, interventions[case.request.service_id], rng, opened)
    agreed_on = demo.working_days_after(assessment.conversation_held_on, rng.randint(4, 9))
    return body, agreed_on, rng


def _progress(demo: Demo, case: Case, body: dict, rng, *, record: bool) -> dict | None:
    """Reviews and milestones through the progress services as history (nobody told), and, for a case drawn
    closed, how it closes (returned, for ``seed_closures``). With ``record=False`` the same is drawn, and nothing
    recorded."""
    closed = demo.stage_of(case) == Stage.CLOSED
    by = case.facilitator or case.case_manager
    for n, day in enumerate(body["review_dates"]):
        held_on = dt.date.fromisoformat(day)
        if held_on >= demo.today:
            break
        levels = [min(2, max(-2, gas.BASELINE + rng.choice([0, 1, 1, 2]) + n)) for _ in body["goals"]]
        reflection = rng.choice(["", "I can feel the difference on hard days.", "Slower than I hoped."])
        if not record:
            continue
        review = progress_services.record_review(
            case,
            by=by,
            held_on=held_on,
            levels=levels,
            notes="We went through each goal together.",
            token=uuid.uuid5(REVIEW_NAMESPACE, f"{case.request.submission_token}/{n}"),
            notify=False,
        )
        if reflection:
            progress_services.add_reflection(review, reflection, at=demo.at(held_on, 21))
        demo.created["reviews"] += 1
    for index, m in enumerate(body["milestones"]):
        due = dt.date.fromisoformat(m["due"])
        if due < demo.today and (closed or rng.random() < 0.7) and record:
            progress_services.mark_milestone_done(case, index, by=by, done_on=due)
    if not closed:
        return None
    reason = weighted(
        rng,
        [(ClosureReason.GOALS_MET, 70), (ClosureReason.DOCTOR_WITHDREW, 15), (ClosureReason.OTHER, 15)],
    )[0]
    closed_on = min(demo.today, dt.date.fromisoformat(body["review_dates"][-1]))
    feedback = None
    if rng.random() < 0.7:
        feedback = {
            "what_changed": rng.choice(["I ask for help earlier now.", "I know what I want from my career.", ""]),
            "team_may_read": True,
            **{key: rng.choice([3, 4, 4, 5, 5]) for key in STATEMENTS},
            "peer_supporter": rng.choice(["yes", "later", "no", ""]),
        }
    return {
        "data": {
            "reason": reason,
            "other_reason": "The doctor moved to another region." if reason == ClosureReason.OTHER else "",
            "closed_on": closed_on,
        },
        "feedback": feedback,
    }


def seed_closures(demo: Demo) -> None:
    """The cases drawn closed, closed through ``closure.services.close_case`` as history (nobody told), which
    frees the facilitator and closes the request; then the doctor's feedback, for most. After the allocation
    history, as the facilitator was asked, and accepted, while the case was open. How each closes is drawn with
    its plan and reviews (``_progress``), drawn again here."""
    cases = [c for c in _cases(demo) if demo.stage_of(c) == Stage.CLOSED and c.stage != Stage.CLOSED]
    assessments = {a.case_id: a for a in NeedsAssessment.objects.filter(case__in=cases)}
    interventions = _Interventions()
    for case in cases:
        drawn = _draw_plan(demo, case, assessments[case.pk], interventions)
        assert drawn is not None  # noqa: S101 # nosec B101 # only a case drawn in planning may have no plan yet
        body, _, rng = drawn
        closing = _progress(demo, case, body, rng, record=False)
        assert closing is not None  # noqa: S101 # nosec B101 # drawn closed
        closed_on = closing["data"]["closed_on"]
        closure_services.close_case(
            case,
            by=case.case_manager,
            data=closing["data"],
            notify=False,
            facilitator_freed_at=demo.at(closed_on, 17),
        )
        if closing["feedback"] is not None:
            closure_services.save_exit_feedback(case, closing["feedback"], STATEMENTS)
        demo.created["closures"] += 1
