"""The account forms. Every message is in plain words and every limit is stated on the page: Django's own
English ("Ensure this value has at most ...", "Select a valid choice ...") never reaches anyone."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm

from supportpath.core.form_fields import UK_PHONE

from .models import (
    SUPPORT_SERVICE_KINDS,
    CareerStage,
    ContractType,
    DoctorProfile,
    Organisation,
    QualificationRegion,
    User,
    gmc_number_validator,
)

NOT_LISTED = "not_listed"
NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length  # 150
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length  # 254
SPECIALTY_MAX_LENGTH = DoctorProfile._meta.get_field("specialty").max_length  # 120
PHONE_MAX_LENGTH = 20
PASSWORD_HINT = "At least 12 characters. A few words strung together is easy to remember and hard to guess."


def email_field(label: str = "Email address", *, hint: str = "") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=EMAIL_MAX_LENGTH,
        help_text=hint or None,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
            "max_length": f"An email address must be {EMAIL_MAX_LENGTH:,} characters or fewer",
        },
    )


def full_name_field() -> forms.CharField:
    return forms.CharField(
        label="Your full name",
        max_length=NAME_MAX_LENGTH,
        help_text=f"Up to {NAME_MAX_LENGTH:,} characters.",
        error_messages={
            "required": "Enter your full name",
            "max_length": f"Your full name must be {NAME_MAX_LENGTH:,} characters or fewer",
        },
    )


def _choice_field(label: str, choices, *, required: str, invalid: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": invalid},
    )


def career_stage_field() -> forms.ChoiceField:
    return _choice_field(
        "Your career stage",
        CareerStage.choices,
        required="Select your career stage",
        invalid="Select your career stage from the list",
    )


def contract_type_field() -> forms.ChoiceField:
    return _choice_field(
        "Your contract",
        ContractType.choices,
        required="Select your type of contract",
        invalid="Select your type of contract from the list",
    )


_CONTRACT_FOR_STAGE = {
    CareerStage.FOUNDATION: ContractType.RESIDENT,
    CareerStage.SPECIALTY_TRAINEE: ContractType.RESIDENT,
    CareerStage.SAS: ContractType.SAS,
    CareerStage.LOCALLY_EMPLOYED: ContractType.LOCALLY_EMPLOYED,
    CareerStage.CONSULTANT: ContractType.CONSULTANT,
    CareerStage.GP: ContractType.GP,
    # A doctor whose stage is none of the above is, on a contract, most often locally employed; they can
    # correct it on "Your details".
    CareerStage.OTHER: ContractType.LOCALLY_EMPLOYED,
}


def contract_type_for(career_stage: str, *, locum: bool) -> str:
    """The contract type, from what registration asks (career stage, and whether the doctor works as a locum)."""
    return ContractType.LOCUM if locum else _CONTRACT_FOR_STAGE[CareerStage(career_stage)]


def qualification_region_field() -> forms.ChoiceField:
    return _choice_field(
        "Where did you gain your primary medical qualification?",
        QualificationRegion.choices,
        required="Select where you gained your primary medical qualification",
        invalid="Select where you gained your primary medical qualification from the list",
    )


def specialty_field() -> forms.CharField:
    return forms.CharField(
        label="Specialty (optional)",
        help_text=f"For example, general practice or anaesthetics. Up to {SPECIALTY_MAX_LENGTH:,} characters.",
        max_length=SPECIALTY_MAX_LENGTH,
        required=False,
        error_messages={"max_length": f"Your specialty must be {SPECIALTY_MAX_LENGTH:,} characters or fewer"},
    )


def employer_field() -> forms.ChoiceField:
    """Choices are filled per form (``employer_choices``): the list of organisations changes."""
    message = "Select where you work, or choose 'Not listed'"
    return forms.ChoiceField(
        label="Where do you work?",
        help_text=(
            "This tells us which support service is yours. Your employer is not told that you have asked for support."
        ),
        error_messages={"required": message, "invalid_choice": "Select where you work from the list"},
    )


def _employers():
    """Organisations that employ doctors: not the support services themselves, which nobody asking for support
    works for (and whose names in the list read as if the doctor were choosing a service)."""
    return Organisation.objects.exclude(kind__in=SUPPORT_SERVICE_KINDS)


def employer_choices() -> list[tuple[str, str]]:
    return [
        ("", "Choose where you work"),
        *[(str(o.pk), o.name) for o in _employers().only("id", "name")],
        (NOT_LISTED, "Not listed, or I work as a locum"),
    ]


def clean_employer_choice(value: str) -> Organisation | None:
    if value == NOT_LISTED:
        return None
    employer = _employers().filter(pk=value).first()
    if employer is None:
        raise forms.ValidationError("Select where you work from the list")
    return employer


class SignInForm(forms.Form):
    email = email_field()
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
    """The doctor's details. No password here: it is chosen from the emailed link, by whoever owns the address."""

    full_name = full_name_field()
    email = email_field(
        hint=f"We only use it to contact you about your support. Up to {EMAIL_MAX_LENGTH:,} characters."
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
    career_stage = career_stage_field()
    # Career stage already says most of what a contract would (a trainee is a resident doctor, a consultant a
    # consultant): the one thing it cannot say is whether the doctor works as a locum. The contract type kept
    # for the service's reports is worked out from the two (``contract_type_for``).
    locum = _choice_field(
        "Do you work as a locum?",
        [("no", "No"), ("yes", "Yes")],
        required="Select whether you work as a locum",
        invalid="Select whether you work as a locum",
    )
    specialty = specialty_field()
    qualification_region = qualification_region_field()
    employer = employer_field()
    # Makes a double submission one pending registration (and one email).
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = employer_choices()

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean_gmc_number(self):
        return self.cleaned_data["gmc_number"].strip()

    def clean_employer(self):
        return clean_employer_choice(self.cleaned_data["employer"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("career_stage") and cleaned.get("locum"):
            cleaned["contract_type"] = contract_type_for(cleaned["career_stage"], locum=cleaned["locum"] == "yes")
        return cleaned

    def clean_submission_token(self):
        token = self.cleaned_data.get("submission_token")
        if token is None:
            # Only a hand-made request lacks it; the person just sends the form again.
            raise forms.ValidationError("Something went wrong. Check your answers and select 'Continue' again")
        return token


class NewPasswordForm(forms.Form):
    """A new password, checked with the project's validators (length, common passwords, similarity to the
    person's name and email address; no composition rules). Django's reset view passes ``user``."""

    password = forms.CharField(
        label="Create a password",
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Create a password"},
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password

    def save(self, commit: bool = True) -> User:
        from .services import set_new_password

        return set_new_password(self.user, self.cleaned_data["password"])


class ForgottenPasswordForm(PasswordResetForm):
    """Django's reset form, with two changes: accounts with no usable password yet are included (see
    ``services.users_for_password_reset``), and ``save`` sends nothing itself: it queues a background task
    that finds the account and emails the link, so the request takes the same time whoever the address is."""

    email = email_field(hint="The address you use to sign in.")

    def get_users(self, email):
        from .services import users_for_password_reset

        return iter(users_for_password_reset(email))

    def save(self, *, request=None, **kwargs) -> None:
        from .services import ask_for_password_reset

        ask_for_password_reset(request, self.cleaned_data["email"])


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456",
        max_length=12,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "Enter the 6 digits the app shows, like 123456",
        },
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
        error_messages={
            "required": "Enter the code from your authenticator app, or a backup code",
            "max_length": "Enter the 6-digit code from your app, or an 8-character backup code",
        },
    )


# "Your details": one question per page, each changing one thing on the doctor's profile.


class _DetailForm(forms.Form):
    attribute = ""

    def __init__(self, *args, profile: DoctorProfile, **kwargs):
        self.profile = profile
        kwargs.setdefault("initial", {self.attribute: self.initial_value(profile)})
        super().__init__(*args, **kwargs)

    def initial_value(self, profile: DoctorProfile):
        return getattr(profile, self.attribute)

    def save(self) -> None:
        from .services import update_doctor_detail

        update_doctor_detail(self.profile, self.attribute, self.cleaned_data[self.attribute])


class CareerStageForm(_DetailForm):
    attribute = "career_stage"
    career_stage = career_stage_field()


class ContractTypeForm(_DetailForm):
    attribute = "contract_type"
    contract_type = contract_type_field()


class SpecialtyForm(_DetailForm):
    attribute = "specialty"
    specialty = specialty_field()

    def clean_specialty(self):
        return self.cleaned_data["specialty"].strip()


class QualificationRegionForm(_DetailForm):
    attribute = "qualification_region"
    qualification_region = qualification_region_field()


class EmployerForm(_DetailForm):
    attribute = "employer"
    employer = employer_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = employer_choices()

    def initial_value(self, profile: DoctorProfile):
        return str(profile.employer_id) if profile.employer_id else NOT_LISTED

    def clean_employer(self):
        return clean_employer_choice(self.cleaned_data["employer"])


class PhoneForm(_DetailForm):
    attribute = "phone"
    phone = forms.CharField(
        label="Phone number (optional)",
        help_text="A UK number, for example 07700 900 982. Leave it empty if you would rather we did not phone you.",
        max_length=PHONE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": "Enter a UK phone number, like 07700 900 982 or +44 7700 900 982"},
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not UK_PHONE.match(phone):
            raise forms.ValidationError("Enter a UK phone number, like 07700 900 982 or +44 7700 900 982")
        return phone


CONTACT_TIMES_MAX_LENGTH = 300


class PreferredContactTimesForm(_DetailForm):
    attribute = "preferred_contact_times"
    preferred_contact_times = forms.CharField(
        label="Preferred times to be contacted (optional)",
        help_text=(
            "For example, weekday evenings after 6pm, or not on Tuesdays. Your case manager and facilitator see "
            f"this with your phone number. Up to {CONTACT_TIMES_MAX_LENGTH} characters."
        ),
        max_length=CONTACT_TIMES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
        error_messages={"max_length": f"Preferred times must be {CONTACT_TIMES_MAX_LENGTH} characters or fewer"},
    )

    def clean_preferred_contact_times(self):
        return self.cleaned_data["preferred_contact_times"].strip()


# The slug in the URL of each "Change" page -> its form.
DETAIL_FORMS: dict[str, type[_DetailForm]] = {
    "career-stage": CareerStageForm,
    "contract": ContractTypeForm,
    "specialty": SpecialtyForm,
    "primary-medical-qualification": QualificationRegionForm,
    "employer": EmployerForm,
    "phone": PhoneForm,
    "preferred-contact-times": PreferredContactTimesForm,
}
