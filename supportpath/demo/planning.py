"""What the demo's doctors are like and what they asked for, drawn from the paper's Table 2 (see ``table2``).

Characteristics with a Table 2 share are *dealt*, not drawn: the counts follow the paper's percentages
exactly (largest remainders), then a seeded shuffle decides who gets which. So 200 demo doctors look like
the paper's doctors rather than like one noisy sample of them. Everything else (routes, dates, states) is
drawn from a generator seeded with a fixed string, so the demo is the same every time.
"""

import math
import random
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from supportpath.accounts.models import CareerStage, ContractType
from supportpath.referrals.models import Reason, Route, Status

from . import table2
from .people import (
    DEMO_EMAIL_DOMAIN,
    FIRST_NAMES,
    GENERATED_DOCTOR_COUNT,
    GMC_GENERATED_START,
    NAMED_DOCTORS,
    NAMED_REQUESTS,
    REFERRERS_BY_ROUTE,
    STAFF_BY_KEY,
    SURNAMES,
    DoctorSpec,
    RequestSpec,
)
from .wording import DOCTOR_COMMENTS, HANDOVER_REASONS

Row = TypeVar("Row", bound=tuple)
HISTORY_DAYS = 150  # requests are spread over about five months before the day of seeding


def rng_for(*key: object) -> random.Random:
    """A generator seeded from a stable key, so each stage or object draws the same values every run."""
    return random.Random("supportpath-demo/" + "/".join(str(part) for part in key))


def weighted(rng: random.Random, rows: Sequence[Row]) -> Row:
    """One row, chosen with the probability of its last item (its weight)."""
    return rng.choices(rows, weights=[row[-1] for row in rows], k=1)[0]


def deal(rng: random.Random, rows: Sequence[Row], count: int) -> list[Row]:
    """``count`` rows in exactly their weights' proportions (largest remainder method), shuffled."""
    total = sum(row[-1] for row in rows)
    quotas = [count * row[-1] / total for row in rows]
    counts = [math.floor(quota) for quota in quotas]
    by_remainder = sorted(range(len(rows)), key=lambda i: quotas[i] - counts[i], reverse=True)
    for i in by_remainder[: count - sum(counts)]:
        counts[i] += 1
    deck = [row for row, n in zip(rows, counts, strict=True) for _ in range(n)]
    rng.shuffle(deck)
    return deck


