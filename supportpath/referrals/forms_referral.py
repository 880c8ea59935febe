"""Forms for a referral made by someone else (a supervisor, appraiser, responsible officer or occupational health)."""

from django import forms

from supportpath.accounts.models import CareerStage, ContractType, QualificationRegion

from .forms_common import GMCNumberField, choice_messages, parse_token
from .models import (
    ACCOUNT_MAX_LENGTH,
    OTHER_REASON_MAX_LENGTH,
    REFERRER_REASON_LABELS,
    REFERRER_ROUTES,
    SHORT_TEXT_MAX_LENGTH,
    Reason,
)

COMMENT_MAX_LENGTH = 3000
NAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254
DISCUSSED_MAX_LENGTH = 2000


class FindDoctorForm(forms.Form):
    """Always the same three questions, whether or not the doctor has an account: the answer to that is
    never shown to the referrer (it would say the doctor has used a support service)."""

    gmc_number = GMCNumberField(
        label="The doctor's GMC reference number", required_message="Enter the doctor's GMC reference number"
    )
    full_name = forms.CharField(
        label="The doctor's full name",
        help_text=f"Up to {NAME_MAX_LENGTH:,} characters.",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter the doctor's full name",
            "max_length": f"The doctor's name must be {NAME_MAX_LENGTH:,} characters or fewer",
        },
    )
    email = forms.EmailField(
        label="The doctor's email address",
        help_text=(
            "Their work email address is usually best. We use it only to tell them about the referral. "
            f"Up to {EMAIL_MAX_LENGTH:,} characters."
        ),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter the doctor's email address",
            "invalid": "Enter an email address like name@example.com",
            "max_length": f"The email address must be {EMAIL_MAX_LENGTH:,} characters or fewer",
        },
    )

    def clean_email(self):
        return self.cleaned_data["email"].lower()


class ReferralDetailsForm(forms.Form):
    route = forms.ChoiceField(
        label="How do you know the doctor?",
        choices=[(r.value, r.label.replace("Referred by ", "").capitalize()) for r in REFERRER_ROUTES],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how you know the doctor"),
    )
    reasons = forms.MultipleChoiceField(
        label="What might support help with?",
        help_text="Select all that apply.",
        choices=[(reason.value, REFERRER_REASON_LABELS[reason]) for reason in Reason],
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one thing support might help with"),
    )
    other_reason = forms.CharField(
        label="If something else, what might support help with?",
        help_text=f"Up to {OTHER_REASON_MAX_LENGTH:,} characters.",
        max_length=OTHER_REASON_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": f"What else support might help with must be {OTHER_REASON_MAX_LENGTH:,} characters or fewer"
        },
    )
    description = forms.CharField(
        label="What have you noticed?",
        help_text=(
            "The doctor will read these words. Describe what you have seen or heard, with dates where you can, and "
            f"the doctor's strengths. Up to {ACCOUNT_MAX_LENGTH:,} characters."
        ),
        max_length=ACCOUNT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Describe what you have noticed",
            "max_length": f"What you have noticed must be {ACCOUNT_MAX_LENGTH:,} characters or fewer",
        },
    )
    discussed = forms.CharField(
        label="What have you already discussed with the doctor?",
        help_text=f"A referral should never come as a surprise. Up to {DISCUSSED_MAX_LENGTH:,} characters.",
        max_length=DISCUSSED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Tell us what you have discussed with the doctor about this referral",
            "max_length": f"What you discussed must be {DISCUSSED_MAX_LENGTH:,} characters or fewer",
        },
    )
    urgent = forms.ChoiceField(
        label="Is there anything that makes this urgent?",
        help_text=(
            "For example, you are worried about the doctor's safety, or something is happening in the next few "
            "days. An urgent referral is seen by the service's case managers at once. If someone is in danger "
            "now, call 999."
        ),
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether anything makes this referral urgent"),
    )
    urgency_details = forms.CharField(
        label="If yes, what makes it urgent? (optional)",
        required=False,
        max_length=SHORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"The doctor will read these words too. Up to {SHORT_TEXT_MAX_LENGTH} characters.",
        error_messages={"max_length": f"What makes it urgent must be {SHORT_TEXT_MAX_LENGTH} characters or fewer"},
    )
    mandated = forms.ChoiceField(
        label="Is this referral part of a formal, mandated process?",
        help_text=(
            "For example, conditions set by a responsible officer. If it is, the doctor cannot decline it, and the "
            "people who require it are told only the minimum the process needs."
        ),
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether this referral is mandated"),
    )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("reasons", [])
        if Reason.OTHER in chosen and not cleaned.get("other_reason", "").strip():
            self.add_error("other_reason", "Tell us what else support might help with")
        if Reason.OTHER not in chosen:
            cleaned["other_reason"] = ""
        if cleaned.get("urgent") != "yes":
            cleaned["urgency_details"] = ""
        return cleaned


class DoctorCommentForm(forms.Form):
    text = forms.CharField(
        label="Add your own account",
        help_text=f"Tell us what is happening in your own words. Up to {COMMENT_MAX_LENGTH:,} characters.",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Write your account before saving",
            "max_length": f"Your account must be {COMMENT_MAX_LENGTH:,} characters or fewer",
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_token(self):
        # A token changed into something else is no reason to lose what the doctor wrote: save it once anyway.
        return parse_token(self.cleaned_data["token"])


class AcceptInvitationForm(forms.Form):
    career_stage = forms.ChoiceField(
        label="Your career stage",
        choices=CareerStage.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select your career stage"),
    )
    contract_type = forms.ChoiceField(
        label="Your contract",
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select your type of contract"),
    )
    qualification_region = forms.ChoiceField(
        label="Where did you gain your primary medical qualification?",
        choices=QualificationRegion.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select where you gained your primary medical qualification"),
    )
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few words strung together is easy to remember and hard to guess.",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Create a password"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        from django.contrib.auth import password_validation

        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password
