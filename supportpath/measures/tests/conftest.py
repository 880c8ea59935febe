import datetime as dt

import pytest
from django.utils import timezone


def record_first_conversation(case, by, held_on=None):
    from supportpath.pathway import services as pathway

    pathway.save_needs_assessment(
        case,
        by=by,
        data={
            "conversation_held_on": held_on or timezone.localdate() - dt.timedelta(days=1),
            "presenting_issues": ["career"],
            "individual_factors": "",
            "team_factors": "",
            "structural_factors": "",
            "cultural_factors": "",
            "strengths": "Kind.",
            "doctor_goals": "Lead the ward round.",
            "mandated": False,
            "staff_notes": "",
        },
        based_on_version=None,
    )


@pytest.fixture
def offered(world):
    """world.case after its first conversation: the baseline questionnaires are offered to world.doctor."""
    record_first_conversation(world.case, world.case_manager)
    return world


@pytest.fixture(autouse=True)
def emails_go_at_once(monkeypatch):
    """Each test runs in one transaction that never commits, so send what would go on commit straight away."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
