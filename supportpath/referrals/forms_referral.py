"""Forms for a referral made by someone else (a supervisor, appraiser, responsible officer or occupational health)."""

from django import forms

from supportpath.accounts.models import gmc_number_validator
from supportpath.accounts.services import find_doctor_by_gmc_number

from .models import ACCOUNT_MAX_LENGTH, REFERRER_ROUTES, Reason

COMMENT_MAX_LENGTH = 3000


class FindDoctorForm(forms.Form):
    gmc_number = forms.CharField(
        label="The doctor's GMC reference number",
        help_text="7 digits, for example 1234567",
        max_length=7,
        validators=[gmc_number_validator],
        error_messages={
            "required": "Enter the doctor's GMC reference number",
            "max_length": "A GMC reference number has 7 digits",
        },
    )
    full_name = forms.CharField(
        label="The doctor's full name (only if they have no account yet)",
        max_length=150,
        required=False,
    )
    email = forms.EmailField(
        label="The doctor's email address (only if they have no account yet)",
        help_text="We will invite them to create an account so that they can see the referral and their support.",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("gmc_number")
        if not number:
            return cleaned
        doctor = find_doctor_by_gmc_number(number)
        cleaned["doctor_id"] = doctor.pk if doctor else None
        if doctor is None:
            if not cleaned.get("full_name"):
                self.add_error("full_name", "No doctor with this GMC number has an account yet: enter their full name")
            if not cleaned.get("email"):
                self.add_error("email", "No doctor with this GMC number has an account yet: enter their email address")
        return cleaned


class ReferralDetailsForm(forms.Form):
    route = forms.ChoiceField(
        label="You are referring as their",
        choices=[(r.value, r.label.replace("Referred by ", "").capitalize()) for r in REFERRER_ROUTES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you know the doctor"},
    )
    reasons = forms.MultipleChoiceField(
        label="What might support help with?",
        help_text="Select all that apply.",
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing support might help with"},
    )
    description = forms.CharField(
        label="What have you noticed?",
        help_text=(
            "The doctor will read these words. Describe what you have seen or heard, with dates where you can, and "
            f"the doctor's strengths. Up to {ACCOUNT_MAX_LENGTH} characters."
        ),
        max_length=ACCOUNT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Describe what you have noticed",
            "max_length": f"What you have noticed must be {ACCOUNT_MAX_LENGTH} characters or fewer",
        },
    )
    discussed = forms.CharField(
        label="What have you already discussed with the doctor?",
        help_text="A referral should never come as a surprise. Up to 2000 characters.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Tell us what you have discussed with the doctor about this referral",
            "max_length": "What you discussed must be 2000 characters or fewer",
        },
    )
    mandated = forms.ChoiceField(
        label="Is this referral part of a formal, mandated process?",
        help_text=(
            "For example, conditions set by a responsible officer. If it is, the doctor cannot decline it, and the "
            "people who require it are told only the minimum the process needs."
        ),
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this referral is mandated"},
    )


class DoctorCommentForm(forms.Form):
    text = forms.CharField(
        label="Add your own account",
        help_text=f"Tell us what is happening in your own words. Up to {COMMENT_MAX_LENGTH} characters.",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Write your account before saving",
            "max_length": f"Your account must be {COMMENT_MAX_LENGTH} characters or fewer",
        },
    )


class AcceptInvitationForm(forms.Form):
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
