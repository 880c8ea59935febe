"""Forms for the plan. The staff editing page is dense: one page with a form for each part of the plan."""

import datetime as dt
import uuid
from typing import Any

from django import forms

from supportpath.scoring import gas

from .content import (
    AUDIENCES,
    GOAL_LIMIT,
    LEVEL_LIMIT,
    NOTE_LIMIT,
    PARTS,
    REFLECTION_LIMIT,
    STAFF_AUDIENCES,
    STAFF_PARTS,
)
from .models import Intervention

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
RATING_CHOICES = [(str(n), f"{n} – {gas.IMPORTANCE_NAMES[n]}") for n in gas.RATINGS]
DIFFICULTY_CHOICES = [(str(n), f"{n} – {gas.DIFFICULTY_NAMES[n]}") for n in gas.RATINGS]
LEVEL_FIELDS = {-2: "level_minus_2", -1: "level_minus_1", 0: "level_0", 1: "level_plus_1", 2: "level_plus_2"}
REVIEW_DATES_LIMIT = 12
GOALS_LIMIT = 20
SUPPORT_LIMIT = 20
MILESTONES_LIMIT = 30
# Hidden fields are only wrong if the page was tampered with or is very old: say so plainly.
STALE_PAGE = "This page is out of date. Go back, reload the page and try again"


def hidden_number(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
        **kwargs,
    )


def submission_token() -> forms.UUIDField:
    """Names one showing of a form, so that sending it twice is recognised as the same submission."""
    return forms.UUIDField(
        widget=forms.HiddenInput, required=False, error_messages={"invalid": STALE_PAGE, "required": STALE_PAGE}
    )


def new_token() -> str:
    return str(uuid.uuid4())


def rating(label: str, choices, what: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        initial="2",
        error_messages={"required": f"Select {what}", "invalid_choice": f"Choose {what} from the list"},
    )


