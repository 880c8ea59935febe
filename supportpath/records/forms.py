import uuid

from django import forms

from supportpath.core.form_fields import long_text

from .models import NOTE_LIMIT


class AskForErasureForm(forms.Form):
    note = long_text(
        "Is there anything you would like the service to know? (optional)",
        hint=f"For example, whether you would like them to keep anything. Up to {NOTE_LIMIT:,} characters.",
        limit=NOTE_LIMIT,
    )
    note.error_messages["max_length"] = (
        f"What you would like the service to know must be {NOTE_LIMIT:,} characters or fewer"
    )
    # Made when the page is shown, so the same form sent twice makes one request.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean_token(self):
        return self.cleaned_data.get("token") or uuid.uuid4()


class CloseAccountForm(forms.Form):
    confirm = forms.MultipleChoiceField(
        label="Closing your account",
        choices=[("yes", "I understand that my account will be closed straight away and cannot be opened again")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Confirm that you understand your account will be closed and cannot be reopened"},
    )


class DecisionForm(forms.Form):
    ERASE = "erase"
    KEEP = "keep"
    decision = forms.ChoiceField(
        label="What have you decided?",
        choices=[(ERASE, "Erase these records"), (KEEP, "Keep them, and tell the doctor why")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to erase the records or keep them"},
    )
    reason = long_text(
        "Why the records are kept",
        hint=(
            "Only if you keep them. The doctor reads this, so write it for them: for example, that their support "
            f"is part of a formal process that requires the record, and for how long. Up to {NOTE_LIMIT:,} characters."
        ),
        limit=NOTE_LIMIT,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.KEEP and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Tell the doctor why their records are kept")
        return cleaned
