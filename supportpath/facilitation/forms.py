"""Forms for facilitator profiles, the doctor's preferences and allocations."""

from django import forms

from supportpath.accounts.models import Organisation

from .models import REASON_LIMIT, FacilitatorProfile, FacilitatorRole, Gender, Specialism

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(label: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:].rstrip('?')}"},
        **kwargs,
    )


class ProfileForm(forms.Form):
    """A facilitator's profile. The service sets the role, capacity, conflicts and whether they take cases;
    the facilitator keeps the rest up to date."""

    SERVICE_FIELDS = ("role", "capacity", "conflicted_organisations", "accepting_cases")

    role = forms.ChoiceField(
        label="Role",
        choices=FacilitatorRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the facilitator's role"},
    )
    accreditation = forms.CharField(
        label="Accreditation (optional)",
        help_text="For example, a coaching accreditation and its level",
        max_length=200,
        required=False,
    )
    about = forms.CharField(
        label="About you, for doctors (optional)",
        help_text="A few sentences a doctor reads before meeting you. Up to 600 characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=600,
        required=False,
        error_messages={"max_length": "About you must be 600 characters or fewer"},
    )
    specialisms = forms.MultipleChoiceField(
        label="Experienced in",
        choices=Specialism.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    gender = forms.ChoiceField(
        label="Gender (doctors may ask for a facilitator of a particular gender)",
        choices=[*Gender.choices, ("", "Prefer not to say")],
        widget=forms.RadioSelect,
        required=False,
    )
    trained_outside_uk = yes_no("Did you gain your primary medical qualification outside the UK?")
    meets_in_person = yes_no("Can you meet doctors in person?")
    capacity = forms.IntegerField(
        label="Most active cases at once",
        min_value=0,
        max_value=50,
        error_messages={
            "required": "Enter the most active cases this facilitator can hold",
            "invalid": "Enter a whole number, like 4",
            "min_value": "The most active cases cannot be below 0",
            "max_value": "The most active cases must be 50 or fewer",
        },
    )
    conflicted_organisations = forms.ModelMultipleChoiceField(
        label="Organisations whose doctors this facilitator must not support (conflicts of interest)",
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accepting_cases = yes_no("Taking new cases?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, as_service: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not as_service:
            for name in self.SERVICE_FIELDS:
                del self.fields[name]

    @classmethod
    def initial_for(cls, profile: FacilitatorProfile) -> dict:
        return {
            "role": profile.role,
            "accreditation": profile.accreditation,
            "about": profile.about,
            "specialisms": profile.specialisms,
            "gender": profile.gender,
            "trained_outside_uk": "yes" if profile.trained_outside_uk else "no",
            "meets_in_person": "yes" if profile.meets_in_person else "no",
            "capacity": profile.capacity,
            "conflicted_organisations": [o.pk for o in profile.conflicted_organisations.all()],
            "accepting_cases": "yes" if profile.accepting_cases else "no",
            "version": profile.version,
        }


class PreferencesForm(forms.Form):
    gender = forms.ChoiceField(
        label="Would you like a facilitator of a particular gender?",
        choices=[("", "No preference"), *[(v, label) for v, label in Gender.choices]],
        widget=forms.RadioSelect,
        required=False,
    )
    in_person = yes_no("Would you like to meet in person?")
    trained_outside_uk = yes_no(
        "Would you like a facilitator who, like many doctors, gained their primary medical qualification outside "
        "the UK?"
    )
    anything_else = forms.CharField(
        label="Anything else we should know when choosing (optional)",
        help_text="Up to 1,000 characters. Only the case manager reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        error_messages={"max_length": "This must be 1,000 characters or fewer"},
    )


class ProposeForm(forms.Form):
    facilitator = forms.TypedChoiceField(
        label="Choose a facilitator",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a facilitator", "invalid_choice": "Choose one of the facilitators listed"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = choices


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label="Can you support this doctor?",
        choices=[("accept", "Yes, I accept this case"), ("decline", "No, I need to decline it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept or decline the case"},
    )
    reason = forms.CharField(
        label="If you decline, why? (the case manager reads this)",
        help_text="Up to 1,000 characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_LIMIT,
        required=False,
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you are declining, so the case manager can find someone else")
        return data