def with_prefer_not_to_say(rows: Sequence[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    share = table2.PREFER_NOT_TO_SAY_SHARE
    return [(code, label, weight * (1 - share)) for code, label, weight in rows] + [
        (table2.PREFER_NOT, "Prefer not to say", 100 * share)
    ]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _plausible_age(career_stage: str, age_band: str) -> bool:
    if career_stage == CareerStage.FOUNDATION:
        return age_band in ("25_to_35", "36_to_45", table2.PREFER_NOT)
    if career_stage == CareerStage.CONSULTANT:
        return age_band != "25_to_35"
    return True


def _take_plausible_age(deck: list, career_stage: str) -> str:
    for i, (code, _, _) in enumerate(deck):
        if _plausible_age(career_stage, code):
            return deck.pop(i)[0]
    return deck.pop(0)[0]


def career_stage_rows() -> list[tuple[str, str, str, float]]:
    """Table 2's career stages scaled to leave room for the stages it does not report."""
    extra = sum(row[-1] for row in table2.EXTRA_CAREER_STAGES)
    return [(*row[:3], row[3] * (100 - extra) / 100) for row in table2.CAREER_STAGES] + list(table2.EXTRA_CAREER_STAGES)


def plan_doctors() -> list[DoctorSpec]:
    """The named doctors, then generated doctors dealt from Table 2's proportions."""
    return list(NAMED_DOCTORS) + deal_doctors(
        rng_for("doctors"),
        GENERATED_DOCTOR_COUNT,
        # Most doctors work at the unit's two trusts; a few at the trust the second service supports.
        hospital_employers=[("royal", 50), ("ashby", 42), ("southfen_trust", 8)],
        hospital_specialty=_hospital_specialty,
        identity=lambda n, first, surname: {
            "key": f"doctor-{n:03d}",
            "email": f"{_ascii(first)}.{_ascii(surname)}.{n:03d}@doctors.{DEMO_EMAIL_DOMAIN}",
            "gmc_number": str(GMC_GENERATED_START + n),
            "phone": f"07700 900{100 + n:03d}",
        },
    )


def _hospital_specialty(rng: random.Random, career_stage: str) -> str:
    if career_stage == CareerStage.FOUNDATION:
        return "Foundation programme"
    return rng.choice(table2.HOSPITAL_SPECIALTIES)


def deal_doctors(
    rng: random.Random,
    count: int,
    *,
    hospital_employers: list[tuple[str, float]],
    hospital_specialty: Callable[[random.Random, str], str],
    identity: Callable[[int, str, str], dict[str, str]],
) -> list[DoctorSpec]:
    """``count`` fictional doctors dealt from Table 2's proportions (career stage, primary medical qualification,
    and the equality answers of those who gave them). GPs work at the practice; the others at one of
    ``hospital_employers`` (weighted) in a specialty from ``hospital_specialty``; ``identity`` gives the n-th
    doctor's key, email, GMC number and phone."""
    stages = deal(rng, career_stage_rows(), count)
    regions = deal(rng, table2.QUALIFICATION_REGIONS, count)
    answered = deal(rng, [(True, 100 - 100 * table2.NO_EQUALITY_ANSWERS_SHARE), (False, 10)], count)
    answering = sum(1 for (yes, _) in answered if yes)
    ages = deal(rng, with_prefer_not_to_say(table2.AGE_BANDS), answering)
    genders = deal(rng, with_prefer_not_to_say(table2.GENDERS), answering)
    ethnic_groups = deal(rng, with_prefer_not_to_say(table2.ETHNIC_GROUPS), answering)
    disabilities = deal(rng, with_prefer_not_to_say(table2.DISABILITY), answering)
    doctors = []
    for n in range(count):
        paper_stage, career_stage, contract_type, _ = stages[n]
        if paper_stage.startswith("GP"):
            employer, specialty = "kestrel", "General practice"
        else:
            employer = weighted(rng, hospital_employers)[0]
            specialty = hospital_specialty(rng, career_stage)
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        equality = None
        if answered[n][0]:
            equality = {
                "age_band": _take_plausible_age(ages, career_stage),
                "gender": genders.pop()[0],
                "ethnic_group": ethnic_groups.pop()[0],
                "disability": disabilities.pop()[0],
            }
        doctors.append(
            DoctorSpec(
                full_name=f"Dr {first} {surname}",
                career_stage=career_stage,
                contract_type=contract_type,
                specialty=specialty,
                qualification_region=regions[n][1],
                employer=employer,
                equality=equality,
                **identity(n, first, surname),
            )
        )
    return doctors


def _status_for_age(rng: random.Random, days_ago: int) -> str:
    # Recent requests are mostly still waiting for first contact; older ones have moved on. A few older
    # requests stay at "contacted" so a case manager's view of what is stuck has something to show.
    if days_ago <= 5:
        rows = [(Status.RECEIVED, 80), (Status.CONTACTED, 20)]
    elif days_ago <= 14:
        rows = [(Status.RECEIVED, 20), (Status.CONTACTED, 50), (Status.ACCEPTED, 20), (Status.HANDED_OVER, 10)]
    elif days_ago <= 30:
        rows = [(Status.CONTACTED, 25), (Status.ACCEPTED, 55), (Status.HANDED_OVER, 12), (Status.CLOSED, 8)]
    else:
        rows = [(Status.CONTACTED, 3), (Status.ACCEPTED, 70), (Status.HANDED_OVER, 12), (Status.CLOSED, 15)]
    return weighted(rng, rows)[0]


def _route_for(rng: random.Random, first_reason: str, doctor: DoctorSpec) -> str:
    route = weighted(rng, table2.ROUTES_BY_REASON.get(first_reason, table2.ROUTES_BY_REASON["default"]))[0]
    if doctor.employer == "southfen_trust":
        return Route.SELF  # the second service only has self-referrals in the demo
    if route == Route.APPRAISER and doctor.contract_type == ContractType.RESIDENT:
        return Route.SUPERVISOR  # doctors in training have reviews with supervisors, not appraisals
    if route == Route.RESPONSIBLE_OFFICER and doctor.employer != "royal":
        return Route.SUPERVISOR  # the demo's responsible officer is the Royal Infirmary's
    return route


def plan_requests(doctors: list[DoctorSpec]) -> list[RequestSpec]:
    """One request per doctor: the named doctors' as written, the rest drawn. First reasons are dealt."""
    rng = rng_for("requests")
    named = {spec.doctor_key for spec in NAMED_REQUESTS}
    generated = [doctor for doctor in doctors if doctor.key not in named]
    reason_rows = [(code, weight) for _, code, weight in table2.REASONS]
    first_reasons = deal(rng, reason_rows, len(generated))
    requests = list(NAMED_REQUESTS)
    for doctor, (first_reason, _) in zip(generated, first_reasons, strict=True):
        reasons = [first_reason]
        if rng.random() < table2.SECOND_REASON_SHARE:
            second = weighted(rng, reason_rows)[0]
            if second not in reasons:
                reasons.append(second)
        days_ago = rng.randint(0, 14) if rng.random() < 0.3 else rng.randint(15, HISTORY_DAYS)
        status = _status_for_age(rng, days_ago)
        route = _route_for(rng, first_reason, doctor)
        referrer = None
        if route != Route.SELF:
            candidates = REFERRERS_BY_ROUTE[route]
            local = [key for key in candidates if STAFF_BY_KEY[key].organisation == doctor.employer]
            referrer = rng.choice(local or candidates)
        # Urgency is mostly about well-being. More of those still waiting are urgent than of the rest, so the
        # inbox, which puts urgent requests first, shows a few.
        if first_reason == Reason.MENTAL_HEALTH:
            urgent_chance = 0.3 if status == Status.RECEIVED else 0.1
        else:
            urgent_chance = 0.03
        urgent = rng.random() < urgent_chance
        comment = ""
        if route != Route.SELF and status != Status.RECEIVED and rng.random() < 0.4:
            comment = rng.choice(DOCTOR_COMMENTS)
        handed_over_to = rng.choice(list(HANDOVER_REASONS)) if status == Status.HANDED_OVER else ""
        requests.append(
            RequestSpec(
                doctor_key=doctor.key,
                route=route,
                reasons=reasons,
                status=status,
                days_ago=days_ago,
                urgent=urgent,
                referrer=referrer,
                comment=comment,
                handed_over_to=handed_over_to,
            )
        )
    return requests
