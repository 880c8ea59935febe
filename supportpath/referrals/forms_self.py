"""One question per page: the forms of the self-referral journey."""

import re

from django import forms

from supportpath.accounts.models import Organisation

from .forms_common import choice_messages
from .models import ACCOUNT_MAX_LENGTH, OTHER_REASON_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH, ContactMethod, Reason

YES_NO = [("no", "No"), ("yes", "Yes")]
UK_PHONE = re.compile(r"^(?:\+44\s?|0)(?:\d\s?){9,10}$")


class ReasonsForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label="What would you like help with?",
        help_text="Select all that apply.",
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one thing you would like help with"),
    )
    other_reason = forms.CharField(
        label="If something else, tell us what",
        help_text=f"Up to {OTHER_REASON_MAX_LENGTH:,} characters.",
        max_length=OTHER_REASON_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": f"What else you would like help with must be {OTHER_REASON_MAX_LENGTH:,} characters or fewer"
        },
    )

    def clean(self):
        cleaned = super().clean()
        if Reason.OTHER in cleaned.get("reasons", []) and not cleaned.get("other_reason", "").strip():
            self.add_error("other_reason", "Tell us what else you would like help with")
        if Reason.OTHER not in cleaned.get("reasons", []):
            cleaned["other_reason"] = ""
        return cleaned


class AccountForm(forms.Form):
    account = forms.CharField(
        label="In your own words, what is happening?",
        help_text=(
            "Tell us as much or as little as you like: what is hard at the moment, what is going well, and what "
            f"you would like to be different. Up to {ACCOUNT_MAX_LENGTH:,} characters."
        ),
        max_length=ACCOUNT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Tell us a little about what is happening",
            "max_length": f"What is happening must be {ACCOUNT_MAX_LENGTH:,} characters or fewer",
        },
    )


class ContactForm(forms.Form):
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how we should contact you"),
    )
    phone = forms.CharField(
        label="Phone number (if we are to phone you)",
        help_text="A UK number, for example 07700 900 982",
        required=False,
        max_length=20,
        error_messages={"max_length": "Enter a UK phone number, like 07700 900 982 or +44 7700 900 982"},
    )
    contact_times = forms.CharField(
        label="When is a good time to contact you? (optional)",
        help_text=f"For example, 'weekday evenings' or 'not on Mondays'. Up to {SHORT_TEXT_MAX_LENGTH:,} characters.",
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": f"Good times to contact you must be {SHORT_TEXT_MAX_LENGTH:,} characters or fewer"
        },
    )

    def clean(self):
        cleaned = super().clean()
        method, phone = cleaned.get("contact_method"), cleaned.get("phone", "").strip()
        if method in (ContactMethod.PHONE, ContactMethod.EITHER):
            if "phone" in self.errors:
                pass  # already has its one message
            elif not phone:
                self.add_error("phone", "Enter a phone number so that we can call you")
            elif not UK_PHONE.match(phone):
                self.add_error("phone", "Enter a UK phone number, like 07700 900 982 or +44 7700 900 982")
        else:
            cleaned["phone"] = ""
        return cleaned


class EmployerForm(forms.Form):
    employer_may_be_told = forms.ChoiceField(
        label="May we tell your employer that you have asked for support?",
        help_text=(
            "Most people say no, and that is fine: nothing reaches your employer unless you agree. If you say yes, "
            "their responsible officer and medical director see only that you asked for support and its stage. "
            "You can change this at any time."
        ),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether we may tell your employer"),
    )


class UrgencyForm(forms.Form):
    urgent = forms.ChoiceField(
        label="Is there anything that makes this urgent?",
        help_text="For example, you are worried about your safety, or something is happening in the next few days.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether anything makes this urgent"),
    )
    urgency_details = forms.CharField(
        label="If yes, what makes it urgent? (optional)",
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Up to {SHORT_TEXT_MAX_LENGTH:,} characters.",
        error_messages={"max_length": f"What makes it urgent must be {SHORT_TEXT_MAX_LENGTH:,} characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("urgent") != "yes":
            cleaned["urgency_details"] = ""
        return cleaned


class ServiceForm(forms.Form):
    service = forms.ChoiceField(
        label="Which support service would you like to ask?",
        help_text="Choose the service for the area or organisation you work in.",
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select a support service"),
    )

    def __init__(self, *args, services: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(str(s.pk), s.name) for s in services]
