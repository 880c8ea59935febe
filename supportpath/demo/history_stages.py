"""Demo stages for what happens along the way in the drawn cases: facilitators' conflicts of interest, doctors'
preferences, facilitators who declined, introductions (some not taken further), a change of facilitator,
changes asked for to a plan and later versions of plans, reassessments, honest notices of late targets and the
new dates case managers set, and an earlier emergency access that a case manager has seen.

These run after the stages that made the cases (and after sharing, so a plan's first version has already added
what it proposed). Each decides from a generator seeded by the case, adds only what is missing, and adds to
what is there as the product would (an earlier allocation before the accepted one, a new version after the
last review), so a database seeded by an earlier version of the demo gains them without losing anything.
Records are made as the apps' services make them, dated when they happened, with no email sent.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from supportpath.accounts.models import QualificationRegion
from supportpath.casework.models import Case, Stage
from supportpath.closure.models import ExitFeedback
from supportpath.core.working_days import add_working_days
from supportpath.emergency_access import services as emergency_services
from supportpath.emergency_access.models import EmergencyAccess, Purpose
from supportpath.facilitation import services as facilitation_services
from supportpath.facilitation.models import (
    Allocation,
    AllocationStatus,
    EndReason,
    FacilitatorProfile,
    Gender,
    IntroductionOutcome,
    MatchingPreferences,
)
from supportpath.plans import content as plan_content
from supportpath.plans import plan_sharing
from supportpath.plans import services as plan_services
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.progress import services as progress_services
from supportpath.progress import targets
from supportpath.progress.models import (
    Closure,
    NoticeKind,
    Reassessment,
    ReassessmentOutcome,
    Review,
    Target,
    TargetNotice,
)
from supportpath.referrals.models import Reason, Status, SupportRequest

from . import as_history
from .later_stages import PROFILES
from .people import JOURNEY_KEYS, NAMED_DOCTORS
from .planning import rng_for, weighted

if TYPE_CHECKING:
    from supportpath.accounts.models import User

    from .demo_state import Demo

NAMESPACE = uuid.UUID("7f3e9a1c-2b64-4d8e-b5a0-c19d6e2f8a37")
PLACEHOLDER_ABOUT = "A fictional facilitator in the demo."
ABOUT = {
    "coach": "I am a GP partner and an accredited coach. I work with doctors at every stage who want to find their own "
    "way through something hard: speaking up, confidence after a setback, or what to do next.",
    "mentor": "I am a consultant anaesthetist. I trained overseas before coming to the UK, and I mentor doctors "
    "preparing for exams or coming back after time away.",
    "wellbeing": "I am a counsellor with many years of working with healthcare staff. Our conversations are "
    "confidential, at your pace, and about what matters to you.",
    "careers": "I am a careers adviser for doctors. I help you weigh up your options, such as changing specialty, "
    "training less than full time or a new kind of role, with no pressure to decide.",
}
# The organisation each facilitator must not support (the coach is a partner at the GP practice), chosen where the
# demo gives them no case, so no allocation breaks it.
CONFLICTS = {"coach": "kestrel"}
DECLINE_REASONS = [
    "I am sorry: I have no room for a new case until the new year.",
    "I know the doctor's clinical lead well, so someone else would be better placed.",
    "This needs someone with more experience of exams than I have.",
    "I will be away for most of the next month, which would be a poor start for the doctor.",
]
PREFERENCE_NOTES = [
    "Someone who knows what general practice is like, if possible.",
    "Evening video calls suit me best.",
    "I would rather not meet anyone from my own hospital.",
    "",
]
CHANGE_REQUESTS = [
    ("Could the first milestone be a little later? The next month is mostly nights.", "later_milestone"),
    ("I would rather not share my goals with anyone outside the team yet.", "no_sharing"),
    ("Every two weeks feels like a lot with my rota. Could we start with monthly sessions?", "monthly"),
]
NEW_DATE_REASONS = {
    Target.MILESTONE: [
        "Your facilitator was off sick, so this moves to when you can next meet.",
        "The rota changed after the plan was written, so we have given this more time.",
        "You asked for more time for this one, and that is fine.",
    ],
    Target.INITIAL_CONVERSATION: ["The first time we offered did not suit you, so we have found a new one."],
    Target.PLAN_AGREED: ["We are still finding the right facilitator with you, so the plan will take a little longer."],
}
ASSESSORS = [
    "The Trust's performance support lead (demo)",
    "Dr Alun Ferrybridge, clinical assessor (demo)",
    "The responsible officer's case review panel (demo)",
]
REASSESSMENT_DETAILS = {
    ReassessmentOutcome.CONTINUE: "Steady progress on the goals; continue with the plan as it is.",
    ReassessmentOutcome.CHANGE_PLAN: "Progress on handovers; the plan should now turn to time management.",
    ReassessmentOutcome.NO_FURTHER_CONCERN: "The concerns that led to the referral have been addressed.",
    ReassessmentOutcome.FURTHER_ASSESSMENT: "A clinical skills assessment is needed before anything else changes.",
}


def _token(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _cases(demo: Demo):
    return (
        Case.objects.filter(request__in=list(demo.drawn_requests.values()))
        .select_related("request__doctor", "request__service", "case_manager", "facilitator")
        .order_by("pk")
    )


def seed_facilitator_details(demo: Demo) -> None:
    """Words for doctors about each facilitator, and the mentor's conflict of interest."""
    profiles = {p.user_id: p for p in FacilitatorProfile.objects.filter(service=demo.organisations["psu"])}
    for key in PROFILES:
        profile = profiles.get(demo.staff[key].pk)
        if profile is None:
            continue
        if profile.about == PLACEHOLDER_ABOUT:
            # Written by the facilitator on their profile page.
            facilitation_services.save_profile(profile, _as_saved(profile) | {"about": ABOUT[key]}, as_service=False)
            profile.refresh_from_db()
            demo.created["facilitator profiles described"] += 1
        organisation = demo.organisations[CONFLICTS[key]] if key in CONFLICTS else None
        if organisation is None or profile.conflicted_organisations.exists():
            continue
        supports_there = Allocation.objects.filter(
            facilitator=profile.user, case__request__doctor__employer=organisation
        ).exists()
        if not supports_there:
            # Recorded by the service admin on the facilitator's profile.
            data = _as_saved(profile) | {"conflicted_organisations": [organisation]}
            facilitation_services.save_profile(profile, data, as_service=True)
            demo.created["conflicts of interest"] += 1


