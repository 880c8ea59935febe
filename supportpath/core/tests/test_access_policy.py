"""Every routed URL, every persona, their own object and someone else's: exactly the outcome
docs/access-policy.md says; and whoever is refused a page is refused its form too, and changes nothing.

The world (``build_access_world``) is built once for the module; each request runs in a savepoint that is
rolled back, so every cell starts from the same world. One test per row of the table, so a failure names the
row and lists every persona that got something else.
"""

import re
from collections import Counter

import pytest

from supportpath.testing.access_table import (
    REFUSALS,
    access_world_for_module,
    ended_clients,
    outcome_of,
    read_policy,
    resolve_object,
    routed_urls,
    url_for,
)
from supportpath.testing.personas import ENDED_PERSONAS, PERSONAS

from .posts import post_data

ROWS = read_policy()
ENDED_ROWS = read_policy(personas=ENDED_PERSONAS)
ROUTED = routed_urls()
OUTCOME = re.compile(r"^(\d{3}|login|redirect)$")


def test_every_routed_url_has_a_row_in_the_access_policy():
    missing = set(ROUTED) - {row.url_name for row in ROWS}
    assert not missing, f"Add these URLs to docs/access-policy.md: {sorted(missing)}"


def test_the_access_policy_names_no_url_that_does_not_exist():
    unknown = {row.url_name for row in ROWS} - set(ROUTED)
    assert not unknown, f"docs/access-policy.md names URLs that are not routed: {sorted(unknown)}"


def test_every_url_that_takes_an_object_is_tried_with_the_doctors_own_and_someone_elses():
    problems = []
    for name, takes_parameter in sorted(ROUTED.items()):
        rows = [row for row in ROWS if row.url_name == name]
        if not takes_parameter or not any(row.takes_object for row in rows):
            continue  # no parameter, or only made-up tokens and slugs that are nobody's
        if not any(row.is_someone_elses for row in rows):
            problems.append(f"{name}: no row with someone else's object (other.…)")
        if not any(row.takes_object and not row.is_someone_elses for row in rows):
            problems.append(f"{name}: no row with the doctor's own object (own.…)")
    assert not problems, "\n".join(problems)


def test_every_cell_is_an_outcome_the_table_knows_and_no_row_is_repeated():
    for row in ROWS:
        assert row.method in ("GET", "POST"), f"line {row.line}: method {row.method!r}"
        for persona in PERSONAS:
            assert OUTCOME.match(row.outcomes[persona]), f"line {row.line}, {persona}: {row.outcomes[persona]!r}"
    repeated = [key for key, n in Counter((r.url_name, r.object, r.method) for r in ROWS).items() if n > 1]
    assert not repeated, f"rows repeated: {repeated}"


@pytest.fixture(scope="module")
def access(django_db_setup, django_db_blocker):
    with access_world_for_module(django_db_blocker) as world_and_clients:
        yield world_and_clients


def _data(row, world) -> dict:
    obj = None
    if row.parts and not row.parts[0].startswith("'"):
        path = row.parts[0]
        obj = resolve_object(world, path.rsplit(".", 1)[0] if "." in path else path)
    return post_data(row.url_name, world, obj)


def _try(signed, persona, method, url, data=None, *, count=False):
    try:
        response, changed = signed.request(persona, method, url, data, count=count)
    except Exception as error:  # noqa: BLE001 - a page that fails is reported with the others in the row
        return f"an error ({type(error).__name__}: {error})", {}
    return outcome_of(response), changed


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_each_persona_gets_what_the_table_says_and_a_refused_form_changes_nothing(access, row):
    world, signed = access
    _check_row(world, signed, row, PERSONAS)


def _check_row(world, signed, row, personas) -> None:
    url = url_for(world, row)
    data = _data(row, world)
    problems = []
    for persona in personas:
        expected = row.outcomes[persona]
        refused = expected in REFUSALS
        if row.method == "POST":
            # A page that only takes a form: GET is 405 for anyone signed in (sign-in comes first).
            got, changed = _try(signed, persona, "GET", url, count=True)
            if got != ("login" if persona == "anonymous" else "405") or changed:
                problems.append(f"{persona}: GET should be refused with 405 and change nothing, got {got} {changed}")
            got, changed = _try(signed, persona, "POST", url, data, count=refused)
            if got != expected:
                problems.append(f"{persona}: POST expected {expected}, got {got}")
            if refused and changed:
                problems.append(f"{persona}: refused, but the form changed {changed}")
            continue
        got, changed = _try(signed, persona, "GET", url, count=refused)
        if got != expected:
            problems.append(f"{persona}: expected {expected}, got {got}")
        if not refused:
            continue
        if changed:
            problems.append(f"{persona}: refused, but reading the page changed {changed}")
        got, changed = _try(signed, persona, "POST", url, data, count=True)
        if got not in REFUSALS:
            problems.append(f"{persona}: refused the page, but its form answered {got}")
        if changed:
            problems.append(f"{persona}: refused, but the form changed {changed}")
    assert not problems, f"{url} (docs/access-policy.md line {row.line}):\n" + "\n".join(problems)


