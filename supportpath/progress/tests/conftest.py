import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from supportpath.casework.models import Stage
from supportpath.pathway.models import NeedsAssessment
from supportpath.testing import factories as f

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()


def assessed(case, on: dt.date) -> NeedsAssessment:
    return NeedsAssessment.objects.create(
        case=case, conversation_held_on=on, doctor_goals="Lead ward rounds.", recorded_by=case.case_manager
    )


@pytest.fixture
def in_support(world):
    """world.case after its first conversation, with an agreed plan (two milestones, two reviews) and
    world.facilitator accepted, all as of NOW."""
    from supportpath.facilitation import services as facilitation

    with time_machine.travel(NOW, tick=False):
        return _in_support(world, facilitation)


def _in_support(world, facilitation):
    assessed(world.case, TODAY - dt.timedelta(days=20))
    facilitation.accept(world.allocation)
    world.case.refresh_from_db()
    world.case.stage = Stage.SUPPORT
    world.case.save()
    f.agreed_plan(
        world.case,
        by=world.case_manager,
        goals=[("Lead the ward round", 3, 2)],
        milestones=[
            ("First ward round alone", TODAY - dt.timedelta(days=2)),
            ("Teach a junior", TODAY + dt.timedelta(days=1)),
        ],
        review_dates=[TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=60)],
    )
    return world


@pytest.fixture
def run_checks(django_capture_on_commit_callbacks):
    """Run the daily checks as the command does, with the emails they queue sent."""

    def run() -> str:
        import io

        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_stage_checks", stdout=out)
        return out.getvalue()

    return run
