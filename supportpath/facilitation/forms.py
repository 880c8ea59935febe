"""Forms for facilitator profiles, the doctor's preferences and allocations."""

import uuid

from django import forms
from django.db.models import Q

from supportpath.accounts.models import Organisation
from supportpath.core.form_fields import not_in_future, uk_date

from .models import REASON_LIMIT, FacilitatorProfile, FacilitatorRole, Gender, IntroductionOutcome, Specialism

YES_NO = [("yes", "Yes"), ("no", "No")]
ACCREDITATION_LIMIT = 200
ABOUT_LIMIT = 600
ANYTHING_ELSE_LIMIT = 1000
# Hidden fields are only wrong if the page was tampered with or is very old: say so plainly.
STALE_PAGE = "This page is out of date. Go back, reload the page and try again"


def _lower_first(label: str) -> str:
    return label[0].lower() + label[1:].rstrip("?")


def yes_no(label: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Select yes or no: {_lower_first(label)}",
            "invalid_choice": f"Select yes or no: {_lower_first(label)}",
        },
        **kwargs,
    )


def submission_token() -> forms.UUIDField:
    """Names one showing of a form, so that sending it twice is recognised as the same submission."""
    return forms.UUIDField(
        widget=forms.HiddenInput, required=False, error_messages={"invalid": STALE_PAGE, "required": STALE_PAGE}
    )


def conflict_choices(service: Organisation, profile: FacilitatorProfile | None = None):
    """The organisations a facilitator of ``service`` could have a conflict with: those the service supports,
    and the service itself (plus any already recorded, so nothing is dropped unseen)."""
    where = Q(support_service=service) | Q(pk=service.pk)
    if profile is not None and profile.pk:
        where |= Q(pk__in=profile.conflicted_organisations.values("pk"))
    return Organisation.objects.filter(where).order_by("name")


class ProfileForm(forms.Form):
    """A facilitator's profile. The service sets the role, capacity, conflicts and whether they take cases;
    the facilitator keeps the rest up to date."""

    SERVICE_FIELDS = ("role", "capacity", "conflicted_organisations", "accepting_cases")

    role = forms.ChoiceField(
        label="Role",
        choices=FacilitatorRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the facilitator's role",
            "invalid_choice": "Select one of the roles listed",
        },
    )
    accreditation = forms.CharField(
        label="Accreditation (optional)",
        help_text=f"For example, a coaching accreditation and its level. Up to {ACCREDITATION_LIMIT:,} characters.",
        max_length=ACCREDITATION_LIMIT,
        required=False,
        error_messages={"max_length": f"Accreditation must be {ACCREDITATION_LIMIT:,} characters or fewer"},
    )
    about = forms.CharField(
        label="About you, for doctors (optional)",
        help_text=f"A few sentences a doctor reads before meeting you. Up to {ABOUT_LIMIT:,} characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=ABOUT_LIMIT,
        required=False,
        error_messages={"max_length": f"About you must be {ABOUT_LIMIT:,} characters or fewer"},
    )
    specialisms = forms.MultipleChoiceField(
        label="Experienced in",
        choices=Specialism.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Select only the kinds of experience listed",
            "invalid_list": "Select only the kinds of experience listed",
        },
    )
    gender = forms.ChoiceField(
        label="Gender (doctors may ask for a facilitator of a particular gender)",
        choices=[*Gender.choices, ("", "Prefer not to say")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select one of the answers listed"},
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
        help_text="Your service and the organisations it supports. Tick any where the facilitator works or has close "
        "ties.",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Select only organisations your service supports",
            "invalid_pk_value": "Select only organisations your service supports",
            "invalid_list": "Select only organisations your service supports",
        },
    )
    accepting_cases = yes_no("Taking new cases?")
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, error_messages={"invalid": STALE_PAGE, "required": STALE_PAGE}
    )
    submission_token = submission_token()

    def __init__(
        self,
        *args,
        as_service: bool,
        service: Organisation,
        profile: FacilitatorProfile | None = None,
        about_someone_else: str = "",
        **kwargs,
    ):
        """``about_someone_else``: the facilitator's name, when someone else (a case manager or service admin)
        fills in the form, so its questions speak about the facilitator rather than to "you"."""
        super().__init__(*args, **kwargs)
        if about_someone_else:
            self._speak_about(about_someone_else)
        if not as_service:
            for name in self.SERVICE_FIELDS:
                del self.fields[name]
        else:
            self.fields["conflicted_organisations"].queryset = conflict_choices(service, profile)

    def _speak_about(self, name: str) -> None:
        third_person = {
            "about": (
                f"About {name}, for doctors (optional)",
                f"A few sentences a doctor reads before meeting {name}. Up to {ABOUT_LIMIT:,} characters.",
                f"About {name} must be {ABOUT_LIMIT:,} characters or fewer",
            ),
            "trained_outside_uk": f"Did {name} gain their primary medical qualification outside the UK?",
            "meets_in_person": f"Can {name} meet doctors in person?",
        }
        about = self.fields["about"]
        about.label, about.help_text, about.error_messages["max_length"] = third_person.pop("about")
        for field_name, label in third_person.items():
            field = self.fields[field_name]
            field.label = label
            field.error_messages = {key: f"Select yes or no: {_lower_first(label)}" for key in field.error_messages}

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
            "submission_token": new_token(),
        }


class PreferencesForm(forms.Form):
    gender = forms.ChoiceField(
        label="Would you like a facilitator of a particular gender?",
        choices=[("", "No preference"), *[(v, label) for v, label in Gender.choices]],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select one of the answers listed"},
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
        max_length=ANYTHING_ELSE_LIMIT,
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
        error_messages={
            "required": "Select whether you accept or decline the case",
            "invalid_choice": "Select whether you accept or decline the case",
        },
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


def new_token() -> str:
    return str(uuid.uuid4())


class IntroductionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did the introduction go?",
        choices=IntroductionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the introduction took place or the doctor decided not to go ahead",
            "invalid_choice": "Select one of the answers listed",
        },
    )
    held_on = uk_date("Date of the introduction", "20/11/2026", required=False)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        return not_in_future(held_on, "introduction") if held_on else held_on

    def clean(self):
        data = super().clean()
        if data.get("outcome") == IntroductionOutcome.HELD and not data.get("held_on") and "held_on" not in self.errors:
            self.add_error("held_on", "Enter the date of the introduction")
        return data
