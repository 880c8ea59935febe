"""Display logic for plans: readable rows for a version, and what changed between two versions."""

import datetime as dt
from typing import Any

from supportpath.core.dates import long_date
from supportpath.scoring import gas

from .content import AUDIENCES, PARTS, STAFF_AUDIENCES, STAFF_PARTS
from .models import InterventionType, PlanVersion, VersionStatus


def _date(iso: str) -> str:
    return long_date(dt.date.fromisoformat(iso))


def _people(names: list[str]) -> str:
    """ "Your responsible officer, your employer": a capital for the first only."""
    return ", ".join([names[0], *(n[:1].lower() + n[1:] for n in names[1:])]) if names else "Nobody"


def sharing_rows(content: dict[str, Any], *, for_staff: bool = False) -> list[tuple[str, str]]:
    """What a version proposes to share, part by part: in the doctor's words, or the support team's."""
    audiences, parts = (STAFF_AUDIENCES, STAFF_PARTS) if for_staff else (AUDIENCES, PARTS)
    return [(label, _people([audiences[a] for a in content["sharing"].get(part, [])])) for part, label in parts.items()]


# How a version's status reads to the doctor: the staff's labels talk about the doctor ("Shared with the doctor"),
# which reads oddly on the doctor's own page.
DOCTOR_STATUS = {
    VersionStatus.SHARED: "Ready for you to read",
    VersionStatus.AGREED: "Agreed",
    VersionStatus.CHANGES_REQUESTED: "You asked for changes",
    VersionStatus.SUPERSEDED: "Replaced by a later version",
}


def doctor_status_labels(versions: list[PlanVersion]) -> dict[int, str]:
    """Each version the doctor can see, by number, with its status in the doctor's words. ``versions`` are the
    doctor's, newest first. A version they asked to change reads as such until a newer one reaches them, even
    though the case manager's new draft has already replaced it."""
    labels = {}
    for index, v in enumerate(versions):
        label = DOCTOR_STATUS.get(v.status, v.get_status_display())
        if v.status == VersionStatus.SUPERSEDED and v.changes_requested_at:
            label = "You asked for changes" if index == 0 else "You asked for changes; replaced by a later version"
        labels[v.number] = label
    return labels


def _in_force(iso: str, new_date: dt.date | None) -> str:
    planned = dt.date.fromisoformat(iso)
    if new_date is None or new_date == planned:
        return long_date(planned)
    return f"{long_date(new_date)} (was {long_date(planned)})"


def plan_view(content: dict[str, Any], *, new_dates: dict[tuple[str, Any], dt.date] | None = None) -> dict[str, Any]:
    """Everything a page or PDF shows, as plain strings (templates escape them).

    ``new_dates`` (for the agreed plan in force, from ``progress.presenters.new_dates_for_plan``) puts the date
    in force in place of each moved milestone's or review's planned date, with the planned one as "was …"."""
    new_dates = new_dates or {}
    return {
        "goals": [
            {
                "text": g["text"],
                "levels": [
                    (f"{level:+d}" if level else "0", gas.LEVEL_NAMES[level], g["levels"][str(level)])
                    for level in reversed(gas.LEVELS)
                ],
                "importance": f"{g['importance']} ({gas.IMPORTANCE_NAMES[g['importance']].lower()})",
                "difficulty": f"{g['difficulty']} ({gas.DIFFICULTY_NAMES[g['difficulty']].lower()})",
                "baseline": f"{g['baseline']:+d}",
                # The same in the doctor's words (their pages show no scale numbers).
                "importance_words": gas.IMPORTANCE_NAMES[g["importance"]].lower(),
                "difficulty_words": gas.DIFFICULTY_NAMES[g["difficulty"]].lower(),
                "baseline_words": gas.LEVEL_NAMES[g["baseline"]].lower(),
            }
            for g in content["goals"]
        ],
        "interventions": [
            {
                "name": i["name"],
                "type": InterventionType(i["type"]).label if i["type"] in InterventionType.values else i["type"],
                "provider": i["provider"],
                # Versions saved before descriptions were kept have none: they show as they were agreed.
                "description": i.get("description", ""),
                "note": i["note"],
            }
            for i in content["interventions"]
        ],
        "milestones": [
            {"text": m["text"], "due": _in_force(m["due"], new_dates.get(("milestone", index)))}
            for index, m in enumerate(content["milestones"])
        ],
        "review_dates": [
            _in_force(d, new_dates.get(("review", dt.date.fromisoformat(d)))) for d in content["review_dates"]
        ],
        "in_my_control": content["in_my_control"],
        "outside_my_control": content["outside_my_control"],
        "sharing": sharing_rows(content),
        "sharing_list": [{"key": {"text": part}, "value": {"text": who}} for part, who in sharing_rows(content)],
        "staff_sharing_list": [
            {"key": {"text": part}, "value": {"text": who}} for part, who in sharing_rows(content, for_staff=True)
        ],
    }


