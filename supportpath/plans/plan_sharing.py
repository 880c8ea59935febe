"""Who the doctor agreed may see each part of their plan. Other views ask here before showing anything.

Only an AGREED version counts: a draft, or a version the doctor has not yet agreed, shares nothing. The default
is nobody.
"""

import datetime as dt

from supportpath.casework.models import Case

from .content import AUDIENCES, PARTS
from .models import PlanVersion, VersionStatus


def agreed_version(case: Case) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__case=case, status=VersionStatus.AGREED).order_by("-number").first()


def allows(case: Case, audience: str, part: str) -> bool:
    if audience not in AUDIENCES or part not in PARTS:
        raise ValueError(f"Unknown audience or part: {audience!r}, {part!r}")
    version = agreed_version(case)
    return version is not None and audience in version.content["sharing"].get(part, [])


def shared_with(case: Case, audience: str) -> dict[str, list[str]]:
    """Exactly the parts of the doctor's plan and progress they agreed ``audience`` may see, as lines of text
    ready to show; parts not shared are absent. Nothing at all without an agreed version."""
    from supportpath.core.dates import long_date
    from supportpath.pathway.models import SupportSession
    from supportpath.progress.models import Review

    version = agreed_version(case)
    if version is None:
        return {}
    content = version.content
    allowed = {part for part in PARTS if audience in content["sharing"].get(part, [])}
    shown: dict[str, list[str]] = {}
    if "goals" in allowed:
        shown["goals"] = [goal["text"] for goal in content["goals"]]
    if "interventions" in allowed:
        shown["interventions"] = [item["name"] for item in content["interventions"]]
    if "milestones" in allowed:
        shown["milestones"] = [
            f"{m['text']}, by {long_date(dt.date.fromisoformat(m['due']))}" for m in content["milestones"]
        ]
    if "review_outcomes" in allowed:
        shown["review_outcomes"] = [
            f"{long_date(r.held_on)}: goal-attainment score {r.t_score:.1f}"
            for r in Review.objects.filter(case=case).order_by("held_on", "id")
        ]
    if "session_summaries" in allowed:
        shown["session_summaries"] = [
            f"{long_date(s.held_on)}: {s.shared_summary}"
            for s in SupportSession.objects.filter(case=case).exclude(shared_summary="").order_by("held_on", "id")
        ]
    return {PARTS[part]: lines for part, lines in shown.items()}
