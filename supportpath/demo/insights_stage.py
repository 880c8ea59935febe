"""Enough history for the service insights (supportpath/insights): 320 more fictional doctors of the unit's
organisations, each with a request from 5 to 23 months before the day of seeding, most followed through to a
closed case (needs, an agreed plan, sessions, a review, questionnaires at the start and at closure, closure and
feedback); a workforce file for every organisation served, loaded through the insights' own loader; and the
fact record written for every request through its own writer.

Together with the rest of the demo this gives about two years of history and over 500 doctors, so every report
shows something; small groups (the few EEA graduates, "in another way" for gender) are hidden; and the equity
report flags international medical graduates, who are 30% of the workforce files' doctors but, as in the
paper's Table 2, 7% of those asking for support (fewer requests per 1,000 than the rest).

These doctors cannot sign in and are never named on a page a newcomer is sent to. Dates count back from the day
of first seeding; draws are seeded from fixed strings, so the history is the same every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Mapping
from random import Random
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from supportpath.accounts.models import Organisation, User
from supportpath.casework import services as casework
from supportpath.casework.models import Case
from supportpath.closure import services as closure_services
from supportpath.closure.models import STATEMENTS
from supportpath.facilitation.models import FacilitatorProfile
from supportpath.insights import facts, workforce
from supportpath.insights.models import Fact, WorkforceFile
from supportpath.measures import catalogue, offers, safety
from supportpath.measures import services as measures_services
from supportpath.measures.models import Point, Questionnaire
from supportpath.pathway import services as pathway_services
from supportpath.pathway.models import Attendance, Mode
from supportpath.plans import content as plan_content
from supportpath.plans.models import Intervention
from supportpath.progress import services as progress_services
from supportpath.progress.models import ClosureReason
from supportpath.referrals.models import Route, Status, SupportRequest
from supportpath.scoring import gas

from . import as_history, builders, later_stages, table2, wording
from .people import DEMO_EMAIL_DOMAIN, FACILITATOR_FOR_REASON, REFERRERS_BY_ROUTE, STAFF_BY_KEY, DoctorSpec, RequestSpec
from .planning import (
    _ascii,
    _route_for,
    career_stage_rows,
    deal,
    deal_doctors,
    rng_for,
    weighted,
)

if TYPE_CHECKING:
    from .demo_state import Demo

HISTORY_DOCTOR_COUNT = 320
GMC_HISTORY_START = 9_920_001
OLDEST_DAYS, NEWEST_DAYS = 700, 160
HISTORY_EMAIL = f"history.doctors.{DEMO_EMAIL_DOMAIN}"
# How support ended. In this fictional unit doctors who asked for support themselves complete it more often
# than those referred by someone else, so that the programme theory's report (theory_stage.py), which reads the
# facts written from these records, has something to bear out (CMOC 4.7) and something to question (4.9).
CLOSURES = {
    True: [(ClosureReason.GOALS_MET, 85), (ClosureReason.DOCTOR_WITHDREW, 5), (ClosureReason.OTHER, 10)],
    False: [(ClosureReason.GOALS_MET, 45), (ClosureReason.DOCTOR_WITHDREW, 40), (ClosureReason.OTHER, 15)],
}
OTHER_REASONS = ["Moved to a post in another region", "Started long-term leave", "Chose to pause support"]
# The doctors each served organisation employs, for its workforce file.
WORKFORCE = {"royal": 1400, "ashby": 1100, "kestrel": 400, "southfen_trust": 900}
OTHER_WORKFORCE = 150  # an organisation the admin added (the community trust)
WORKFORCE_REGIONS = [("uk", 62), ("eea", 8), ("international", 30)]
ETHNIC_BY_REGION = {
    "uk": [("white", 70), ("asian", 18), ("black", 4), ("mixed", 5), ("other", 3)],
    "eea": [("white", 85), ("mixed", 5), ("other", 10)],
    "international": [("asian", 60), ("black", 22), ("other", 10), ("white", 8)],
}


def plan_history_doctors() -> list[DoctorSpec]:
    """Dealt from Table 2's proportions like the other generated doctors (planning.deal_doctors)."""
    return deal_doctors(
        rng_for("history-doctors"),
        HISTORY_DOCTOR_COUNT,
        hospital_employers=[("royal", 54), ("ashby", 46)],
        hospital_specialty=lambda rng, _career_stage: rng.choice(table2.HOSPITAL_SPECIALTIES),
        identity=lambda n, first, surname: {
            "key": f"history-{n:03d}",
            "email": f"{_ascii(first)}.{_ascii(surname)}.h{n:03d}@{HISTORY_EMAIL}",
            "gmc_number": str(GMC_HISTORY_START + n),
            "phone": f"07700 901{n % 1000:03d}",
        },
    )


