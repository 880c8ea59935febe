"""Every routed URL, every persona: exactly the outcome docs/access-policy.md says."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from supportpath.testing.auth import login_as
from supportpath.testing.personas import PERSONAS

POLICY = Path(__file__).resolve().parents[3] / "docs" / "access-policy.md"


def read_policy() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    for line in POLICY.read_text().splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "url name":
            header = cells
            continue
        if header is None or set(cells[0]) <= {"-", " "}:
            continue
        rows[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return rows


def routed_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    return names


POLICY_ROWS = read_policy()
CASES = [(name, persona) for name in sorted(POLICY_ROWS) for persona in PERSONAS]


def test_every_routed_url_has_an_entry_in_the_access_policy():
    missing = routed_url_names() - set(POLICY_ROWS)
    assert not missing, f"Add these URLs to docs/access-policy.md: {sorted(missing)}"


def test_the_access_policy_names_no_url_that_does_not_exist():
    assert not set(POLICY_ROWS) - routed_url_names()


def resolve_object(world, path: str):
    if path.startswith("'") and path.endswith("'"):
        return path.strip("'")  # a literal, e.g. 'reasons'
    value = world
    for part in path.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES)
def test_access_is_exactly_as_the_policy_says(client, world, url_name, persona):
    row = POLICY_ROWS[url_name]
    args = [] if row["object"] == "-" else [resolve_object(world, part.strip()) for part in row["object"].split(",")]
    url = reverse(url_name, args=args)
    user = world.persona(persona)
    if user is not None:
        login_as(client, user)
    response = client.get(url)
    expected = row[persona]
    if expected == "login":
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"], (
            f"{persona} at {url}: expected sign-in redirect, got {response.status_code}"
        )
    elif expected == "redirect":
        assert response.status_code == 302 and "/account/sign-in/" not in response["Location"], (
            f"{persona} at {url}: expected redirect, got {response.status_code}"
        )
    else:
        assert response.status_code == int(expected), (
            f"{persona} at {url}: expected {expected}, got {response.status_code}"
        )


def test_policy_values_are_known():
    allowed = re.compile(r"^(\d{3}|login|redirect)$")
    for name, row in POLICY_ROWS.items():
        for persona in PERSONAS:
            assert allowed.match(row[persona]), f"{name}/{persona}: {row[persona]!r}"