def _as_saved(profile: FacilitatorProfile) -> dict:
    """The profile's fields as its form would send them back unchanged (no version: the demo is the only writer)."""
    fields = (*facilitation_services.PROFILE_FIELDS, *facilitation_services.SERVICE_PROFILE_FIELDS)
    return {name: getattr(profile, name) for name in fields} | {
        "conflicted_organisations": list(profile.conflicted_organisations.all())
    }


def _profiles(demo: Demo) -> dict[int, FacilitatorProfile]:
    return {
        p.user_id: p
        for p in FacilitatorProfile.objects.filter(service=demo.organisations["psu"]).prefetch_related(
            "conflicted_organisations"
        )
    }


def _may_support(profile: FacilitatorProfile, case: Case) -> bool:
    return case.request.doctor.employer_id not in {o.pk for o in profile.conflicted_organisations.all()}


def seed_matching_preferences(demo: Demo) -> None:
    """About a third of the unit's doctors said what they would like in a facilitator; most got it."""
    profiles = _profiles(demo)
    psu = demo.organisations["psu"]
    cases = [c for c in _cases(demo) if c.request.service == psu and demo.stage_of(c) != Stage.INITIAL_CONVERSATION]
    have = set(MatchingPreferences.objects.filter(case__in=cases).values_list("case_id", flat=True))
    offered = dict(
        Allocation.objects.filter(case__in=cases, status=AllocationStatus.PROPOSED).values_list(
            "case_id", "facilitator_id"
        )
    )
    made = 0
    for case in cases:
        rng = rng_for("preferences", case.request.submission_token)
        if case.pk in have or rng.random() >= 0.3:
            continue
        chosen = profiles.get(case.facilitator_id or offered.get(case.pk))
        gender = weighted(rng, [("", 50), (Gender.WOMAN, 35), (Gender.MAN, 15)])[0]
        if chosen is not None and gender:
            gender = chosen.gender  # they asked, and the case manager found it
        in_person = rng.random() < 0.3 and (chosen is None or chosen.meets_in_person)
        abroad = case.request.doctor.qualification_region != QualificationRegion.UK and rng.random() < 0.5
        abroad = abroad and (chosen is None or chosen.trained_outside_uk)
        note = rng.choice(PREFERENCE_NOTES)
        if not (gender or in_person or abroad or note):
            continue
        facilitation_services.save_preferences(
            case, {"gender": gender, "in_person": in_person, "trained_outside_uk": abroad, "anything_else": note}
        )
        said_on = demo.working_days_after(timezone.localdate(case.opened_at), 2)
        MatchingPreferences.objects.filter(case=case).update(updated_at=demo.at(said_on, 20, 30))
        made += 1
    demo.created["facilitator preferences"] += made


