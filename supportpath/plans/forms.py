"""Forms for the plan. The staff editing page is dense: one page with a form for each part of the plan."""

import datetime as dt
from typing import Any

from django import forms

from . import gas
from .content import AUDIENCES, GOAL_LIMIT, LEVEL_LIMIT, NOTE_LIMIT, PARTS, REFLECTION_LIMIT
from .models import DESCRIPTION_LIMIT, NAME_LIMIT, Intervention, InterventionType

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
RATING_CHOICES = [(str(n), f"{n} – {gas.IMPORTANCE_NAMES[n]}") for n in gas.RATINGS]
DIFFICULTY_CHOICES = [(str(n), f"{n} – {gas.DIFFICULTY_NAMES[n]}") for n in gas.RATINGS]
LEVEL_FIELDS = {-2: "level_minus_2", -1: "level_minus_1", 0: "level_0", 1: "level_plus_1", 2: "level_plus_2"}


def _text(label: str, limit: int, *, required: bool = False, rows: int = 2, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=(hint + " " if hint else "") + f"Up to {limit} characters.",
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {limit} characters or fewer",
        },
    )


class PlanForm(forms.Form):
    edit_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
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
        max_length=200,
        help_text="One date on each line, for example 15/01/2027",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Review dates must be 200 characters or fewer"},
    )

    def __init__(self, *args, audiences: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Proposed sharing: it counts only once the doctor agrees the version (see plan_sharing.py).
        for part, label in PARTS.items():
            self.fields[f"share_{part}"] = forms.MultipleChoiceField(
                label=f"Propose sharing: {label.lower()}",
                required=False,
                choices=list((audiences or AUDIENCES).items()),
                widget=forms.CheckboxSelectMultiple,
                help_text="Leave all unticked to propose nothing.",
                error_messages={"invalid_choice": "Select only the people listed"},
            )

    def clean_review_dates(self) -> list[str]:
        dates = []
        for line in self.cleaned_data["review_dates"].splitlines():
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
    importance = forms.TypedChoiceField(
        label="How important is this goal to the doctor?", choices=RATING_CHOICES, coerce=int, initial="2"
    )
    difficulty = forms.TypedChoiceField(
        label="How difficult will it be to reach?", choices=DIFFICULTY_CHOICES, coerce=int, initial="2"
    )
    baseline = forms.TypedChoiceField(
        label="Where the doctor starts",
        choices=[
            (str(gas.BASELINE), "-1 (usual)"),
            (str(gas.BASELINE_WHEN_WORSE_IS_POSSIBLE), "-2 (things could get worse)"),
        ],
        coerce=int,
        initial=str(gas.BASELINE),
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


GoalFormSet = forms.formset_factory(GoalForm, extra=1, can_delete=True, max_num=20, validate_max=True)
InterventionFormSet = forms.formset_factory(
    InterventionChoiceForm, extra=1, can_delete=True, max_num=20, validate_max=True
)
MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=1, can_delete=True, max_num=30, validate_max=True)


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
    number = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read this plan and I agree it",
        error_messages={"required": "Tick the box to confirm you agree this plan"},
    )


class ChangesForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    comment = _text(
        "What would you like to change?", 2000, required=True, rows=5, hint="Your case manager will read this."
    )


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["type", "name", "provider", "description", "active"]
        labels = {"type": "Type of support", "active": "Offer this to doctors now"}
        help_texts = {
            "name": f"Up to {NAME_LIMIT} characters.",
            "provider": f"Who provides it. Up to {NAME_LIMIT} characters.",
            "description": f"Written for doctors: what it is and what to expect. Up to {DESCRIPTION_LIMIT} characters.",
        }
        widgets = {"type": forms.Select, "description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "type": {"required": "Select the type of support"},
            "name": {"required": "Enter a name", "max_length": f"Name must be {NAME_LIMIT} characters or fewer"},
            "provider": {"max_length": f"Provider must be {NAME_LIMIT} characters or fewer"},
            "description": {"max_length": f"Description must be {DESCRIPTION_LIMIT} characters or fewer"},
        }

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["type"].choices = InterventionType.choices

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Intervention.objects.filter(service=self.service, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("The catalogue already has support with this name")
        return name
