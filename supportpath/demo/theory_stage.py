"""Demo stage: the Northmoor unit's programme theory, through the theory app's services, as its evaluator
Dr Noor Ellingham keeps it.

- **The unit's earlier years.** The demo's requests span five months, too few closed to test anything. A unit
  that has run for years holds, for its older requests, only their de-identified facts: once a request reaches
  the end of its retention period it is removed and its fact stays, linked to nobody (``insights.models``). So
  the demo adds 90 such facts of support that ended one to two and a half years ago, drawn from the paper's
  Table 2 like the rest of the demo. In this fictional unit, doctors who asked for support themselves completed
  it more often (85%) than those referred by someone else (50%).
- **The theory.** The CMOCs the 2026 paper cites, loaded from the paper, several linked to the records. With the
  earlier years, the report shows each of its readings: 4.7 (self-referral, then completion) is borne out, 4.9
  (a referred doctor engaging) is questioned, and 1.2 (a signpost at appraisal) lacks data.
- CMOC 4.7 refined (its context in the unit's own words), then judged "supported" from the report; each a new
  version in its history.
- A research export for an approved (fictional) study, of the earlier years' facts (linked to nobody, so it
  writes no access-log rows: the demo's access log stays as its own stage makes it).

The fact record is brought up to date first (the insights app's backfill), as the daily run would.
Safe to run again: it adds nothing the theory already holds.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from supportpath.accounts.models import Organisation, OrganisationKind
from supportpath.insights.facts import backfill
from supportpath.insights.models import Ending, Fact, FactMeasure, FactReason, Stage
from supportpath.referrals.models import Route
from supportpath.theory import export, facts, registry, report
from supportpath.theory.models import Change, Cmoc, ResearchExport, Status

from . import table2
from .planning import rng_for, weighted

if TYPE_CHECKING:
    from .demo_state import Demo

EARLIER = 90
REFINED_CONTEXT = "The doctor asked for support themselves, on the unit's website or after a signpost"
STUDY = "Which routes into support went with completing it in earlier years (fictional demo study)"
APPROVAL = "DEMO-IRAS-000000"
REFERRED_ROUTES = [
    (Route.SUPERVISOR, 45),
    (Route.APPRAISER, 20),
    (Route.OCCUPATIONAL_HEALTH, 25),
    (Route.RESPONSIBLE_OFFICER, 10),
]
EMPLOYER_KINDS = [
    (OrganisationKind.ACUTE_TRUST, 70),
    (OrganisationKind.GP_PRACTICE, 15),
    (OrganisationKind.COMMUNITY_TRUST, 15),
]


def _earlier_facts(demo: Demo, service: Organisation) -> None:
    """The unit's earlier years: facts whose requests have gone at the end of their retention period."""
    before = demo.today.replace(day=1) - dt.timedelta(days=365)
    if Fact.objects.filter(service=service, link__isnull=True, referred_month__lt=before).exists():
        return
    rng = rng_for("theory", "earlier-years")
    made = []
    children = []
    for n in range(EARLIER):
        self_referred = n % 9 < 5  # 50 asked themselves, 40 were referred
        route = Route.SELF if self_referred else weighted(rng, REFERRED_ROUTES)[0]
        stage, contract = weighted(rng, [(s, c, w) for _, s, c, w in table2.CAREER_STAGES])[:2]
        month = (before - dt.timedelta(days=rng.randint(0, 540))).replace(day=1)
        completed = rng.random() < (0.85 if self_referred else 0.5)
        days_ended = rng.randint(90, 240)
        gas_start = round(rng.uniform(34, 40), 2)
        fact = Fact(
            service=service,
            employer_kind=weighted(rng, EMPLOYER_KINDS)[0],
            career_stage=stage,
            contract_type=contract,
            qualification_region=weighted(rng, table2.QUALIFICATION_REGIONS)[1],
            age_band=weighted(rng, table2.AGE_BANDS)[0],
            gender=weighted(rng, table2.GENDERS)[0],
            ethnic_group=weighted(rng, table2.ETHNIC_GROUPS)[0],
            referred_month=month,
            route=route,
            self_referred=self_referred,
            mandated=route == Route.RESPONSIBLE_OFFICER,
            days_to_first_contact=rng.randint(1, 7),
            days_to_case_opened=rng.randint(3, 10),
            days_to_first_conversation=rng.randint(10, 25),
            days_to_plan_agreed=rng.randint(28, 50),
            days_to_first_session=rng.randint(35, 60),
            days_to_ended=days_ended,
            stage=Stage.ENDED,
            is_case=True,
            ended_month=(month + dt.timedelta(days=days_ended)).replace(day=1),
            ending=Ending.GOALS_MET if completed else rng.choice([Ending.DOCTOR_WITHDREW, Ending.OTHER]),
            goals=3,
            gas_start=gas_start,
            gas_end=round(rng.gauss(55, 5) if completed else rng.gauss(44, 5), 2),
            sessions_held=rng.randint(5, 10) if completed else rng.randint(1, 5),
            reviews_held=rng.randint(1, 3),
        )
        made.append(fact)
        who5_first = rng.randint(5, 14)
        children.append(
            (
                FactReason(fact=fact, reason=weighted(rng, table2.REASONS)[1]),
                FactMeasure(
                    fact=fact,
                    measure="who-5",
                    first_score=who5_first,
                    closure_score=min(
                        25, who5_first + rng.randint(2, 9) if completed else who5_first + rng.randint(-2, 4)
                    ),
                ),
            )
        )
    Fact.objects.bulk_create(made)
    FactReason.objects.bulk_create(reason for reason, _ in children)
    FactMeasure.objects.bulk_create(measure for _, measure in children)
    demo.created["earlier facts"] += len(made)


def seed_theory(demo: Demo) -> None:
    service = demo.organisations["psu"]
    evaluator = demo.staff["evaluator"]
    backfill()
    _earlier_facts(demo, service)
    demo.created["CMOCs"] += registry.ship_paper(service, by=evaluator)

    cmoc = Cmoc.objects.get(service=service, reference="4.7")
    if not cmoc.versions.filter(kind=Change.REFINED).exists():
        registry.change(
            cmoc,
            by=evaluator,
            why="Our doctors can ask on our website or after a signpost; both are asking for themselves.",
            context=REFINED_CONTEXT,
            status=Status.REFINED,
        )
    if not cmoc.versions.filter(kind=Change.JUDGED).exists():
        made = report.report_for(cmoc, facts.rows_for(service))
        registry.judge(
            cmoc,
            by=evaluator,
            status=Status.SUPPORTED,
            note="Doctors who asked for support themselves completed it more often than those who were referred.",
            reading=made.reading if made else report.stats.NOT_ENOUGH,
        )

    if not ResearchExport.objects.filter(service=service, approval_reference=APPROVAL).exists():
        export.make_export(
            service,
            [fact for fact in facts.rows_for(service) if fact.doctor_id < 0],  # the earlier years' facts only
            by=evaluator,
            role="evaluator",
            purpose=STUDY,
            approval_reference=APPROVAL,
        )
        demo.created["research exports"] += 1