def _other_facilitator(demo: Demo, rng, case: Case, profiles, *, not_ids: set[int]):
    options = [
        profiles[demo.staff[key].pk]
        for key in PROFILES
        if demo.staff[key].pk in profiles and demo.staff[key].pk not in not_ids
    ]
    options = [p for p in options if _may_support(p, case)]
    return rng.choice(options).user if options else None


def seed_allocation_history(demo: Demo) -> None:
    """Before the facilitator who accepted: sometimes another who declined, an introduction that the doctor
    chose not to take further, or a facilitator the doctor changed (their one change). And an introduction
    held with some of the facilitators who then accepted. At the planning stage, a few cases wait for a new
    facilitator because the first declined, or because the doctor changed.

    Through ``facilitation.services``, in the order it happened: the allocation made earlier by
    ``later_stages.seed_allocations`` came after this history, so it is taken away and made again after it,
    with its own dates."""
    profiles = _profiles(demo)
    psu = demo.organisations["psu"]
    # The named doctors keep the history they have (Dr Grace Adeyemi-Marsh can still try changing facilitator).
    named = {demo.requests[spec.key].pk for spec in NAMED_DOCTORS if spec.key in demo.requests}
    cases = [c for c in _cases(demo) if c.request.service == psu and c.request_id not in named]
    by_case: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in Allocation.objects.filter(case__in=cases).order_by("proposed_at", "id"):
        by_case[allocation.case_id].append(allocation)
    made, made_intros = 0, 0
    for case in cases:
        history = by_case[case.pk]
        if any(a.status == AllocationStatus.DECLINED or a.end_reason in EARLIER_ENDINGS for a in history):
            continue  # its history is there already
        rng = rng_for("allocation-history", case.request.submission_token)
        opened = timezone.localdate(case.opened_at)
        current = next((a for a in history if a.facilitator_id == case.facilitator_id), None)
        open_now = next((a for a in history if a.is_open), None)
        if current is not None:
            earlier = _before_the_accepted(demo, rng, case, current, opened, profiles)
            intro = rng.random() < 0.25 and current.intro_requested_at is None and _introduction_held(demo, current)
            if earlier is not None or intro:
                made += _in_order(case, earlier, current)
                made_intros += bool(intro)
        elif demo.stage_of(case) == Stage.PLANNING:
            earlier = _while_planning(demo, rng, case, opened, open_now, profiles)
            if earlier is not None:
                made += _in_order(case, earlier, open_now)
    demo.created["earlier facilitator allocations"] += made
    demo.created["introductions recorded"] += made_intros


EARLIER_ENDINGS = (EndReason.DOCTOR_CHANGED, EndReason.NOT_GOING_AHEAD)


@dataclass
class Drawn:
    """An allocation drawn for the history, before it is made through the services (``_through_services``)."""

    facilitator: User
    proposed_by: User
    proposed_at: dt.datetime
    status: str
    responded_at: dt.datetime | None = None
    decline_reason: str = ""
    intro_requested_at: dt.datetime | None = None
    intro_outcome: str = ""
    intro_held_on: dt.date | None = None
    intro_recorded_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    end_reason: str = ""


def _in_order(case: Case, earlier: Drawn | None, later: Allocation | None) -> int:
    """``earlier`` (drawn, not saved) through the services, then ``later`` made again after it as it was. Returns
    1 if ``earlier`` was made (the product's rules may refuse it: then only ``later`` is made again)."""
    if later is not None:
        Allocation.objects.filter(pk=later.pk).delete()
    made = 0
    if earlier is not None:
        try:
            _through_services(case, earlier)
            made = 1
        except facilitation_services.AllocationRefused:
            pass
    if later is not None:
        _through_services(case, later)
    return made