# When the relationship has ended: the second table, its own personas, the same world and the same checks.


@pytest.fixture(scope="module")
def ended_access(access, django_db_blocker):
    world, _ = access
    return world, ended_clients(django_db_blocker, world)


def _single_objects(rows, suffix: str) -> set[str]:
    return {row.object for row in rows if len(row.parts) == 1 and row.parts[0].endswith(suffix)}


def _urls_taking(suffix: str) -> set[str]:
    """URL names the main table tries with one object whose path ends with ``suffix`` (a case's pk ...), but the
    old addresses (``legacy:…``): they reach no record, only rewrite the address to a page that has its rows."""
    return {
        row.url_name
        for row in ROWS
        if len(row.parts) == 1 and row.parts[0].endswith(suffix) and not row.url_name.startswith("legacy:")
    }


ENDED_KINDS = {
    # what an object's path ends with: the URLs of the main table that take such an object
    "case.pk": _urls_taking("case.pk"),
    "allocation.pk": _urls_taking("allocation.pk"),
    "referral.reference": _urls_taking(".reference"),
}


def test_the_ended_table_tries_every_url_of_each_record_it_names():
    """Each record of the second table is tried on every URL the main table tries with its kind: a case on
    every case URL and, through its request's reference, every request URL; an offer on every offer URL; a
    referral on every request URL."""
    assert ENDED_ROWS, "docs/access-policy.md has no table 'When the relationship has ended'"
    problems = []

    def check(obj: str, urls: set[str]) -> None:
        missing = urls - {row.url_name for row in ENDED_ROWS if row.object == obj}
        if missing:
            problems.append(f"{obj}: no row for {sorted(missing)}")

    for suffix, urls in ENDED_KINDS.items():
        for obj in _single_objects(ENDED_ROWS, suffix):
            check(obj, urls)
    for obj in _single_objects(ENDED_ROWS, "case.pk"):
        check(obj.removesuffix(".pk") + ".request.reference", _urls_taking(".reference"))
    assert not problems, "\n".join(problems)


def test_the_ended_table_names_only_routed_urls_and_known_outcomes():
    unknown = {row.url_name for row in ENDED_ROWS} - set(ROUTED)
    assert not unknown, f"not routed: {sorted(unknown)}"
    for row in ENDED_ROWS:
        assert row.method in ("GET", "POST"), f"line {row.line}: method {row.method!r}"
        for persona in ENDED_PERSONAS:
            assert OUTCOME.match(row.outcomes[persona]), f"line {row.line}, {persona}: {row.outcomes[persona]!r}"
    repeated = [key for key, n in Counter((r.url_name, r.object, r.method) for r in ENDED_ROWS).items() if n > 1]
    assert not repeated, f"rows repeated: {repeated}"


def test_whoever_s_relationship_has_ended_is_refused_everything_of_the_record_but_their_own_notes():
    """The rule of the second table, whatever its cells say: the former staff are refused every row, and the
    facilitator of a closed or handed-over case, or of a declined or ended offer, every row but their own
    private notes."""
    problems = []
    for row in ENDED_ROWS:
        for persona in ("former_facilitator", "former_case_manager", "former_referrer"):
            if row.outcomes[persona] not in REFUSALS:
                problems.append(f"line {row.line}: {persona} {row.outcomes[persona]}")
        if row.url_name != "pathway:own_private_notes" and row.outcomes["facilitator"] not in REFUSALS:
            problems.append(f"line {row.line}: facilitator {row.outcomes['facilitator']}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ENDED_ROWS, ids=[row.id for row in ENDED_ROWS])
def test_when_the_relationship_has_ended_each_persona_gets_what_the_table_says(ended_access, row):
    world, signed = ended_access
    _check_row(world, signed, row, ENDED_PERSONAS)
