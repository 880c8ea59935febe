import uuid

from django import forms

from supportpath.core.form_fields import UK_PHONE, long_text

from .models import MESSAGE_MAX_LENGTH

STALE_PAGE = "This page is out of date. Go back, reload the page and try again"


class MessageForm(forms.Form):
    text = long_text("Your message", required=True, limit=MESSAGE_MAX_LENGTH)
    # Names one showing of the form, so that pressing "Send" twice sends one message.
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={"invalid": STALE_PAGE, "required": STALE_PAGE})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"token": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter your message"

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter your message")
        return text


class WorkPhoneForm(forms.Form):
    work_phone = forms.CharField(
        label="Your work phone number (optional)",
        help_text="The doctors you support see it with your work email. For example, 0113 496 0000.",
        max_length=20,
        required=False,
        error_messages={"max_length": "Enter a UK phone number, like 0113 496 0000"},
    )

    def clean_work_phone(self):
        phone = self.cleaned_data["work_phone"].strip()
        if phone and not UK_PHONE.match(phone):
            raise forms.ValidationError("Enter a UK phone number, like 0113 496 0000")
        return phone