def _through_services(case: Case, row: Drawn | Allocation) -> None:
    """What ``row`` records, step by step through ``facilitation.services``, dated as it records, nobody told."""
    allocation = as_history.propose(case, row.facilitator, by=row.proposed_by, at=row.proposed_at)
    steps: list[tuple[dt.datetime, Callable[[], object]]] = []
    if row.intro_requested_at:
        asked = row.intro_requested_at
        steps.append((asked, lambda: facilitation_services.ask_for_introduction(allocation, notify=False, at=asked)))
    if row.intro_outcome:
        recorded, outcome, held_on = row.intro_recorded_at, row.intro_outcome, row.intro_held_on
        steps.append(
            (
                recorded,
                lambda: facilitation_services.record_introduction(
                    allocation, outcome=outcome, held_on=held_on, notify=False, at=recorded
                ),
            )
        )
    if row.responded_at and row.status == AllocationStatus.DECLINED:
        responded, reason = row.responded_at, row.decline_reason
        steps.append(
            (responded, lambda: facilitation_services.decline(allocation, reason=reason, notify=False, at=responded))
        )
    elif row.responded_at:
        responded = row.responded_at
        steps.append((responded, lambda: facilitation_services.accept(allocation, notify=False, at=responded)))
    if row.end_reason == EndReason.DOCTOR_CHANGED:
        ended = row.ended_at
        steps.append((ended, lambda: facilitation_services.change_facilitator(case, notify=False, at=ended)))
    elif row.end_reason == EndReason.CASE_CLOSED:
        ended = row.ended_at
        steps.append((ended, lambda: facilitation_services.end_on_closure(case, at=ended)))
    for _, step in sorted(steps, key=lambda when_step: when_step[0]):
        step()


def _before_the_accepted(demo: Demo, rng, case: Case, current: Allocation, opened: dt.date, profiles):
    draw = rng.random()
    other = _other_facilitator(demo, rng, case, profiles, not_ids={current.facilitator_id})
    if other is None or draw >= 0.24:
        return None
    proposed = demo.at(demo.working_days_after(opened, 1), 15)
    rng.uniform(1, 6)  # once the fit score (matching works it out now); still drawn so the rest stays the same
    common = {"facilitator": other, "proposed_by": case.case_manager, "proposed_at": proposed}
    if draw < 0.12:
        row = Drawn(
            status=AllocationStatus.DECLINED,
            responded_at=demo.at(demo.working_days_after(opened, 2), 10),
            decline_reason=rng.choice(DECLINE_REASONS),
            **common,
        )
    elif draw < 0.20:
        held_on = demo.working_days_after(opened, 3)
        row = Drawn(
            status=AllocationStatus.ENDED,
            intro_requested_at=demo.at(demo.working_days_after(opened, 2), 19),
            intro_outcome=IntroductionOutcome.NOT_GOING_AHEAD,
            intro_held_on=held_on,
            intro_recorded_at=demo.at(held_on, 17),
            ended_at=demo.at(held_on, 17),
            end_reason=EndReason.NOT_GOING_AHEAD,
            **common,
        )
    else:
        row = Drawn(
            status=AllocationStatus.ENDED,
            responded_at=demo.at(demo.working_days_after(opened, 2), 11),
            ended_at=demo.at(demo.working_days_after(opened, 4), 9, 30),
            end_reason=EndReason.DOCTOR_CHANGED,
            **common,
        )
    # All of it before the facilitator who accepted was asked, or it is left out.
    last = row.ended_at or row.responded_at
    return row if last < current.proposed_at else None


def _introduction_held(demo: Demo, current: Allocation) -> int:
    """The doctor asked to meet the facilitator first; they met the next working day, then went ahead (on
    ``current``, not saved: ``_in_order`` makes it again with the introduction)."""
    if current.responded_at is None:
        return 0
    asked_on = timezone.localdate(current.proposed_at)
    held_on = demo.working_days_after(asked_on, 1)
    if held_on >= timezone.localdate(current.responded_at):
        return 0
    current.intro_requested_at = demo.at(asked_on, 19, 30)
    current.intro_outcome = IntroductionOutcome.HELD
    current.intro_held_on = held_on
    current.intro_recorded_at = demo.at(held_on, 16, 45)
    return 1


