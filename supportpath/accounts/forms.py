from django import forms
from django.contrib.auth import authenticate, password_validation

from .models import (
    CareerStage,
    ContractType,
    DoctorProfile,
    Organisation,
    QualificationRegion,
    User,
    gmc_number_validator,
)

NOT_LISTED = "not_listed"


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address", error_messages={"required": "Enter your email address"})
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput, strip=False, error_messages={"required": "Enter your password"}
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None:
                # One message whether or not the account exists, so the form reveals nothing.
                raise forms.ValidationError("The email address or password is not right. Check them and try again.")
        return cleaned


class DoctorRegistrationForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will only use this to contact you about your support.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    gmc_number = forms.CharField(
        label="GMC reference number",
        help_text="7 digits, for example 1234567",
        max_length=7,
        validators=[gmc_number_validator],
        error_messages={
            "required": "Enter your GMC reference number",
            "max_length": "A GMC reference number has 7 digits",
        },
    )
    career_stage = forms.ChoiceField(
        label="Your career stage",
        choices=CareerStage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your career stage"},
    )
    contract_type = forms.ChoiceField(
        label="Your contract",
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your type of contract"},
    )
    specialty = forms.CharField(label="Specialty (optional)", max_length=120, required=False)
    qualification_region = forms.ChoiceField(
        label="Where did you gain your primary medical qualification?",
        choices=QualificationRegion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where you gained your primary medical qualification"},
    )
    employer = forms.ChoiceField(
        label="Where do you work?",
        help_text=(
            "This tells us which support service is yours. Your employer is not told that you have asked for support."
        ),
        error_messages={"required": "Select where you work, or choose 'Not listed'"},
    )
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few words strung together is easy to remember and hard to guess.",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Create a password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.only("id", "name")
        self.fields["employer"].choices = [
            ("", "Choose where you work"),
            *[(str(o.pk), o.name) for o in organisations],
            (NOT_LISTED, "Not listed, or I work as a locum"),
        ]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("An account already uses this email address. Sign in instead.")
        return email

    def clean_gmc_number(self):
        number = self.cleaned_data["gmc_number"]
        if DoctorProfile.objects.with_gmc_number(number).exists():
            raise forms.ValidationError(
                "An account already uses this GMC reference number. Sign in, or contact the service if that is wrong."
            )
        return number

    def clean_employer(self):
        value = self.cleaned_data["employer"]
        if value == NOT_LISTED:
            return None
        return Organisation.objects.filter(pk=value).first() or self._invalid_employer()

    def _invalid_employer(self):
        raise forms.ValidationError("Select where you work from the list")

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits the app shows, like 123456")
        return code


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your backup codes",
        max_length=24,
        error_messages={"required": "Enter the code from your authenticator app, or a backup code"},
    )
