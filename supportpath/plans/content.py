"""What a plan version holds, as one validated snapshot (a plain dict stored as JSON)."""

import datetime as dt
from typing import Any

from supportpath.scoring import gas

GOAL_LIMIT = 500
LEVEL_LIMIT = 300
NOTE_LIMIT = 500
NAME_LIMIT = 200
DESCRIPTION_LIMIT = 1000
REFLECTION_LIMIT = 2000

AUDIENCES = {
    "referrer": "The person who referred you",
    "responsible_officer": "Your responsible officer",
    "employer": "Your employer",
}
PARTS = {
    "goals": "Goals",
    "interventions": "Support you will get",
    "milestones": "Milestones",
    "review_outcomes": "Outcomes of reviews",
    "session_summaries": "Session summaries",
}
# The same, for the support team's pages: AUDIENCES and PARTS are in the doctor's words ("your employer").
STAFF_AUDIENCES = {
    "referrer": "The person who referred",
    "responsible_officer": "The responsible officer",
    "employer": "The employer",
}
STAFF_PARTS = {**PARTS, "interventions": "Support the doctor will get"}


def empty() -> dict[str, Any]:
    return {
        "goals": [],
        "interventions": [],
        "milestones": [],
        "review_dates": [],
        "in_my_control": "",
        "outside_my_control": "",
        "sharing": {part: [] for part in PARTS},
    }


def _text(value: Any, limit: int, what: str) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"{what} must be text of {limit:,} characters or fewer")
    return value


def _date(value: Any) -> str:
    return dt.date.fromisoformat(value).isoformat()


def validate(content: dict[str, Any]) -> dict[str, Any]:
    """A clean copy of ``content``; raises ValueError if anything is out of shape."""
    clean = empty()
    for goal in content.get("goals", []):
        gas.ScoredGoal(level=gas.BASELINE, importance=goal["importance"], difficulty=goal["difficulty"])
        clean["goals"].append(
            {
                "text": _text(goal["text"], GOAL_LIMIT, "A goal"),
                "levels": {
                    str(level): _text(goal["levels"][str(level)], LEVEL_LIMIT, "A level") for level in gas.LEVELS
                },
                "importance": goal["importance"],
                "difficulty": goal["difficulty"],
                "baseline": goal.get("baseline", gas.BASELINE),
            }
        )
        if clean["goals"][-1]["baseline"] not in (gas.BASELINE, gas.BASELINE_WHEN_WORSE_IS_POSSIBLE):
            raise ValueError("A baseline is -1 or -2")
    for item in content.get("interventions", []):
        clean["interventions"].append(
            {
                "intervention_id": int(item["intervention_id"]),
                "type": _text(item["type"], 64, "A type"),
                "name": _text(item["name"], NAME_LIMIT, "A name"),
                "provider": _text(item.get("provider", ""), NAME_LIMIT, "A provider"),
                # The catalogue's words for doctors as they were when the plan was saved, so an agreed version
                # keeps reading as it was agreed whatever the catalogue says later. Older versions have none.
                "description": _text(item.get("description", ""), DESCRIPTION_LIMIT, "A description"),
                "note": _text(item.get("note", ""), NOTE_LIMIT, "A note"),
            }
        )
    for milestone in content.get("milestones", []):
        clean["milestones"].append(
            {"text": _text(milestone["text"], GOAL_LIMIT, "A milestone"), "due": _date(milestone["due"])}
        )
    clean["review_dates"] = sorted(_date(d) for d in content.get("review_dates", []))
    clean["in_my_control"] = _text(content.get("in_my_control", ""), REFLECTION_LIMIT, "Reflection")
    clean["outside_my_control"] = _text(content.get("outside_my_control", ""), REFLECTION_LIMIT, "Reflection")
    for part, audiences in content.get("sharing", {}).items():
        if part not in PARTS or any(a not in AUDIENCES for a in audiences):
            raise ValueError(f"Unknown sharing part or audience: {part} {audiences}")
        clean["sharing"][part] = [a for a in AUDIENCES if a in audiences]
    return clean