def _text(label: str, limit: int, *, required: bool = False, rows: int = 2, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=(hint + " " if hint else "") + f"Up to {limit:,} characters.",
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


# How each part of the plan reads in "Select only the people listed to share ... with".
SHARED_PART_WORDS = {
    "goals": "the goals",
    "interventions": "the support the doctor will get",
    "milestones": "the milestones",
    "review_outcomes": "the outcomes of reviews",
    "session_summaries": "the session summaries",
}


class PlanForm(forms.Form):
    edit_count = hidden_number(min_value=0)
    submission_token = submission_token()
    in_my_control = _text(
        "What is in the doctor's control",
        REFLECTION_LIMIT,
        rows=3,
        hint="In the doctor's words: what they can change themselves.",
    )
    outside_my_control = _text(
        "What is outside the doctor's control",
        REFLECTION_LIMIT,
        rows=3,
        hint="For example the rota, staffing or team culture: what others need to change.",
    )
    review_dates = forms.CharField(
        label="Review dates",
        required=False,
        help_text=f"One date on each line, for example 15/01/2027. Up to {REVIEW_DATES_LIMIT:,} dates.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, audiences: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Proposed sharing: it counts only once the doctor agrees the version (see plan_sharing.py). Someone not
        # offered for this case (the person who referred, on a doctor's own request) is refused like any other
        # choice not on the page, naming the part so the error summary says which question to fix.
        # The case manager reads these, so in the support team's words ("the employer", not "your employer").
        for part, label in STAFF_PARTS.items():
            not_listed = f"Select only the people listed to share {SHARED_PART_WORDS[part]} with"
            self.fields[f"share_{part}"] = forms.MultipleChoiceField(
                label=f"Propose sharing: {label.lower()}",
                required=False,
                choices=[(code, STAFF_AUDIENCES[code]) for code in (audiences or AUDIENCES)],
                widget=forms.CheckboxSelectMultiple,
                help_text="Leave all unticked to propose nothing.",
                error_messages={"invalid_choice": not_listed, "invalid_list": not_listed},
            )

    def clean_review_dates(self) -> list[str]:
        lines = [line for line in self.cleaned_data["review_dates"].splitlines() if line.strip()]
        if len(lines) > REVIEW_DATES_LIMIT:
            raise forms.ValidationError(f"Enter up to {REVIEW_DATES_LIMIT:,} review dates, one on each line")
        dates = []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            for fmt in DATE_FORMATS:
                try:
                    dates.append(dt.datetime.strptime(line, fmt).date().isoformat())
                    break
                except ValueError:
                    continue
            else:
                raise forms.ValidationError(f"Enter each review date as a real date, like 15/01/2027 (not {line!r})")
        return sorted(set(dates))


class GoalForm(forms.Form):
    text = _text("Goal, in the doctor's words", GOAL_LIMIT, required=True)
    level_minus_2 = _text("-2: much less than expected", LEVEL_LIMIT, required=True)
    level_minus_1 = _text("-1: somewhat less than expected", LEVEL_LIMIT, required=True)
    level_0 = _text("0: the expected outcome", LEVEL_LIMIT, required=True)
    level_plus_1 = _text("+1: somewhat more than expected", LEVEL_LIMIT, required=True)
    level_plus_2 = _text("+2: much more than expected", LEVEL_LIMIT, required=True)
    importance = rating("How important is this goal to the doctor?", RATING_CHOICES, "how important the goal is")
    difficulty = rating("How difficult will it be to reach?", DIFFICULTY_CHOICES, "how difficult the goal will be")
    baseline = forms.TypedChoiceField(
        label="Where the doctor starts",
        choices=[
            (str(gas.BASELINE), "-1 (usual)"),
            (str(gas.BASELINE_WHEN_WORSE_IS_POSSIBLE), "-2 (things could get worse)"),
        ],
        coerce=int,
        initial=str(gas.BASELINE),
        error_messages={
            "required": "Select where the doctor starts",
            "invalid_choice": "Choose where the doctor starts from the list",
        },
    )


class InterventionChoiceForm(forms.Form):
    intervention = forms.ModelChoiceField(
        label="Support from the catalogue",
        queryset=Intervention.objects.none(),
        error_messages={
            "required": "Select the support from the catalogue",
            "invalid_choice": "Select support from the catalogue",
        },
    )
    note = _text("Note", NOTE_LIMIT, hint="For example how often, or who will arrange it.")

    def __init__(self, *args, catalogue=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = catalogue if catalogue is not None else Intervention.objects.none()


class MilestoneForm(forms.Form):
    text = _text("Milestone", GOAL_LIMIT, required=True)
    due = forms.DateField(
        label="Date",
        input_formats=DATE_FORMATS,
        help_text="For example, 28/02/2027",
        error_messages={"required": "Enter the date of the milestone", "invalid": "Enter a real date, like 28/02/2027"},
    )


def _formset(form, what: str, limit: int):
    """A formset whose own errors (too many, a broken page) are in our words, not Django's."""
    messages = {
        "missing_management_form": STALE_PAGE,
        "too_many_forms": f"A plan can have up to %(num)d {what}. Remove one before adding another",
        "too_few_forms": STALE_PAGE,
    }
    return forms.formset_factory(
        form,
        formset=type(f"{form.__name__}Set", (forms.BaseFormSet,), {"default_error_messages": messages}),
        extra=1,
        can_delete=True,
        max_num=limit,
        validate_max=True,
        absolute_max=limit + 1,
    )


GoalFormSet = _formset(GoalForm, "goals", GOALS_LIMIT)
InterventionFormSet = _formset(InterventionChoiceForm, "kinds of support", SUPPORT_LIMIT)
MilestoneFormSet = _formset(MilestoneForm, "milestones", MILESTONES_LIMIT)


def _kept(formset) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]


def to_content(plan_form: PlanForm, goals, interventions, milestones) -> dict[str, Any]:
    data = plan_form.cleaned_data
    return {
        "goals": [
            {
                "text": g["text"],
                "levels": {str(level): g[name] for level, name in LEVEL_FIELDS.items()},
                "importance": g["importance"],
                "difficulty": g["difficulty"],
                "baseline": g["baseline"],
            }
            for g in _kept(goals)
        ],
        "interventions": [
            {
                "intervention_id": i["intervention"].pk,
                "type": i["intervention"].type,
                "name": i["intervention"].name,
                "provider": i["intervention"].provider,
                "description": i["intervention"].description,
                "note": i["note"],
            }
            for i in _kept(interventions)
        ],
        "milestones": [{"text": m["text"], "due": m["due"].isoformat()} for m in _kept(milestones)],
        "review_dates": data["review_dates"],
        "in_my_control": data["in_my_control"],
        "outside_my_control": data["outside_my_control"],
        "sharing": {part: data[f"share_{part}"] for part in PARTS},
    }


def initial_from_content(content: dict[str, Any]) -> dict[str, Any]:
    plan = {
        "in_my_control": content["in_my_control"],
        "outside_my_control": content["outside_my_control"],
        "review_dates": "\n".join(dt.date.fromisoformat(d).strftime("%d/%m/%Y") for d in content["review_dates"]),
    }
    plan.update({f"share_{part}": content["sharing"].get(part, []) for part in PARTS})
    goals = [
        {
            "text": g["text"],
            **{name: g["levels"][str(level)] for level, name in LEVEL_FIELDS.items()},
            "importance": str(g["importance"]),
            "difficulty": str(g["difficulty"]),
            "baseline": str(g["baseline"]),
        }
        for g in content["goals"]
    ]
    interventions = [{"intervention": i["intervention_id"], "note": i["note"]} for i in content["interventions"]]
    milestones = [
        {"text": m["text"], "due": dt.date.fromisoformat(m["due"]).strftime("%d/%m/%Y")} for m in content["milestones"]
    ]
    return {"plan": plan, "goals": goals, "interventions": interventions, "milestones": milestones}


class DoctorAgreeForm(forms.Form):
    number = hidden_number()
    confirm = forms.BooleanField(
        label="I have read this plan and I agree it",
        error_messages={"required": "Tick the box to confirm you agree this plan"},
    )


class ChangesForm(forms.Form):
    number = hidden_number()
    comment = _text(
        "What would you like to change?", 2000, required=True, rows=5, hint="Your case manager will read this."
    )
