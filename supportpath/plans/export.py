"""Support plans in "Download my data": every version the doctor has been shown, as they saw it. Drafts the
team has not yet shared are work in progress and are left out, as they are on the doctor's pages."""

import datetime as dt

from supportpath.accounts.models import DoctorProfile
from supportpath.scoring.gas import LEVEL_NAMES, LEVELS

from .models import PlanVersion, VersionStatus


def _goal(goal: dict) -> dict:
    levels = {f"{level:+d} ({LEVEL_NAMES[level].lower()})": goal["levels"][str(level)] for level in LEVELS}
    return {"goal": goal["text"], "importance": goal["importance"], "difficulty": goal["difficulty"], **levels}


def plan_versions(doctor: DoctorProfile) -> list[dict]:
    versions = (
        PlanVersion.objects.filter(plan__case__request__doctor=doctor)
        .exclude(status=VersionStatus.DRAFT)
        .select_related("plan__case__request", "created_by")
        .order_by("plan_id", "number")
    )
    return [
        {
            "request": version.plan.case.request.reference,
            "version": version.number,
            "status": version.get_status_display(),
            "written_by": version.created_by.full_name,
            "shared_with_you": version.shared_at,
            "you_agreed": version.agreed_at,
            "you_asked_for_changes": version.changes_requested_at,
            "your_comment": version.doctor_comment,
            "goals": [_goal(goal) for goal in version.content["goals"]],
            "support": [
                " – ".join(part for part in (item["name"], item.get("provider", ""), item.get("note", "")) if part)
                for item in version.content["interventions"]
            ],
            "milestones": [
                {"milestone": m["text"], "by": dt.date.fromisoformat(m["due"])} for m in version.content["milestones"]
            ],
            "review_dates": [dt.date.fromisoformat(d) for d in version.content["review_dates"]],
            "in_your_control": version.content["in_my_control"],
            "outside_your_control": version.content["outside_my_control"],
        }
        for version in versions
    ]
