"""Forms for reviews, reassessment, closure and the doctor's exit feedback."""

import datetime as dt

from django import forms
from django.utils import timezone

from supportpath.casework import date_order
from supportpath.casework.date_order import NotBefore
from supportpath.core.dates import long_date
from supportpath.core.form_fields import long_text, not_in_future, uk_date
from supportpath.referrals.forms_common import parse_token
from supportpath.referrals.models import HandoverDestination
from supportpath.scoring import gas

from .models import (
    REASON_LIMIT,
    STATEMENTS,
    Agreement,
    ClosureReason,
    PauseReason,
    PeerSupport,
    ReassessmentOutcome,
)
from .targets import TargetState

HANDOVER_NAME_LIMIT = 200
HANDOVER_REASON_LIMIT = 1000
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
    handed_over_to_name = forms.CharField(
        label="If another service, what is it called?",
        max_length=HANDOVER_NAME_LIMIT,
        required=False,
        help_text=f"For example, the name of a local well-being service. Up to {HANDOVER_NAME_LIMIT:,} characters.",
        error_messages={"max_length": f"The name must be {HANDOVER_NAME_LIMIT:,} characters or fewer"},
    )
    handover_reason = long_text(
        "If handed over, why is this service a better fit?",
        hint=(
            "It stays on the doctor's record, which they can read in a copy of their data. "
            f"Up to {HANDOVER_REASON_LIMIT:,} characters."
        ),
        limit=HANDOVER_REASON_LIMIT,
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
            elif (
                data["handed_over_to"] == HandoverDestination.OTHER and not data.get("handed_over_to_name", "").strip()
            ):
                self.add_error("handed_over_to_name", "Enter the name of the service the doctor is handed over to")
            if not data.get("handover_reason", "").strip() and "handover_reason" not in self.errors:
                self.add_error("handover_reason", "Enter why this service is a better fit")
            if not data["doctor_consented"]:
                self.add_error("doctor_consented", "A handover needs the doctor's agreement: tick to confirm it")
        return data


class ExitFeedbackForm(forms.Form):
    what_changed = long_text("In your own words, what has changed for you?", hint="Optional. Up to 3,000 characters.")
    team_may_read = forms.ChoiceField(
        label="May your case manager read what you wrote about what changed?",
        choices=[
            ("yes", "Yes, they may read it"),
            ("no", "No, keep it to myself"),
        ],
        widget=forms.RadioSelect,
        # No answer is chosen for the doctor: asked only when they have written something (``clean``).
        required=False,
        help_text="It is yours to share. If you say no, only you can read it here. You can change your mind later.",
    )
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

    def clean(self):
        cleaned = super().clean()
        wrote = bool(cleaned.get("what_changed", "").strip())
        if wrote and not cleaned.get("team_may_read"):
            self.add_error("team_may_read", "Select whether your case manager may read what you wrote")
        answered = wrote or cleaned.get("peer_supporter") or any(cleaned.get(key) for key in STATEMENTS)
        if not answered and not self.errors:
            # An empty form is not feedback: it is neither thanked nor counted.
            raise forms.ValidationError(
                "Answer at least one question before you send your feedback, or leave this page if you would rather not"
            )
        cleaned["team_may_read"] = cleaned.get("team_may_read") == "yes"
        return cleaned


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
