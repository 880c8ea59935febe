"""Panels that apps add to someone's home page, without the page's app knowing them.

An app registers a template and a function of the signed-in user that returns the template's context, or
None when there is nothing to show (``register_panel`` in its AppConfig.ready()). Each panel belongs to one
page: the doctor's "My support" (the default), or a member of staff's home (``STAFF_HOME``: the service lead's
"Your service" and the evaluator's home), which lists the reports and tools other apps offer them."""

from collections.abc import Callable
from dataclasses import dataclass

MY_SUPPORT = "my_support"
STAFF_HOME = "staff_home"


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


_PANELS: dict[str, dict[str, Callable[[object], dict | None]]] = {}


def register_panel(template: str, build: Callable[[object], dict | None], *, page: str = MY_SUPPORT) -> None:
    _PANELS.setdefault(page, {})[template] = build


def panels_for(user, page: str = MY_SUPPORT) -> list[Panel]:
    panels = []
    for template, build in _PANELS.get(page, {}).items():
        context = build(user)
        if context is not None:
            panels.append(Panel(template, context))
    return panels
