"""The accepted cases list's facilitator filter, a select of every facilitator of the case manager's services
(587 at Northmoor at national scale), and the inbox's organisation filter, every organisation the services
serve (254). The NHS.UK select macro costs about as much per option as the rest of the page together, and
the options change only when the service's facilitators or organisations do, so each rendering is kept,
by everything it shows (the options, which one is chosen, the label): the same HTML, made once per process.
It holds only what the person asking would see rendered anyway: the key is the whole of what is rendered.
The two lists' short filters (whose cases, a stage, a route...) are kept the same way: a few options each, but
the macro is still about 600 calls of Python for each, and they have a handful of states between them. So are
their previous and next links (the pagination macro, about 1,300 calls), by the links themselves: the filters
in the address and the page numbers, nothing from anyone's record."""

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

KEPT = 64  # renderings kept per process: a few services' lists, each chosen value, each error state


@pass_environment
def remembered_select(env: Environment, params: dict[str, Any]) -> Markup:
    """The select macro's HTML for ``params`` (plain values only: no Markup, which JSON would not keep)."""
    return _render(env, "select", json.dumps(params, sort_keys=True))


@pass_environment
def remembered_pagination(env: Environment, links: dict[str, Any]) -> Markup:
    """The pagination macro's HTML for ``links`` (``core.pagination.page_links``: plain strings only)."""
    return _render(env, "pagination", json.dumps(links, sort_keys=True))


@lru_cache(maxsize=KEPT)
def _render(env: Environment, macro: str, key: str) -> Markup:
    """The NHS.UK macro ``macro``'s output for the parameters ``key`` holds (already escaped), kept."""
    render: Callable[[dict[str, Any]], Markup] = env.globals[macro]  # type: ignore[assignment]
    return render(json.loads(key))
