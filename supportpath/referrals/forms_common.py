"""Messages and fields the referral and casework forms share, so no page ever shows Django's default English
("Select a valid choice…", "Ensure this value has at most…")."""

import re
import uuid

from django import forms

INVALID_CHOICE = "Select one of the options shown"
GMC_MESSAGE = "Enter a GMC reference number of 7 digits, like 1234567"
GMC_PATTERN = re.compile(r"^\d{7}$")


def choice_messages(required: str, invalid: str = INVALID_CHOICE) -> dict[str, str]:
    """For a ChoiceField or MultipleChoiceField: a choice not on the page (a tampered form) gets plain words."""
    return {"required": required, "invalid_choice": invalid, "invalid_list": invalid}


class GMCNumberField(forms.CharField):
    """A GMC reference number: 7 digits (spaces typed in it are ignored). One clear message whatever is
    wrong with it, rather than a "too long" and a "wrong format" message run together."""

    def __init__(self, *, required_message: str, **kwargs):
        kwargs.setdefault("help_text", "7 digits, for example 1234567")
        super().__init__(error_messages={"required": required_message}, **kwargs)

    def to_python(self, value):
        return "".join(str(super().to_python(value)).split())

    def validate(self, value):
        super().validate(value)
        if value and not GMC_PATTERN.match(value):
            raise forms.ValidationError(GMC_MESSAGE, code="invalid")


def parse_token(value: str | None) -> uuid.UUID | None:
    """The hidden token a form sent back, or None if it was changed into something that is not one (a
    tampered form gets a clear message, never an error page)."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


WITHDRAW_REASON_LIMIT = 1000


class WithdrawForm(forms.Form):
    """Withdrawing a request, or declining a referral: a reason is welcome, never required."""

    reason = forms.CharField(
        label="Would you like to tell us why? (optional)",
        required=False,
        max_length=WITHDRAW_REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"It helps us improve, but you do not have to say. Up to {WITHDRAW_REASON_LIMIT} characters.",
        error_messages={"max_length": f"Your reason must be {WITHDRAW_REASON_LIMIT} characters or fewer"},
    )
    share_reason = forms.ChoiceField(
        label="May the person who referred you read your reason?",
        help_text="They will see that the referral has closed either way. Nothing else about it goes to them.",
        choices=[("no", "No, keep it between me and the service"), ("yes", "Yes, they may read it")],
        widget=forms.RadioSelect,
        required=False,
        error_messages=choice_messages(""),
    )

    def __init__(self, *args, is_referral: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_referral = is_referral
        if not is_referral:
            del self.fields["share_reason"]

    def clean(self):
        cleaned = super().clean()
        if self.is_referral and cleaned.get("reason", "").strip() and not cleaned.get("share_reason"):
            self.add_error("share_reason", "Select whether the person who referred you may read your reason")
        return cleaned