def plan_history_requests(doctors: list[DoctorSpec]) -> list[RequestSpec]:
    rng = rng_for("history-requests")
    reason_rows = [(code, weight) for _, code, weight in table2.REASONS]
    first_reasons = deal(rng, reason_rows, len(doctors))
    specs: list[RequestSpec] = []
    for doctor, (first_reason, _) in zip(doctors, first_reasons, strict=True):
        reasons: list[str] = [first_reason]
        if rng.random() < table2.SECOND_REASON_SHARE:
            second = weighted(rng, reason_rows)[0]
            if second not in reasons:
                reasons.append(second)
        route = _route_for(rng, first_reason, doctor)
        if route == Route.RESPONSIBLE_OFFICER:
            route = Route.SUPERVISOR  # the responsible officer's page is for the doctors of today's demo
        referrer = None
        if route != Route.SELF:
            candidates = REFERRERS_BY_ROUTE[route]
            local = [key for key in candidates if STAFF_BY_KEY[key].organisation == doctor.employer]
            referrer = rng.choice(local or candidates)
        handed_over = rng.random() < 0.12
        specs.append(
            RequestSpec(
                doctor_key=doctor.key,
                route=route,
                reasons=reasons,
                status=Status.HANDED_OVER if handed_over else Status.CLOSED,
                # spread evenly over the months (about 18 a month), so no month of the history is too thin to show
                days_ago=NEWEST_DAYS + (OLDEST_DAYS - NEWEST_DAYS) * len(specs) // len(doctors) + rng.randint(0, 1),
                urgent=False,  # in the demo only requests still waiting are urgent
                referrer=referrer,
                handed_over_to=rng.choice(list(wording.HANDOVER_REASONS)) if handed_over else "",
            )
        )
    return specs


def _answers(rng: Random, items: int, most: int, total: int, keep_last_zero: bool = False) -> dict[str, int]:
    """Item scores that add up to ``total`` (each 0..most)."""
    scores = [0] * items
    slots = list(range(items - 1 if keep_last_zero else items))
    left = total
    while left > 0 and slots:
        i = rng.choice(slots)
        scores[i] += 1
        left -= 1
        if scores[i] == most:
            slots.remove(i)
    return {str(n + 1): s for n, s in enumerate(scores)}


def _questionnaires(
    demo: Demo, case: Case, rng: Random, start_day: dt.date, end_day: dt.date, shipped: Mapping[str, Questionnaire]
) -> list[measures_services.Answered]:
    if rng.random() < 0.2:
        return []  # always optional: some doctors answer none
    phq_start = max(0, min(19, round(rng.gauss(11, 5))))  # below 20: the safety net is the journeys' to show
    gad_start = max(0, min(21, round(rng.gauss(9, 4))))
    who_start = max(0, min(25, round(rng.gauss(11, 4))))
    gain = rng.uniform(-0.15, 0.7)
    answered = []
    for point, day, progress in ((Point.FIRST_CONVERSATION, start_day, 0.0), (Point.CLOSURE, end_day, gain)):
        offer = offers.Offer(request=case.request, case=case, reached=offers.Reached(point, point.value))
        totals = {
            "phq-9": (9, 3, max(0, min(19, round(phq_start * (1 - progress)))), True),
            "gad-7": (7, 3, max(0, min(21, round(gad_start * (1 - progress)))), False),
            "who-5": (5, 5, max(0, min(25, round(who_start + (25 - who_start) * progress))), False),
        }
        for key, (items, most, total, no_item_9) in totals.items():
            answers = _answers(rng, items, most, total, keep_last_zero=no_item_9)
            answered.append(measures_services.Answered(offer, shipped[key], answers, demo.at(day, 19)))
    return answered


