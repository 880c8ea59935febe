from typing import Any

from django import forms

from supportpath.core.form_fields import long_text

from . import indicators
from .models import Cmoc, OutcomeGroup, Status

WHY = "Why you are making this change"


def _why() -> forms.CharField:
    return long_text(
        WHY, required=True, limit=1000, hint="Kept with this version in the history. Up to 1,000 characters."
    )


class CmocForm(forms.Form):
    reference = forms.RegexField(
        label="Reference",
        regex=r"^\d{1,2}\.\d{1,2}[a-z]?$",
        max_length=16,
        help_text="The paper's numbering, group then number, for example 4.8",
        error_messages={
            "required": "Enter the reference, like 4.8",
            "invalid": "Enter the reference as two numbers with a dot, like 4.8",
        },
    )
    outcome_group = forms.TypedChoiceField(
        label="Outcome group",
        choices=OutcomeGroup.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome group"},
    )
    context = long_text("Context", required=True, limit=1000)
    mechanism = long_text("Mechanism", required=True, limit=1000)
    outcome = long_text("Outcome", required=True, limit=1000)
    citation = forms.CharField(
        label="Citation (optional)",
        required=False,
        max_length=400,
        help_text="Where the CMOC comes from, for example the paper and its section",
    )
    evidence_notes = long_text("Evidence notes (optional)", limit=3000)
    context_link = forms.ChoiceField(
        label="Context indicator",
        choices=indicators.context_choices,
        required=False,
        help_text="The fact-record field and value that mean the context is there",
    )
    mechanism_item = forms.ChoiceField(
        label="Mechanism indicator",
        choices=indicators.mechanism_choices,
        required=False,
        help_text="A check-in statement: agreeing with it counts as the mechanism being there",
    )
    outcome_indicator = forms.ChoiceField(label="Outcome indicator", choices=indicators.outcome_choices, required=False)
    why = _why()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (its stubs say it may be None)
        if data.get("outcome_indicator") and not (data.get("context_link") or data.get("mechanism_item")):
            self.add_error("context_link", "Choose a context or a mechanism indicator to compare the outcome across")
        if (data.get("context_link") or data.get("mechanism_item")) and not data.get("outcome_indicator"):
            self.add_error("outcome_indicator", "Choose the outcome to compare")
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        field, _, value = (data.get("context_link") or "").partition("=")
        return {
            "reference": data["reference"],
            "outcome_group": data["outcome_group"],
            "context": data["context"],
            "mechanism": data["mechanism"],
            "outcome": data["outcome"],
            "citation": data["citation"],
            "evidence_notes": data["evidence_notes"],
            "context_field": field,
            "context_value": value,
            "mechanism_item": data.get("mechanism_item") or "",
            "outcome_indicator": data.get("outcome_indicator") or "",
        }

    @staticmethod
    def initial_from(cmoc: Cmoc) -> dict[str, Any]:
        return {
            "reference": cmoc.reference,
            "outcome_group": cmoc.outcome_group,
            "context": cmoc.context,
            "mechanism": cmoc.mechanism,
            "outcome": cmoc.outcome,
            "citation": cmoc.citation,
            "evidence_notes": cmoc.evidence_notes,
            "context_link": f"{cmoc.context_field}={cmoc.context_value}" if cmoc.context_field else "",
            "mechanism_item": cmoc.mechanism_item,
            "outcome_indicator": cmoc.outcome_indicator,
            "version": cmoc.version,
        }


class RefineForm(CmocForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[c for c in Status.choices if c[0] != Status.RETIRED],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def values(self) -> dict:
        return {**super().values(), "status": self.cleaned_data["status"]}


class RetireForm(forms.Form):
    why = _why()


JUDGED = [Status.SUPPORTED, Status.QUESTIONED, Status.REFINED]


class JudgementForm(forms.Form):
    status = forms.ChoiceField(
        label="Your judgement",
        choices=[(s.value, s.label) for s in JUDGED],
        widget=forms.RadioSelect,
        error_messages={"required": "Select your judgement"},
    )
    note = long_text("Your note", required=True, limit=1000, hint="What you conclude and why. Up to 1,000 characters.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExportForm(forms.Form):
    purpose = long_text(
        "Purpose of the research",
        required=True,
        limit=1000,
        hint="What the data will be used for, as approved. Up to 1,000 characters.",
    )
    approval_reference = forms.CharField(
        label="Approval reference",
        max_length=120,
        help_text="The ethics or governance approval, for example IRAS 123456 or the service's own reference",
        error_messages={"required": "Enter the approval reference"},
    )
    confirm = forms.BooleanField(
        label="I confirm the data will be used only for this approved purpose and kept securely",
        error_messages={"required": "Confirm the data will be used only for the approved purpose"},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
