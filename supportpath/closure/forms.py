"""Forms for closing a case (and handing the doctor over) and for the doctor's exit feedback."""

import datetime as dt
from typing import Any

from django import forms

from supportpath.core.form_fields import long_text, not_in_future, uk_date
from supportpath.progress.models import ClosureReason
from supportpath.referrals.models import HandoverDestination

from .models import STATEMENTS, Agreement, PeerSupport

HANDOVER_NAME_LIMIT = 200
HANDOVER_REASON_LIMIT = 1000


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

    def clean_closed_on(self) -> dt.date:
        return not_in_future(self.cleaned_data["closed_on"], "closure")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (its stubs say it may be None)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, statement in STATEMENTS.items():
            self.fields[key] = forms.ChoiceField(
                label=statement,
                choices=[(str(value), label) for value, label in Agreement.choices],
                widget=forms.RadioSelect,
                required=False,
            )

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in STATEMENTS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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
