"""Where a page asks for the "what the evidence says" panel of a stage of the pathway.

``core`` sits at the bottom of the house, so it cannot read the guide's content itself: the guide app registers
its lookup here when it starts (``GuideConfig.ready``), and every template calls ``app_evidence_panel(stage)``.
Without a registered lookup (a test settings module without the guide), the panel is simply not shown.
"""

from collections.abc import Callable
from typing import Any

PanelLookup = Callable[[str, str], Any]
_lookups: list[PanelLookup] = []


def register_panels(lookup: PanelLookup) -> None:
    if lookup not in _lookups:
        _lookups.append(lookup)


def evidence_panel(stage: str, audience: str = "staff") -> Any:
    """The panel for ``stage`` as the registered lookup gives it (None when there is none)."""
    for lookup in _lookups:
        panel = lookup(stage, audience)
        if panel is not None:
            return panel
    return None