def _while_planning(demo: Demo, rng, case: Case, opened: dt.date, open_now: Allocation | None, profiles):
    draw = rng.random()
    if draw >= 0.35:
        return None
    not_ids = {open_now.facilitator_id} if open_now else set()
    other = _other_facilitator(demo, rng, case, profiles, not_ids=not_ids)
    proposed_on = demo.working_days_before(4)
    if other is None or proposed_on <= opened:
        return None
    rng.uniform(12, 25)  # once the fit score (matching works it out now); still drawn so the rest stays the same
    common = {"facilitator": other, "proposed_by": case.case_manager, "proposed_at": demo.at(proposed_on, 15)}
    if draw < 0.25 or open_now is not None:
        # Declined; the case manager has asked someone else since (or has yet to).
        return Drawn(
            status=AllocationStatus.DECLINED,
            responded_at=demo.at(demo.working_days_before(3), 10),
            decline_reason=rng.choice(DECLINE_REASONS),
            **common,
        )
    return Drawn(
        status=AllocationStatus.ENDED,
        responded_at=demo.at(demo.working_days_before(3), 11),
        ended_at=demo.at(demo.working_days_before(1), 9, 30),
        end_reason=EndReason.DOCTOR_CHANGED,
        **common,
    )


def _later_milestone(content: dict) -> None:
    first = content["milestones"][0]
    first["due"] = (dt.date.fromisoformat(first["due"]) + dt.timedelta(days=14)).isoformat()


def _no_sharing(content: dict) -> None:
    content["sharing"] = {part: [] for part in plan_content.PARTS}


def _monthly(content: dict) -> None:
    for item in content["interventions"]:
        item["note"] = "Monthly to begin with"


CHANGES = {"later_milestone": _later_milestone, "no_sharing": _no_sharing, "monthly": _monthly}


def seed_plan_versions(demo: Demo) -> None:
    """At the planning stage, some doctors asked for changes to the plan they were shown: for about half of
    them the case manager has shared a new version, the rest wait for the case manager. In support, some plans
    were changed after a review, and the doctor agreed the new version."""
    cases = [c for c in _cases(demo) if c.stage in (Stage.PLANNING, Stage.SUPPORT)]
    versions: dict[int, list[PlanVersion]] = defaultdict(list)
    for version in PlanVersion.objects.filter(plan__case__in=cases).select_related("plan").order_by("number"):
        versions[version.plan.case_id].append(version)
    reviews = Review.objects.filter(case__in=cases).values("case_id").annotate(last=Max("held_on"))
    last_review = {row["case_id"]: row["last"] for row in reviews}
    asked, new = 0, 0
    for case in cases:
        history = versions.get(case.pk, [])
        if len(history) != 1:
            continue  # no plan yet, or it has versions already
        first = history[0]
        rng = rng_for("plan-versions", case.request.submission_token)
        if case.stage == Stage.PLANNING and first.status == VersionStatus.SHARED and rng.random() < 0.6:
            shared_on = timezone.localdate(first.shared_at)
            asked_on = demo.working_days_after(shared_on, 1)
            if asked_on >= demo.last_working_day or shared_on < demo.working_days_before(20):
                continue  # shared too recently for an answer, or so long ago that a case manager would have acted
            comment, change = rng.choice(CHANGE_REQUESTS)
            if change == "no_sharing" and not plan_sharing.proposed(first.content):
                comment, change = CHANGE_REQUESTS[0]
            plan_services.request_changes(
                case, number=first.number, comment=comment, notify=False, at=demo.at(asked_on, 20, 30)
            )
            asked += 1
            redrafted_on = demo.working_days_after(asked_on, 1)
            if rng.random() < 0.5 and redrafted_on > asked_on:
                content = copy.deepcopy(first.content)
                CHANGES[change](content)
                as_history.plan_version(
                    case,
                    content,
                    by=case.case_manager,
                    drafted=demo.at(redrafted_on, 14),
                    shared=demo.at(redrafted_on, 16),
                )
                new += 1
        elif case.stage == Stage.SUPPORT and first.status == VersionStatus.AGREED and case.pk in last_review:
            if rng.random() >= 0.3:
                continue
            drafted_on = demo.working_days_after(last_review[case.pk], 1)
            agreed_on = demo.working_days_after(drafted_on, rng.randint(1, 2))
            if not last_review[case.pk] < drafted_on < agreed_on:
                continue  # the review was too recent for a new version to have been agreed since
            content = copy.deepcopy(first.content)
            # A new version after agreement proposes no sharing of its own (plans.plan_sharing.content_for_editing).
            content["sharing"] = {part: [] for part in plan_content.PARTS}
            for item in content["interventions"]:
                item["note"] = "Every three weeks now that things are steadier"
            content["milestones"].append(
                {
                    "text": "Look back with my facilitator at what has changed since the review",
                    "due": (agreed_on + dt.timedelta(days=28)).isoformat(),
                }
            )
            content = plan_content.validate(content)
            as_history.plan_version(
                case,
                content,
                by=case.case_manager,
                drafted=demo.at(drafted_on, 14),
                shared=demo.at(drafted_on, 16),
                agreed=demo.at(agreed_on, 19),
            )
            new += 1
    demo.created["plans with changes asked for"] += asked
    demo.created["later plan versions"] += new


