import json

from django import forms

from supportpath.core.form_fields import long_text, not_in_future, uk_date

from .catalogue import Question
from .models import Point

YES_NO = [("yes", "Yes"), ("no", "No")]


class QuestionForm(forms.Form):
    """One question: its options as radios. "Skip this question" sends ``skip`` and needs no answer."""

    answer = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, required=True)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = question.text
        self.fields["answer"].choices = [(o.score, o.display) for o in question.options]
        self.fields["answer"].error_messages = {
            "required": "Choose the answer that fits best, or skip this question",
            "invalid_choice": "Choose one of the answers shown",
        }


class FollowUpForm(forms.Form):
    followed_up_on = uk_date("When you followed it up", "20/11/2026")
    what_was_done = long_text(
        "What was done",
        required=True,
        hint=(
            "For example: spoke to the doctor by phone, they are safe and have seen their GP today. "
            "Up to 3000 characters."
        ),
    )

    def clean_followed_up_on(self):
        return not_in_future(self.cleaned_data["followed_up_on"], "follow-up")


class ShareForm(forms.Form):
    share = forms.ChoiceField(
        label="Can your facilitator see your questionnaire results?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no"},
    )


class ServicePointsForm(forms.Form):
    """One set of checkboxes per point on the pathway."""

    def __init__(self, *args, questionnaires: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for point in Point:
            self.fields[point.value] = forms.MultipleChoiceField(
                label=point.label.replace("your", "the doctor's").replace("Your", "The doctor's"),
                choices=questionnaires,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )


class LoadDefinitionForm(forms.Form):
    definition = forms.CharField(
        label="The questionnaire's definition (FHIR R4 Questionnaire, as JSON)",
        help_text="Paste the whole JSON. Each question must be single choice, each option with a whole-number score.",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=200_000,
        error_messages={
            "required": "Paste the definition's JSON",
            "max_length": "The definition must be 200,000 characters or fewer",
        },
    )

    def clean_definition(self):
        text = self.cleaned_data["definition"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"This is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            ) from None
