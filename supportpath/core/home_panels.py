"""Panels that apps add to the doctor's "My support" page, without the page's app knowing them.

An app registers a template and a function of the signed-in user that returns the template's context, or
None when there is nothing to show (``register_panel`` in its AppConfig.ready())."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


_PANELS: dict[str, Callable[[object], dict | None]] = {}


def register_panel(template: str, build: Callable[[object], dict | None]) -> None:
    _PANELS[template] = build


def panels_for(user) -> list[Panel]:
    panels = []
    for template, build in _PANELS.items():
        context = build(user)
        if context is not None:
            panels.append(Panel(template, context))
    return panels
