"""The theory's versions: every change is a version with who, when, why and what changed."""

import pytest
from django.core.management import call_command

from supportpath.theory import paper, registry
from supportpath.theory.models import Change, Cmoc, CmocVersion, Status

CITED = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "2.1",
    "2.2",
    "2.4",
    "2.5",
    "2.7",
    "3.1",
    "3.2",
    "3.3",
    "3.6",
    "3.7",
    "3.8",
    "3.9",
    "3.10",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.7",
    "4.9",
    "4.11",
    "4.12",
    "4.13",
    "5.1",
    "5.2",
    "5.3",
    "5.4",
    "6.1",
    "6.2",
    "6.3",
]


def test_the_paper_ships_every_cmoc_its_text_cites_once():
    assert [c.reference for c in paper.CMOCS] == CITED
    assert all(c.reference.split(".")[0] == str(c.group) for c in paper.CMOCS)
    assert all("doi:10.1136/bmjqs-2025-019749" in c.citation for c in paper.CMOCS)


def test_loading_the_paper_twice_adds_them_once_each_with_its_first_version(world):
    assert registry.ship_paper(world.service, by=world.evaluator) == len(CITED)
    assert registry.ship_paper(world.service, by=world.evaluator) == 0
    assert Cmoc.objects.filter(service=world.service).count() == len(CITED)
    first = CmocVersion.objects.get(cmoc__service=world.service, cmoc__reference="4.7")
    assert (first.number, first.kind, first.by, first.snapshot["status"]) == (
        1,
        Change.SHIPPED,
        world.evaluator,
        "initial",
    )


def test_the_command_loads_every_support_service(world):
    call_command("load_theory")
    assert Cmoc.objects.filter(service=world.other_service).count() == len(CITED)


def test_a_refinement_records_who_when_why_and_what_changed(world):
    registry.ship_paper(world.service, by=None)
    cmoc = Cmoc.objects.get(service=world.service, reference="2.5")
    version = registry.change(
        cmoc,
        by=world.evaluator,
        why="Our doctors talk of waiting, not timelines",
        context="Honest waits",
        status=Status.REFINED,
    )
    assert version.number == cmoc.version == 2
    assert version.by_name == "Vic Evaluator"
    assert version.why == "Our doctors talk of waiting, not timelines"
    assert {(c["field"], c["after"]) for c in version.changes} == {("context", "Honest waits"), ("status", "refined")}
    assert version.snapshot["context"] == "Honest waits"
    # The first version still says what it was.
    assert cmoc.versions.get(number=1).snapshot["context"].startswith("The service is candid")


def test_nothing_changed_makes_no_version(world):
    registry.ship_paper(world.service, by=None)
    cmoc = Cmoc.objects.get(service=world.service, reference="2.5")
    assert registry.change(cmoc, by=world.evaluator, why="x", context=cmoc.context) is None
    assert cmoc.versions.count() == 1


def test_an_edit_made_from_an_old_version_is_refused_not_overwritten(world):
    registry.ship_paper(world.service, by=None)
    cmoc = Cmoc.objects.get(service=world.service, reference="2.5")
    registry.change(cmoc, by=world.evaluator, why="first", context="A")
    with pytest.raises(registry.RegistryError, match="Someone else changed"):
        registry.change(cmoc, by=world.service_admin, why="second", expected_version=1, context="B")
    cmoc.refresh_from_db()
    assert cmoc.context == "A"


def test_retiring_and_judging_are_versions_too(world):
    registry.ship_paper(world.service, by=None)
    cmoc = Cmoc.objects.get(service=world.service, reference="4.12")
    registry.judge(
        cmoc, by=world.evaluator, status=Status.QUESTIONED, note="No link in our data", reading="questions it"
    )
    assert cmoc.status == Status.QUESTIONED
    assert "No link in our data" in cmoc.evidence_notes and "questions it" in cmoc.evidence_notes
    registry.retire(cmoc, by=world.evaluator, why="Folded into 4.11")
    assert [v.kind for v in cmoc.versions.all()] == [Change.RETIRED, Change.JUDGED, Change.SHIPPED]
    with pytest.raises(registry.RegistryError):
        registry.retire(cmoc, by=world.evaluator, why="again")
    with pytest.raises(registry.RegistryError, match="retired"):
        registry.change(cmoc, by=world.evaluator, why="edit", context="x")
    registry.change(cmoc, by=world.evaluator, why="Back", status=Status.REFINED)
    assert cmoc.status == Status.REFINED


def test_adding_a_cmoc_the_theory_holds_is_refused(world):
    values = {"reference": "4.8", "outcome_group": 4, "context": "c", "mechanism": "m", "outcome": "o"}
    added = registry.add(world.service, by=world.evaluator, why="From supplement", **values)
    assert added.versions.get().kind == Change.ADDED
    with pytest.raises(registry.RegistryError):
        registry.add(world.service, by=world.evaluator, why="again", **values)
    # Another service may hold its own 4.8.
    registry.add(world.other_service, by=world.evaluator, why="theirs", **values)
