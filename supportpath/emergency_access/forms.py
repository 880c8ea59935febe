import re
import uuid

from django import forms

from supportpath.accounts.models import User

from . import access
from .models import REASON_MAX_LENGTH, REASON_MIN_LENGTH, Purpose

REFERENCE_PATTERN = re.compile(r"^SP-[A-Z0-9]{4}-[A-Z0-9]{4}$")


class OpenEmergencyAccessForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the request or case",
        max_length=20,
        help_text="For example, SP-ABCD-2345. It is on the case manager's pages and in the doctor's emails.",
        error_messages={
            "required": "Enter the reference of the request or case",
            "max_length": "Enter a reference like SP-ABCD-2345",
        },
    )
    purpose = forms.ChoiceField(
        label="Why do you need to open this record now?",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to open this record now"},
    )
    reason = forms.CharField(
        label="Say why, in a sentence or two",
        min_length=REASON_MIN_LENGTH,
        max_length=REASON_MAX_LENGTH,
        help_text=(
            "The doctor will read exactly what you write here. Say why you need the record and what you will do, "
            "not what you know about the doctor: no health or personal details. "
            f"Between {REASON_MIN_LENGTH} and {REASON_MAX_LENGTH:,} characters."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why you need to open this record",
            "min_length": f"Say a little more, so the doctor understands why: at least {REASON_MIN_LENGTH} characters",
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I understand that this is logged, that the doctor will see my name, role, when and this reason, "
        "and that the case manager will be told",
        error_messages={"required": "Confirm that you understand the doctor and the case manager will be told"},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.user = user
        self.support_request = None

    def clean_reference(self) -> str:
        # Forgive the ways people copy a reference: lower case, spaces, a missing "SP-".
        typed = re.sub(r"\s+", "", self.cleaned_data["reference"]).upper()
        if not typed.startswith("SP-") and len(typed) in (8, 9):
            typed = "SP-" + typed
        if len(typed) == 11 and "-" not in typed[3:]:
            typed = f"{typed[:7]}-{typed[7:]}"
        if not REFERENCE_PATTERN.match(typed):
            raise forms.ValidationError("Enter a reference like SP-ABCD-2345")
        self.support_request = access.find_request_for_admin(self.user, typed)
        if self.support_request is None:
            raise forms.ValidationError(
                f"Your service has no request or case with the reference {typed}. Check it and try again"
            )
        return typed

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < REASON_MIN_LENGTH:
            raise forms.ValidationError(self.fields["reason"].error_messages["min_length"])
        return reason
