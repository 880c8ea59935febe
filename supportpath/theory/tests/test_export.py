"""The research export: k-anonymity on every export, no identifier in it, pseudonyms that cannot be linked."""

import csv
import datetime as dt
import io
import json
import random
from collections import Counter

import pytest

from supportpath.audit.models import AccessRecord
from supportpath.theory import anonymise
from supportpath.theory.export import build_package, make_export, read_package
from supportpath.theory.facts import Answered

from .helpers import fact

AGES = ["under_25", "25_to_35", "36_to_45", "46_to_55", "56_to_65", "66_and_over", "prefer_not_to_say"]
GENDERS = ["female", "male", "another", "prefer_not_to_say"]
ETHNIC = ["white", "asian", "black", "mixed", "other", "prefer_not_to_say"]
REGIONS = ["uk", "eea", "international", ""]
STAGES = ["foundation", "specialty_trainee", "sas", "locally_employed", "consultant", "gp", "other"]
ORGS = ["acute_trust", "gp_practice", "mental_health_trust", "community_trust"]


def _people(n: int, seed: int):
    rng = random.Random(seed)
    return [
        fact(
            context={
                "age_band": rng.choice(AGES),
                "gender": rng.choice(GENDERS),
                "ethnic_group": rng.choice(ETHNIC),
                "qualification_region": rng.choice(REGIONS),
                "career_stage": rng.choice(STAGES),
                "organisation_type": rng.choice(ORGS),
                "reason": "career",
            },
            completed=rng.random() < 0.6,
            gas_t=round(rng.gauss(50, 8), 1),
            answered=[
                Answered("check-in", "first", dt.date(2026, 2, 3), {"1": 4, "3": 2}),
                Answered("who-5", "first", dt.date(2026, 2, 3), total=44),
            ],
        )
        for _ in range(n)
    ]


def _rows(body: bytes, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read_package(body)[f"{name}.csv"])))


@pytest.mark.parametrize(("n", "seed"), [(3, 1), (12, 2), (40, 3), (150, 4), (600, 5)])
def test_every_combination_of_quasi_identifiers_holds_at_least_5_people(n, seed):
    facts = _people(n, seed)
    body, result, kept = build_package(facts, purpose="p", approval_reference="a", made_on=dt.date(2026, 12, 6))
    rows = _rows(body, "facts")
    assert len(rows) == len(result.kept) == n - result.suppressed
    combos = Counter(tuple(row[field] for field in anonymise.FIELDS) for row in rows)
    assert not combos or min(combos.values()) >= 5
    assert anonymise.k_of(list(combos.elements())) in (0,) or anonymise.k_of(list(combos.elements())) >= 5


def test_with_many_people_little_is_suppressed_and_the_generalisation_is_reported():
    body, result, _ = build_package(_people(600, 9), purpose="p", approval_reference="a", made_on=dt.date(2026, 12, 6))
    assert result.suppressed <= 30
    package = json.loads(read_package(body)["datapackage.json"])
    assert package["x-k-anonymity"]["k"] == 5
    assert {g["field"] for g in package["x-k-anonymity"]["generalisation"]} == set(anonymise.FIELDS)
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        header = read_package(body)[resource["path"]].splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert all(f["description"] for f in resource["schema"]["fields"])


def test_dates_are_months_and_pseudonyms_change_with_every_export():
    facts = _people(60, 11)
    first, _, _ = build_package(facts, purpose="p", approval_reference="a", made_on=dt.date(2026, 12, 6))
    second, _, _ = build_package(facts, purpose="p", approval_reference="a", made_on=dt.date(2026, 12, 6))
    rows = _rows(first, "facts")
    assert {r["received_month"] for r in rows} == {"2026-01"}
    assert {r["closed_month"] for r in rows} == {"2026-06"}
    assert {r["pid"] for r in rows}.isdisjoint({r["pid"] for r in _rows(second, "facts")})
    checkins = _rows(first, "checkins")
    assert checkins and {c["month"] for c in checkins} == {"2026-02"}
    assert {c["pid"] for c in checkins} <= {r["pid"] for r in rows}


def test_an_export_of_the_demo_worlds_records_holds_no_identifier(world):
    """Re-identifies nothing: no name, email, GMC number, request reference or internal id of the world's doctors."""
    from supportpath.testing import factories as f

    profiles = [world.doctor.doctor_profile, world.other_doctor.doctor_profile]
    profiles += [f.DoctorFactory(employer=world.trust).user.doctor_profile for _ in range(8)]
    facts = [fact(doctor_id=p.pk, context={"career_stage": "consultant"}, completed=True) for p in profiles]
    made = make_export(
        world.service,
        facts,
        by=world.evaluator,
        role="evaluator",
        purpose="Study of routes in",
        approval_reference="IRAS 1",
    )
    text = "\n".join(read_package(bytes(made.package)).values())
    for p in profiles:
        for identifier in (p.user.full_name, p.user.email, p.gmc_number):
            assert identifier not in text
    for request in (world.self_request, world.referral):
        assert request.reference not in text
    pids = {r["pid"] for r in _rows(bytes(made.package), "facts")}
    assert not pids & {str(p.pk) for p in profiles}
    assert "Vic Evaluator" not in text


def test_every_export_is_recorded_and_in_each_included_doctors_access_log(world):
    from supportpath.testing import factories as f

    profiles = [f.DoctorFactory(employer=world.trust).user.doctor_profile for _ in range(6)]
    facts = [fact(doctor_id=p.pk, context={"career_stage": "sas"}, completed=True) for p in profiles]
    made = make_export(
        world.service, facts, by=world.evaluator, role="evaluator", purpose="Study", approval_reference="REF-9"
    )
    assert (made.by, made.purpose, made.approval_reference, made.people) == (world.evaluator, "Study", "REF-9", 6)
    logged = AccessRecord.objects.filter(action=AccessRecord.Action.EXPORTED, object_id=str(made.pk))
    assert sorted(logged.values_list("doctor_id", flat=True)) == sorted(p.pk for p in profiles)
    assert all("REF-9" in r.purpose for r in logged)


def test_a_form_sent_twice_makes_one_export(world):
    import uuid

    token = uuid.uuid4()
    kwargs = {
        "by": world.evaluator,
        "role": "evaluator",
        "purpose": "S",
        "approval_reference": "R",
        "submission_token": token,
    }
    first = make_export(world.service, [], **kwargs)
    assert make_export(world.service, [], **kwargs).pk == first.pk


def test_a_combination_counts_people_not_requests():
    # Four doctors, one with two requests: five rows but four people, so the combination is too small.
    rows = [{"age_band": "25_to_35"}] * 5
    assert anonymise.anonymise(rows, people=[1, 2, 3, 4, 4]).suppressed == 5
    assert anonymise.anonymise(rows, people=[1, 2, 3, 4, 5]).suppressed == 0
