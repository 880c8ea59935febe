"""Every drawn case ends at the stage, and with the facilitator, that ``builders.seed_cases`` drew for it, reached
through the product's own services (the needs assessment, the facilitator's acceptance, the agreed plan, the
closure): nothing writes a stage or a facilitator onto a case."""

import pytest
import time_machine

from supportpath.casework.models import Case, Stage
from supportpath.demo import builders
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.pathway.models import NeedsAssessment
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.progress.models import Closure

from .conftest import SEEDED_AT

pytestmark = pytest.mark.django_db

UP_TO_THE_CASES = [
    builders.seed_organisations,
    builders.seed_staff,
    builders.seed_doctors,
    builders.seed_support_requests,
    builders.seed_cases,
]


@pytest.fixture
def drawn(seeded):
    """The stages and facilitators drawn, drawn again (the stages up to the cases find everything made)."""
    with time_machine.travel(SEEDED_AT, tick=False):
        demo = builders.build_demo(stages=UP_TO_THE_CASES)
    assert not any(demo.created.values())
    return demo.drawn_cases


def test_every_drawn_case_is_at_the_stage_drawn_with_the_facilitator_drawn(drawn):
    cases = Case.objects.in_bulk(drawn)
    assert len(cases) == len(drawn) > 100
    reached = {pk: (case.stage, case.facilitator_id) for pk, case in cases.items()}
    wanted = {pk: (d.stage, d.facilitator.pk if d.facilitator else None) for pk, d in drawn.items()}
    assert reached == wanted
    assert {d.stage for d in drawn.values()} == {
        Stage.INITIAL_CONVERSATION,
        Stage.PLANNING,
        Stage.SUPPORT,
        Stage.CLOSED,
    }


def test_each_stage_has_what_the_product_needs_to_reach_it(drawn):
    by_stage: dict[str, set[int]] = {}
    for pk, d in drawn.items():
        by_stage.setdefault(d.stage, set()).add(pk)
    moved_on = by_stage[Stage.PLANNING] | by_stage[Stage.SUPPORT] | by_stage[Stage.CLOSED]
    assert set(NeedsAssessment.objects.filter(case__in=drawn).values_list("case_id", flat=True)) == moved_on
    agreed = set(
        PlanVersion.objects.filter(plan__case__in=drawn, status=VersionStatus.AGREED).values_list(
            "plan__case_id", flat=True
        )
    )
    assert agreed == by_stage[Stage.SUPPORT] | by_stage[Stage.CLOSED]
    assert set(Closure.objects.filter(case__in=drawn).values_list("case_id", flat=True)) == by_stage[Stage.CLOSED]
    # Each facilitator became the case's when they accepted it (an allocation accepted, ended since if closed).
    accepted = set(
        Allocation.objects.filter(
            case__in=drawn, status__in=[AllocationStatus.ACCEPTED, AllocationStatus.ENDED], responded_at__isnull=False
        ).values_list("case_id", "facilitator_id")
    )
    assert {(pk, d.facilitator.pk) for pk, d in drawn.items() if d.facilitator is not None} <= accepted
