"""Who the doctor agreed may see each part of their plan. Other views ask here before showing anything.

Only an AGREED version counts: a draft, or a version the doctor has not yet agreed, shares nothing. The default
is nobody.
"""

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