def seed_reassessments(demo: Demo) -> None:
    """Most cases about performance, or part of a formal process, had a reassessment after their first review."""
    cases = [c for c in _cases(demo) if c.stage in (Stage.SUPPORT, Stage.CLOSED)]
    have = set(Reassessment.objects.filter(case__in=cases).values_list("case_id", flat=True))
    closures = dict(Closure.objects.filter(case__in=cases).values_list("case_id", "closed_on"))
    made = 0
    for case in cases:
        if case.pk in have:
            continue
        if not (case.request.mandated or Reason.PERFORMANCE in case.request.reason_codes):
            continue
        first_review = case.reviews.order_by("held_on").first()
        rng = rng_for("reassessment", case.request.submission_token)
        if first_review is None or rng.random() >= 0.6:
            continue
        held_on = demo.working_days_after(first_review.held_on, 5)
        if held_on <= first_review.held_on or held_on > closures.get(case.pk, demo.today):
            continue
        outcome = weighted(
            rng,
            [
                (ReassessmentOutcome.CONTINUE, 50),
                (ReassessmentOutcome.CHANGE_PLAN, 20),
                (ReassessmentOutcome.NO_FURTHER_CONCERN, 20),
                (ReassessmentOutcome.FURTHER_ASSESSMENT, 10),
            ],
        )[0]
        progress_services.record_reassessment(
            case,
            by=case.case_manager,
            data={
                "held_on": held_on,
                "assessed_by": rng.choice(ASSESSORS),
                "outcome": outcome,
                "details": REASSESSMENT_DETAILS[outcome],
                "submission_token": _token("reassessment", case.request.submission_token),
            },
        )
        made += 1
    demo.created["reassessments"] += made


def seed_late_notices_and_new_dates(demo: Demo) -> None:
    """What the daily checks would have recorded by the day of seeding: each target that passed without
    happening got an honest notice to the doctor the working day after; for about a third of the late
    milestones (and a few other targets) the case manager then set a new date, with a reason for the doctor."""
    today = demo.last_working_day
    cases = [c for c in _cases(demo) if c.stage != Stage.CLOSED]
    requests = [c.request for c in cases] + [
        r for r in demo.drawn_requests.values() if r.status == Status.RECEIVED and r.first_contact_due < today
    ]
    notices: dict[int, set[tuple]] = defaultdict(set)
    for n in TargetNotice.objects.filter(request__in=requests, kind=NoticeKind.LATE):
        notices[n.request_id].add((n.target, n.label, n.planned, n.due))
    new_notices: list[progress_services.Notice] = []
    new_dates = 0
    for request in requests[len(cases) :]:
        due = request.first_contact_due
        if (Target.FIRST_CONTACT, "", due, due) not in notices[request.pk]:
            first_contact = targets.TargetState(Target.FIRST_CONTACT, Target.FIRST_CONTACT.label, due)
            new_notices.append(_late(request, None, first_contact, today))
    for progress in targets.load(cases).values():
        case = progress.case
        for target in progress.open_targets():
            if target.due >= today or target.arranged_for is not None:
                continue
            identity = (target.kind, target.match_label, target.planned, target.due)
            if identity in notices[case.request_id]:
                continue
            notice = _late(case.request, case, target, today)
            new_notices.append(notice)
            reasons = NEW_DATE_REASONS.get(target.kind)
            rng = rng_for("new-date", case.request.submission_token, target.ref)
            set_on = demo.working_days_after(notice.sent_on, 1)
            if not reasons or rng.random() >= 0.35 or set_on <= notice.sent_on:
                continue
            progress_services.set_new_date(
                case,
                by=case.case_manager,
                target=target,
                new_due=add_working_days(today, rng.randint(5, 15)),
                reason=rng.choice(reasons),
                token=_token("new-date", case.request.submission_token, target.ref, target.planned),
                notify=False,
                at=demo.at(set_on, 12, 15),
            )
            new_dates += 1
    progress_services.record_notices(new_notices, notify=False)
    demo.created["notices of late targets"] += len(new_notices)
    demo.created["new dates set by case managers"] += new_dates


