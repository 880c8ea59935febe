"""Reading the access-policy tables (``docs/access-policy.md``) and trying their cells, for
``supportpath/core/tests/test_access_policy.py``.

The document has two tables, each with its own persona columns: the main one (``PERSONAS``) and "When the
relationship has ended" (``ENDED_PERSONAS``). ``read_policy`` reads the rows of the tables whose columns are
the personas asked for.

The world is built once (``build_access_world``); every request runs inside a savepoint that is rolled back,
so no request sees what another one did, and each persona's client signs in once.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .auth import login_as
from .personas import ENDED_PERSONAS, PERSONAS

POLICY = Path(__file__).resolve().parents[2] / "docs" / "access-policy.md"
REFUSALS = {"403", "404", "405", "login"}
SIGN_IN = "/account/sign-in/"
TASKS_APP = "django_tasks_database"  # queued emails are background tasks: a refused request queues none


@dataclass(frozen=True)
class Row:
    url_name: str
    object: str  # what fills the URL's parameters: "-", a path into the world, a 'literal', or several
    method: str  # GET, or POST for a page that only takes POST
    outcomes: dict[str, str]
    line: int

    @property
    def takes_object(self) -> bool:
        """Whether a parameter comes from the world (a literal, such as a slug or a made-up token, does not)."""
        return any(not part.startswith("'") for part in self.parts)

    @property
    def parts(self) -> list[str]:
        return [] if self.object == "-" else [p.strip() for p in self.object.split(",")]

    @property
    def is_someone_elses(self) -> bool:
        return any(part.startswith("other.") for part in self.parts)

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.object}]" + ("[POST]" if self.method == "POST" else "")


def read_policy(path: Path = POLICY, personas: list[str] = PERSONAS) -> list[Row]:
    """The rows of every table with a column for each of ``personas``."""
    rows: list[Row] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "url name":
            header = cells if set(personas) <= set(cells) else None
            continue
        if header is None or set(cells[0]) <= {"-", " ", ":"}:
            continue
        values = dict(zip(header, cells, strict=True))
        rows.append(
            Row(
                url_name=values["url name"],
                object=values["object"],
                method=values.get("method", "GET"),
                outcomes={p: values[p] for p in personas},
                line=number,
            )
        )
    return rows


def routed_urls() -> dict[str, bool]:
    """Every URL name the project routes, and whether its path takes a parameter."""
    urls: dict[str, bool] = {}

    def parameters(entry) -> bool:
        pattern = entry.pattern
        return bool(getattr(pattern, "converters", None) or pattern.regex.groups)

    def walk(patterns, namespace: str | None, inherited: bool) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace, inherited or parameters(entry))
            elif isinstance(entry, URLPattern) and entry.name:
                urls[f"{namespace}:{entry.name}" if namespace else entry.name] = inherited or parameters(entry)

    walk(get_resolver().url_patterns, None, False)
    return urls


def resolve_object(world, path: str):
    if path.startswith("'") and path.endswith("'"):
        return path.strip("'")  # a literal, e.g. 'reasons'
    value = world
    for part in path.split("."):
        value = getattr(value, part)
    return value


def url_for(world, row: Row) -> str:
    return reverse(row.url_name, args=[resolve_object(world, part) for part in row.parts])


def outcome_of(response) -> str:
    """A response in the table's words."""
    if response.status_code in (301, 302, 303):
        return "login" if response["Location"].startswith(SIGN_IN) else "redirect"
    return str(response.status_code)


# Writing nothing: the number of rows in every table the product owns, plus the queued background tasks (emails).


def _counted_tables() -> list[str]:
    tables = []
    for model in apps.get_models():
        ours = model.__module__.startswith("supportpath.") or model._meta.app_label == TASKS_APP
        if ours and not model._meta.proxy and model._meta.managed:
            tables.append(model._meta.db_table)
    return sorted(set(tables))


_COUNT_SQL: str | None = None
_TABLES: list[str] = []


def row_counts() -> dict[str, int]:
    """Every counted table's row count, in one query."""
    global _COUNT_SQL, _TABLES
    if _COUNT_SQL is None:
        _TABLES = _counted_tables()
        quote = connection.ops.quote_name
        # Table names from the models, quoted: nothing typed by anyone reaches this SQL.
        _COUNT_SQL = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _TABLES)  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL)
        values = cursor.fetchone()
    return dict(zip(_TABLES, values, strict=True))


def changed_counts(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {t: (before[t], after[t]) for t in before if before[t] != after[t]}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside is undone (a savepoint inside the module's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class SignedIn:
    """One client per persona, signed in once; its cookies are put back after every request, so a request that
    signs out or rotates the session leaves the next one as it was."""

    world: object
    personas: list[str] = field(default_factory=lambda: list(PERSONAS))
    clients: dict[str, Client] = field(default_factory=dict)
    cookies: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for persona in self.personas:
            client = Client()
            user = self.world.persona(persona)
            if user is not None:
                login_as(client, user)
            self.clients[persona] = client
            self.cookies[persona] = copy.deepcopy(client.cookies)

    @contextmanager
    def using(self, persona: str) -> Iterator[Client]:
        """The persona's client, its cookies put back afterwards (for a test that wraps its own savepoint)."""
        try:
            yield self.clients[persona]
        finally:
            self.clients[persona].cookies = copy.deepcopy(self.cookies[persona])

    def request(self, persona: str, method: str, url: str, data: dict | None = None, *, count: bool = False):
        """The response, and (with ``count``) the tables whose number of rows the request changed."""
        client = self.clients[persona]
        send: Callable = client.post if method == "POST" else client.get
        try:
            with rolled_back():
                before = row_counts() if count else None
                response = send(url, data or {})
                changed = changed_counts(before, row_counts()) if count else {}
            return response, changed
        finally:
            client.cookies = copy.deepcopy(self.cookies[persona])


@contextmanager
def access_world_for_module(django_db_blocker) -> Iterator[tuple[object, SignedIn]]:
    """The access world and its signed-in clients, in one transaction kept open for a whole test module and
    rolled back at its end (use from a module-scoped fixture).

    Every request runs in a savepoint that is rolled back, the session's last activity with it, so to the
    quiet-spell middleware each persona has been idle since the module began: on a slow machine a module that
    runs longer than the staff's 15 minutes would see its staff signed out half-way. The quiet spell is tested on
    its own (``accounts/tests``); here it is lengthened to a day, while the world lasts."""
    from .personas import build_access_world

    quiet_spell_of_a_day = override_settings(SESSION_IDLE_MINUTES_STAFF=24 * 60, SESSION_IDLE_MINUTES_DOCTOR=24 * 60)
    with quiet_spell_of_a_day, django_db_blocker.unblock(), transaction.atomic():
        world = build_access_world()
        yield world, SignedIn(world)
        transaction.set_rollback(True)


def ended_clients(django_db_blocker, world) -> SignedIn:
    """The personas of "When the relationship has ended", signed in, in the same world."""
    with django_db_blocker.unblock():
        return SignedIn(world, personas=list(ENDED_PERSONAS))


def sample_url(row: Row) -> str:
    """The row's URL with arguments of the right kind but no world behind them (a number for ``….pk``, a
    made-up reference for ``….reference``), for tests that are refused before any page reads its arguments."""

    def sample(part: str):
        if part.startswith("'"):
            return part.strip("'")
        return 1 if part.endswith(".pk") else "SP-AAAA-BBBB"

    return reverse(row.url_name, args=[sample(part) for part in row.parts])
