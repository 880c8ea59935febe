"""Forms for reviews, reassessment, closure and the doctor's exit feedback."""

from django import forms

from supportpath.core.form_fields import long_text, not_in_future, uk_date
from supportpath.plans import gas
from supportpath.referrals.models import HandoverDestination

from .models import STATEMENTS, Agreement, ClosureReason, PeerSupport, ReassessmentOutcome


class ReviewForm(forms.Form):
    """One radio group per goal of the agreed plan, each level described in the goal's own words."""

    held_on = uk_date("Date of the review", "20/11/2026")
    notes = long_text("Notes for the doctor (optional)", hint="The doctor reads these. Up to 3000 characters.")
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, goals: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        for index, goal in enumerate(goals):
            self.fields[f"goal_{index}"] = forms.TypedChoiceField(
                label=f"Goal {index + 1}: {goal['text']}",
                choices=[
                    (str(level), f"{level:+d}: {goal['levels'][str(level)]}" if level else f"0: {goal['levels']['0']}")
                    for level in gas.LEVELS
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Score goal {index + 1}"},
            )

    def clean_held_on(self):
        return not_in_future(self.cleaned_data["held_on"], "review")

    def goal_fields(self):
        return [self[f"goal_{i}"] for i in range(len(self.goals))]

    def levels(self) -> list[int]:
        return [self.cleaned_data[f"goal_{i}"] for i in range(len(self.goals))]


class ReflectionForm(forms.Form):
    reflection = long_text("Your reflection", required=True, hint="How do you feel it is going? Up to 3000 characters.")


class MilestoneDoneForm(forms.Form):
    index = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReassessmentForm(forms.Form):
    held_on = uk_date("Date of the reassessment", "20/11/2026")
    assessed_by = forms.CharField(
        label="Who carried it out",
        max_length=200,
        error_messages={"required": "Enter who carried out the reassessment"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ReassessmentOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    details = long_text("Details (optional)")
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_held_on(self):
        return not_in_future(self.cleaned_data["held_on"], "reassessment")


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )
    other_reason = forms.CharField(
        label="If another reason, what is it?",
        max_length=500,
        required=False,
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )
    handed_over_to = forms.ChoiceField(
        label="If handed over, to which service?",
        choices=[("", "Choose a service"), *HandoverDestination.choices],
        required=False,
    )
    doctor_consented = forms.MultipleChoiceField(
        label="If handed over, the doctor's agreement",
        choices=[("yes", "The doctor agrees to the handover")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    closed_on = uk_date("Date of closure", "20/11/2026")

    def clean_closed_on(self):
        return not_in_future(self.cleaned_data["closed_on"], "closure")

    def clean(self):
        data = super().clean()
        data["doctor_consented"] = data.get("doctor_consented") == ["yes"]
        if data.get("reason") == ClosureReason.OTHER and not data.get("other_reason", "").strip():
            self.add_error("other_reason", "Enter the reason for closing")
        if data.get("reason") == ClosureReason.HANDED_OVER:
            if not data.get("handed_over_to"):
                self.add_error("handed_over_to", "Choose the service the doctor is handed over to")
            if not data["doctor_consented"]:
                self.add_error("doctor_consented", "A handover needs the doctor's agreement: tick to confirm it")
        return data


class ExitFeedbackForm(forms.Form):
    what_changed = long_text("In your own words, what has changed for you?", hint="Optional. Up to 3000 characters.")
    peer_supporter = forms.ChoiceField(
        label="Would you like to support other doctors as a peer supporter one day?",
        choices=PeerSupport.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, statement in STATEMENTS.items():
            self.fields[key] = forms.ChoiceField(
                label=statement,
                choices=[(str(value), label) for value, label in Agreement.choices],
                widget=forms.RadioSelect,
                required=False,
            )

    def statement_fields(self):
        return [self[key] for key in STATEMENTS]