def _late(
    request: SupportRequest, case: Case | None, target: targets.TargetState, today: dt.date
) -> progress_services.Notice:
    """The notice the daily checks record the working day after ``target`` passed (as history: nobody told)."""
    sent_on = min(add_working_days(target.due, 1), today)
    return progress_services.Notice(request, target, NoticeKind.LATE, sent_on, case)


def seed_feedback_dates(demo: Demo) -> None:
    """Exit feedback is given after closure, not on the day the demo was seeded: date the generated doctors'
    feedback a few days after their case closed (theirs alone: nobody signs in as them to give it later)."""
    named = {spec.key for spec in NAMED_DOCTORS}
    requests = [r for key, r in demo.drawn_requests.items() if key not in named]
    closed_on = dict(Closure.objects.filter(case__request__in=requests).values_list("case_id", "closed_on"))
    fixed = 0
    for feedback in ExitFeedback.objects.filter(case_id__in=closed_on, given_at__gt=demo.now).select_related(
        "case__request"
    ):
        rng = rng_for("feedback-given", feedback.case.request.submission_token)
        day = closed_on[feedback.case_id] + dt.timedelta(days=rng.randint(1, 9))
        ExitFeedback.objects.filter(pk=feedback.pk).update(given_at=demo.at(day, 20, 15))
        fixed += 1
    demo.created["exit feedback dated after closure"] += fixed


def seed_earlier_emergency_access(demo: Demo) -> None:
    """Five weeks ago the service admin opened one record to look into a complaint; a case manager has seen
    the alert since. Through ``emergency_access.services.open_grant``, as history (nobody emailed). (Dr Anjali
    Whitlow's, yesterday, is in journeys.py.)"""
    token = _token("emergency-access", "earlier")
    if EmergencyAccess.objects.filter(submission_token=token).exists():
        return
    psu = demo.organisations["psu"]
    named = {spec.key for spec in NAMED_DOCTORS} | JOURNEY_KEYS
    candidates = sorted(
        (r for key, r in demo.drawn_requests.items() if key not in named and r.service_id == psu.pk),
        key=lambda r: r.reference,
    )
    opened_on = demo.working_days_before(25)
    case_ids = dict(
        Case.objects.filter(request__in=candidates, stage=Stage.SUPPORT, opened_at__date__lt=opened_on).values_list(
            "request_id", "pk"
        )
    )
    chosen = next((r for r in candidates if r.pk in case_ids), None)
    if chosen is None:
        return
    opened = demo.at(opened_on, 9, 40)
    grant, _ = emergency_services.open_grant(
        admin=demo.staff["service_admin"],
        support_request=chosen,
        purpose=Purpose.COMPLAINT,
        reason="Looking into a complaint about how long this request waited for first contact, as the doctor asked.",
        submission_token=token,
        notify=False,
        at=opened,
    )
    emergency_services.end_grant(grant, at=opened + dt.timedelta(minutes=6))
    emergency_services.mark_seen(
        grant, by=demo.staff["case_manager_2"], at=demo.at(demo.working_days_after(opened_on, 1), 8, 50)
    )
    demo.created["emergency accesses"] += 1
