"""Forms for reviews, milestones, reassessment, new dates and pauses."""

import datetime as dt

from django import forms
from django.utils import timezone

from supportpath.casework import date_order
from supportpath.casework.date_order import NotBefore
from supportpath.core.dates import long_date
from supportpath.core.form_fields import long_text, not_in_future, uk_date
from supportpath.referrals.forms_common import parse_token
from supportpath.scoring import gas

from .models import (
    REASON_LIMIT,
    PauseReason,
    ReassessmentOutcome,
)
from .targets import TargetState

# A new date further away than this is almost certainly a typing slip (2062 for 2026).
FURTHEST_NEW_DATE = dt.timedelta(days=730)


class ReviewForm(forms.Form):
    """One radio group per goal of the agreed plan, each level described in the goal's own words."""

    held_on = uk_date("Date of the review", "20/11/2026")
    notes = long_text("Notes for the doctor (optional)", hint="The doctor reads these. Up to 3,000 characters.")
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, goals: list[dict], not_before: NotBefore | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.not_before = not_before
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
        return date_order.check(not_in_future(self.cleaned_data["held_on"], "review"), self.not_before, "review")

    def goal_fields(self):
        return [self[f"goal_{i}"] for i in range(len(self.goals))]

    def levels(self) -> list[int]:
        return [self.cleaned_data[f"goal_{i}"] for i in range(len(self.goals))]


class CorrectReviewForm(ReviewForm):
    """The same questions as recording it, against the review's own plan version; no submission token (sending
    the same correction twice changes nothing the second time)."""

    submission_token = None


class ReflectionForm(forms.Form):
    reflection = long_text(
        "Your reflection", required=True, hint="How do you feel it is going? Up to 3,000 characters."
    )


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


class NewDateForm(forms.Form):
    """A new date for one open target of a case, with the reason the doctor will read."""

    target = forms.ChoiceField(
        label="Which date is moving?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which date is moving",
            "invalid_choice": "That date has already happened or is no longer in the plan: choose again",
        },
    )
    new_due = uk_date("New date", "15/01/2027")
    reason = forms.CharField(
        label="Why has the date moved?",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            f"The doctor reads this, so say it plainly and kindly, for example: \u201cYour facilitator is on leave "
            f"that week.\u201d Up to {REASON_LIMIT:,} characters."
        ),
        error_messages={
            "required": "Enter why the date has moved, in words the doctor will read",
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, targets: list[TargetState], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {t.ref: t for t in targets}
        self.fields["target"].choices = [(t.ref, _target_choice(t)) for t in targets]

    def clean_new_due(self) -> dt.date:
        new_due = self.cleaned_data["new_due"]
        today = timezone.localdate()
        if new_due < today:
            raise forms.ValidationError("The new date must be today or later")
        if new_due > today + FURTHEST_NEW_DATE:
            raise forms.ValidationError(f"The new date must be before {long_date(today + FURTHEST_NEW_DATE)}")
        return new_due

    def clean(self):
        data = super().clean()
        target = self.targets.get(data.get("target", ""))
        data["target_state"] = target
        if target and data.get("new_due") and data["new_due"] == target.due:
            self.add_error("new_due", f"That is already its date ({long_date(target.due)}): enter a different one")
        return data


def _target_choice(target: TargetState) -> str:
    what = f"Milestone: {target.label}" if target.kind == "milestone" else target.label
    if target.revised:
        return f"{what} (planned by {long_date(target.planned)}; now {long_date(target.due)})"
    return f"{what} (planned by {long_date(target.planned)})"


PAUSE_EXPLANATION_LIMIT = 1000


class PauseForm(forms.Form):
    """Pause support (the doctor asked, or agreed): why, from when, and a word for the doctor."""

    reason = forms.ChoiceField(
        label="Why is support pausing?",
        choices=PauseReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why support is pausing", "invalid_choice": "Select why support is pausing"},
    )
    started_on = uk_date("Date it pauses from", "20/11/2026")
    explanation = long_text(
        "What the doctor reads (optional)",
        hint=(
            "Shown to the doctor on their pages, beside the reason. For example, “Back in touch after your exam "
            f"on 3 March.” Up to {PAUSE_EXPLANATION_LIMIT} characters."
        ),
        limit=PAUSE_EXPLANATION_LIMIT,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, opened_on: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_on = opened_on

    def clean_token(self):
        return parse_token(self.cleaned_data["token"])

    def clean_started_on(self):
        day = self.cleaned_data["started_on"]
        today = timezone.localdate()
        if day < self.opened_on:
            raise forms.ValidationError("The date it pauses from must be on or after the day the case was accepted")
        if day > today + dt.timedelta(days=31):
            raise forms.ValidationError("The date it pauses from must be within the next month")
        if day < today - dt.timedelta(days=31):
            raise forms.ValidationError("The date it pauses from must be within the last month")
        return day


class ResumeForm(forms.Form):
    ended_on = uk_date("Date support starts again", "20/11/2026")

    def __init__(self, *args, started_on: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_on = started_on

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date support starts again must be today or in the past")
        if day < self.started_on:
            raise forms.ValidationError("The date support starts again must be on or after the day it paused")
        return day