def _follow_through(
    demo: Demo,
    case: Case,
    facilitator: User,
    spec: RequestSpec,
    interventions: list[Intervention],
    shipped: Mapping[str, Questionnaire],
) -> dict[str, list[Any]]:
    """The closed case's records, for bulk creation."""
    rng = rng_for("history-case", case.request.submission_token)
    made: dict[str, list] = {"sessions": [], "responses": []}
    opened = timezone.localdate(case.opened_at)
    held_on = demo.working_days_after(opened, rng.randint(3, 12))
    data = dict.fromkeys(pathway_services.ASSESSMENT_FIELDS, "") | {
        "presenting_issues": list(spec.reasons),
        "doctor_goals": rng.choice(wording.DOCTOR_GOALS.get(spec.reasons[0], wording.DOCTOR_GOALS["career"])),
        "strengths": "Keen to make a change and clear about what matters to them.",
        "mandated": case.request.mandated,
        "conversation_held_on": held_on,
    }
    assessment = pathway_services.save_needs_assessment(case, by=case.case_manager, data=data, based_on_version=None)
    body = later_stages._plan_content(case, assessment, interventions, rng, opened)
    # The history's plans propose no sharing: agreeing one adds nothing to the doctor's sharing agreement, so the
    # people those doctors share with see what they saw before the plans were agreed through the service.
    body["sharing"] = {part: [] for part in plan_content.PARTS}
    agreed_on = demo.working_days_after(held_on, rng.randint(4, 9))
    # The facilitator was asked once the needs were recorded and accepted; their allocation ends with the case.
    as_history.accepted(
        case,
        facilitator,
        by=case.case_manager,
        proposed=demo.at(demo.working_days_after(held_on, 1), 15),
        responded=demo.at(demo.working_days_after(held_on, 2), 11),
    )
    as_history.plan_version(
        case,
        body,
        by=case.case_manager,
        drafted=demo.at(agreed_on, 9),
        shared=demo.at(agreed_on, 10),
        agreed=demo.at(agreed_on, 18),
    )
    day = agreed_on
    for n in range(rng.randint(2, 9)):
        following = demo.working_days_after(day, rng.randint(7, 12))
        if following >= demo.today - dt.timedelta(days=14):
            break
        day = following
        attendance = weighted(
            rng,
            [
                (Attendance.ATTENDED, 82),
                (Attendance.CANCELLED_BY_DOCTOR, 8),
                (Attendance.CANCELLED_BY_FACILITATOR, 4),
                (Attendance.DID_NOT_ATTEND, 6),
            ],
        )[0]
        made["sessions"].append(
            (
                case,
                {
                    "held_on": day,
                    "mode": rng.choice(list(Mode)),
                    "attendance": attendance if n else Attendance.ATTENDED,
                    "shared_summary": rng.choice(wording.SESSION_SUMMARIES),
                    "agreed_actions": "",
                    "private_notes": "",
                    "submission_token": uuid.uuid5(builders.TOKEN_NAMESPACE, f"history-session/{case.pk}/{n}"),
                },
            )
        )
    closed_on = min(demo.working_days_after(day, rng.randint(1, 10)), demo.today - dt.timedelta(days=7))
    levels = [
        min(2, max(-2, gas.BASELINE + weighted(rng, [(0, 15), (1, 45), (2, 30), (3, 10)])[0])) for _ in body["goals"]
    ]
    reason = weighted(rng, CLOSURES[spec.route == Route.SELF])[0]
    if reason == ClosureReason.DOCTOR_WITHDREW:
        levels = [min(level, 0) for level in levels]
    if levels:  # there were goals to score
        progress_services.record_review(
            case,
            by=case.case_manager,
            held_on=closed_on,
            levels=levels,
            notes="",
            token=uuid.uuid5(builders.TOKEN_NAMESPACE, f"history-review/{case.pk}"),
            notify=False,
        )
    # Closed through the product's own service, told to nobody; its final score is the review's just made.
    closure_services.close_case(
        case,
        by=case.case_manager,
        data={
            "reason": reason,
            "other_reason": rng.choice(OTHER_REASONS) if reason == ClosureReason.OTHER else "",
            "closed_on": closed_on,
        },
        notify=False,
        facilitator_freed_at=demo.at(closed_on, 17),
    )
    rng.uniform(12, 30)  # once the allocation's fit score; still drawn so what follows stays the same
    made["responses"] = _questionnaires(demo, case, rng, held_on, closed_on, shipped)
    if rng.random() < 0.6:
        agree = 4 if reason == ClosureReason.GOALS_MET else 3
        closure_services.save_exit_feedback(
            case,
            {
                "what_changed": "",
                "team_may_read": True,
                "peer_supporter": "",
                **{key: max(1, min(5, agree + rng.choice([-1, 0, 0, 1]))) for key in STATEMENTS},
            },
            STATEMENTS,
        )
    return made