def _added_removed(section: str, old: list[str], new: list[str]) -> list[str]:
    changes = [f"Added {section}: {item}" for item in new if item not in old]
    changes += [f"Removed {section}: {item}" for item in old if item not in new]
    return changes


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed from ``old`` to ``new``, section by section (only sections with changes)."""
    sections = []

    old_goals = {g["text"]: g for g in old["goals"]}
    new_goals = {g["text"]: g for g in new["goals"]}
    goal_changes = _added_removed("goal", list(old_goals), list(new_goals))
    for text in new_goals.keys() & old_goals.keys():
        before, after = old_goals[text], new_goals[text]
        for level in gas.LEVELS:
            if before["levels"][str(level)] != after["levels"][str(level)]:
                goal_changes.append(
                    f"Changed level {level:+d} of '{text}': now '{after['levels'][str(level)]}' "
                    f"(was '{before['levels'][str(level)]}')"
                )
        for key, name in (("importance", "importance"), ("difficulty", "difficulty"), ("baseline", "starting level")):
            if before[key] != after[key]:
                goal_changes.append(f"Changed the {name} of '{text}' from {before[key]} to {after[key]}")
    sections.append(("Goals", goal_changes))

    def intervention(i):
        return f"{i['name']}" + (f" ({i['note']})" if i["note"] else "")

    support_changes = _added_removed(
        "support", [intervention(i) for i in old["interventions"]], [intervention(i) for i in new["interventions"]]
    )
    old_descriptions = {i["name"]: i.get("description", "") for i in old["interventions"]}
    for item in new["interventions"]:
        before = old_descriptions.get(item["name"])
        if before is not None and before != item.get("description", ""):
            support_changes.append(f"Changed the description of {item['name']}")
    sections.append(("Support you will get", support_changes))

    def milestone(m):
        return f"{m['text']} by {_date(m['due'])}"

    sections.append(
        (
            "Milestones",
            _added_removed(
                "milestone", [milestone(m) for m in old["milestones"]], [milestone(m) for m in new["milestones"]]
            ),
        )
    )
    sections.append(
        (
            "Review dates",
            _added_removed(
                "review date", [_date(d) for d in old["review_dates"]], [_date(d) for d in new["review_dates"]]
            ),
        )
    )
    reflection = []
    if old["in_my_control"] != new["in_my_control"]:
        reflection.append("Changed what is in your control")
    if old["outside_my_control"] != new["outside_my_control"]:
        reflection.append("Changed what is outside your control")
    sections.append(("What is in your control", reflection))
    old_sharing, new_sharing = dict(sharing_rows(old)), dict(sharing_rows(new))
    sections.append(
        (
            "Sharing proposed",
            [
                f"{part}: now {new_sharing[part]} (was {old_sharing[part]})"
                for part in new_sharing
                if new_sharing[part] != old_sharing[part]
            ],
        )
    )
    return [{"title": title, "changes": changes} for title, changes in sections if changes]
