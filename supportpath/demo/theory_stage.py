"""Demo stage: the Northmoor unit's programme theory, through the theory app's services, as its evaluator
Dr Noor Ellingham keeps it.

- **What the theory is tested against.** The fact record (``supportpath.insights``), which is a read model: the
  insights' own writer derives every fact from the records, and the product has no other way to make one. So
  the demo writes no fact by hand. The theory reads the facts of the demo's requests and of the two years of
  history behind the insights (``insights_stage.py``), all made through the product's services: in this
  fictional unit, doctors who asked for support themselves completed it more often than those referred by
  someone else.
- **The theory.** The CMOCs the 2026 paper cites, loaded from the paper, several linked to the records. The
  report shows each of its readings: 4.7 (self-referral, then completion) is borne out, 4.9 (a referred doctor
  engaging) is questioned, and 1.2 (a signpost at appraisal) lacks data.
- CMOC 4.7 refined (its context in the unit's own words), then judged "supported" from the report; each a new
  version in its history.
- A research export for an approved (fictional) study, of the history's support that has ended, made through
  the export's own service: each doctor in it has an "exported" row in the access log, as for a real export.
  Only the history's doctors, whom no later stage touches, so a demo seeded before the later stages were added
  exports the same doctors as a fresh one.

The fact record is brought up to date first (the insights app's backfill), as the daily run would.
Safe to run again: it adds nothing the theory already holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportpath.accounts.models import DoctorProfile
from supportpath.insights.facts import backfill
from supportpath.theory import export, facts, registry, report
from supportpath.theory.models import Change, Cmoc, ResearchExport, Status

from . import insights_stage

if TYPE_CHECKING:
    from .demo_state import Demo

REFINED_CONTEXT = "The doctor asked for support themselves, on the unit's website or after a signpost"
STUDY = "Which routes into support went with completing it (fictional demo study)"
APPROVAL = "DEMO-IRAS-000000"


def seed_theory(demo: Demo) -> None:
    service = demo.organisations["psu"]
    evaluator = demo.staff["evaluator"]
    backfill()
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
        history = set(
            DoctorProfile.objects.filter(user__email__endswith=f"@{insights_stage.HISTORY_EMAIL}").values_list(
                "pk", flat=True
            )
        )
        export.make_export(
            service,
            [fact for fact in facts.rows_for(service) if fact.doctor_id in history and fact.dates.get("closed")],
            by=evaluator,
            role="evaluator",
            purpose=STUDY,
            approval_reference=APPROVAL,
        )
        demo.created["research exports"] += 1