def _workforce_csv(organisation_key: str, doctors: int) -> bytes:
    rng = rng_for("workforce", organisation_key)
    rows = []
    stages = career_stage_rows()
    if organisation_key == "kestrel":
        stages = [row for row in stages if row[1] == "gp"] or stages
    for _ in range(60):
        _, career_stage, contract_type, _ = weighted(rng, stages)
        region = weighted(rng, WORKFORCE_REGIONS)[0]
        ethnic = weighted(rng, ETHNIC_BY_REGION[region])[0]
        gender = weighted(rng, [("female", 50), ("male", 49), ("another", 1)])[0]
        age = weighted(rng, [(code, share) for code, _, share in table2.AGE_BANDS])[0]
        rows.append([career_stage, contract_type, region, ethnic, gender, age])
    counts = [doctors // len(rows)] * len(rows)
    for i in range(doctors - sum(counts)):
        counts[i] += 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(workforce.COLUMNS)
    for row, n in zip(rows, counts, strict=True):
        writer.writerow([*row, n])
    return out.getvalue().encode()


def seed_history(demo: Demo) -> None:
    doctor_specs = plan_history_doctors()
    doctors, doctors_made = builders.make_doctors(demo, doctor_specs)
    demo.created["doctors with history"] += doctors_made
    specs_by_key = {spec.key: spec for spec in doctor_specs}
    request_specs = {
        spec.doctor_key: spec for spec in plan_history_requests(doctor_specs) if spec.doctor_key in doctors
    }
    tokens = {builders._token(doctors[key]): key for key in request_specs}
    existing = set(
        SupportRequest.objects.filter(submission_token__in=tokens).values_list("submission_token", flat=True)
    )
    new = [
        builders._build_request(demo, spec, doctors[key], specs_by_key[key])
        for key, spec in request_specs.items()
        if builders._token(doctors[key]) not in existing
    ]
    triages = {request.submission_token: builders.hold_back_triage(request) for request in new}
    for drawn in new:
        # Each self-referring doctor's answer is no: the history shares nothing beyond a mandated referral's minimum.
        builders.make_request(drawn)
    made_now = SupportRequest.objects.filter(submission_token__in=[r.submission_token for r in new])
    for request in made_now.select_related("doctor__user"):
        if (held_back := triages[request.submission_token]) is not None:
            builders.triage(request, held_back)
    requests = {tokens[r.submission_token]: r for r in made_now.select_related("doctor")}
    demo.created["requests with history"] += len(new)
    # Each case's facilitator as the rest of the demo chooses (by reason), but never one with a conflict of
    # interest at the doctor's employer.
    conflicts = {
        profile.user_id: {o.pk for o in profile.conflicted_organisations.all()}
        for profile in FacilitatorProfile.objects.filter(service=demo.organisations["psu"]).prefetch_related(
            "conflicted_organisations"
        )
    }
    choices = list(dict.fromkeys([*FACILITATOR_FOR_REASON.values(), "coach"]))

    def facilitator_for(reason: str, employer_id: int | None) -> User:
        first = FACILITATOR_FOR_REASON.get(reason, "coach")
        for key in [first, *choices]:
            user = demo.staff[key]
            if employer_id not in conflicts.get(user.pk, set()):
                return user
        return demo.staff[first]

    cases = []
    facilitators: dict[int, User] = {}  # by case
    for key, request in requests.items():
        manager = request.first_contact_by
        if request_specs[key].status != Status.CLOSED or request.first_contact_on is None or manager is None:
            continue  # (closed ones were all contacted)
        rng = rng_for("history-open", request.submission_token)
        opened_day = demo.working_days_after(request.first_contact_on, rng.randint(0, 3))
        # Accepted through the product's service as history (nobody told); _follow_through gives it the
        # facilitator chosen here and closes it.
        case = casework.accept(
            request,
            by=manager,
            at=demo.at(opened_day, rng.randint(9, 16), rng.randint(0, 59)),
            notify=False,
        )
        facilitators[case.pk] = facilitator_for(request_specs[key].reasons[0], request.doctor.employer_id)
        cases.append(case)
    if cases:
        service = demo.organisations["psu"]
        interventions = list(Intervention.objects.filter(service=service).order_by("id"))
        shipped = catalogue.ensure_shipped()
        keys = {request.pk: key for key, request in requests.items()}
        made: dict[str, list] = {"sessions": [], "responses": []}
        for case in Case.objects.filter(request__in=list(requests.values())).select_related(
            "request__doctor", "case_manager", "facilitator"
        ):
            for kind, rows in _follow_through(
                demo, case, facilitators[case.pk], request_specs[keys[case.request_id]], interventions, shipped
            ).items():
                made[kind] += rows
        for case, data in made["sessions"]:
            pathway_services.record_session(case, facilitator=facilitators[case.pk], data=data)
        # Answered through the product's own service (the pages' checks and scoring, in one insert), told to
        # nobody; no history doctor's answers call for the safety net (PHQ-9 below 20, question 9 at 0).
        for response, reason in measures_services.record_answered(made["responses"]):
            safety.raise_alert(response, reason, at=response.completed_at, notify=False)
        demo.created["closed cases with history"] += len(cases)


def seed_workforce_files(demo: Demo) -> None:
    keys = {organisation.pk: key for key, organisation in demo.organisations.items()}
    for organisation in Organisation.objects.filter(support_service__isnull=False).order_by("pk"):
        if WorkforceFile.objects.filter(organisation=organisation).exists():
            continue
        key = keys.get(organisation.pk, organisation.name)
        workforce.load(
            service=organisation.serving_service,
            organisation=organisation,
            data=_workforce_csv(key, WORKFORCE.get(key, OTHER_WORKFORCE)),
            by=demo.staff.get("service_admin"),
        )
        demo.created["workforce files"] += 1


def seed_facts(demo: Demo) -> None:
    """The fact record of every request, written through the insights' own writer (the demo builds its records
    with the writer paused, then writes them once here)."""
    before = Fact.objects.count()
    facts.backfill()
    demo.created["insights facts"] += Fact.objects.count() - before


STAGES = [seed_history, seed_workforce_files, seed_facts]
