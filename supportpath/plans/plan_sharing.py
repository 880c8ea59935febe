"""What a support plan proposes to share, and what happens when the doctor agrees it.

A plan only proposes. The doctor reads the proposal on the plan before agreeing; agreeing that version adds
what it proposes to the request's sharing agreement (``supportpath.sharing``) as a new version, "agreed with
plan version N". After that the doctor's own sharing page governs: who may see what is decided there and
only there. A draft, or a version not yet agreed, shares nothing.

The agreement sits above plans, so this module asks it through the seams in ``seams.py``.
"""

import copy
from typing import Any

from supportpath.casework.models import Case

from . import seams
from .content import AUDIENCES, PARTS
from .models import PlanVersion, VersionStatus

Grant = tuple[str, str]  # (audience, part), as the sharing agreement names them


def agreed_version(case: Case) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__case=case, status=VersionStatus.AGREED).order_by("-number").first()


def audiences_for(case: Case) -> dict[str, str]:
    """The audiences a plan for this case may propose: no "person who referred" for a doctor's own request."""
    existing = set(seams.sharing_audiences(case.request))
    return {code: label for code, label in AUDIENCES.items() if code in existing}


def proposed(content: dict[str, Any]) -> set[Grant]:
    return {(audience, part) for part, audiences in content.get("sharing", {}).items() for audience in audiences}


def would_add(case: Case, content: dict[str, Any]) -> list[tuple[str, str]]:
    """What agreeing a version with ``content`` would newly share, as (part, who) rows for the doctor."""
    current = seams.shared_grants(case.request)
    audiences = audiences_for(case)
    new = proposed(content) - current
    rows = []
    for part, label in PARTS.items():
        who = [audiences[a] for a in audiences if (a, part) in new]
        if who:
            rows.append((label, ", ".join(who)))
    return rows


def shared_now(case: Case) -> list[tuple[str, str]]:
    """For staff drafting the plan: what the doctor shares now, audience by audience (in the doctor's words)."""
    rows: list[tuple[str, str]] = seams.shared_now_rows(case.request)
    return rows


def apply_agreed(case: Case, version: PlanVersion) -> None:
    """The doctor agreed ``version``: what it proposes joins the sharing agreement (nothing is removed)."""
    seams.add_plan_grants(
        case.request,
        proposed(version.content),
        plan_version=version.number,
        by=case.request.doctor.user,
        at=version.agreed_at,
    )


def content_for_editing(latest: PlanVersion | None, empty: dict[str, Any]) -> dict[str, Any]:
    """What the edit form starts from. Once a version is agreed its proposal has been applied, so a new
    version starts with no proposal: carrying it forward would quietly ask again for sharing the doctor may
    since have taken back on their sharing page."""
    if latest is None:
        return empty
    content = copy.deepcopy(latest.content)
    if latest.status in (VersionStatus.AGREED, VersionStatus.SUPERSEDED):
        content["sharing"] = {part: [] for part in PARTS}
    return content


def allows(case: Case, audience: str, part: str) -> bool:
    """Whether ``audience`` may see this part of the doctor's plan now (the sharing agreement decides)."""
    if audience not in AUDIENCES or part not in PARTS:
        raise ValueError(f"Unknown audience or part: {audience!r}, {part!r}")
    return bool(seams.sharing_allows(case.request, audience, part))
