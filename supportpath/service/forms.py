"""Forms for the service admin's pages about people and organisations. Every message in plain words."""

import re

from django import forms

from supportpath.accounts.forms import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from supportpath.accounts.models import Organisation, OrganisationKind, Role
from supportpath.plans.forms import submission_token
from supportpath.plans.models import DESCRIPTION_LIMIT, Intervention, InterventionType
from supportpath.plans.models import NAME_LIMIT as ENTRY_LIMIT

from .services import ODS_FORMATS, SERVED_KINDS

NAME_LIMIT = Organisation._meta.get_field("name").max_length
JOB_TITLE_LIMIT = 120
NAME_TAKEN = "The catalogue already has support with this name"
# What each role of an organisation the service serves does on supportpath, under its name on the invitation form.
ORGANISATION_ROLE_HINTS = {
    Role.REFERRER: "Refers doctors to your service, like an educational supervisor, appraiser or occupational "
    "health physician.",
    Role.RESPONSIBLE_OFFICER: "The organisation's responsible officer for revalidation. Sees only what each doctor "
    "agrees to share.",
    Role.ORGANISATION_LEAD: "A medical director, practice manager or well-being lead. Runs the organisation's "
    "culture pulse and self-assessment, and a GP practice's peer-support check. Sees no doctor's own records.",
}


def _role_field(roles, label: str = "Role") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(r, Role(r).label) for r in roles],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role from the list"},
    )


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=NAME_MAX_LENGTH,
        help_text="As they would like colleagues and doctors to see it.",
        error_messages={
            "required": "Enter their full name",
            "max_length": f"Their full name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="We email them a link to join. It works once, for a few days.",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address like name@example.nhs.uk",
            "max_length": f"An email address must be {EMAIL_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, roles, with_job_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(roles)
        self.role_hints = {role: ORGANISATION_ROLE_HINTS[role] for role in roles if role in ORGANISATION_ROLE_HINTS}
        if with_job_title:
            self.fields["job_title"] = forms.CharField(
                label="Job title (optional)",
                required=False,
                max_length=JOB_TITLE_LIMIT,
                help_text="Like Educational supervisor or Practice manager. The doctors a referrer refers see it.",
                error_messages={"max_length": f"The job title must be {JOB_TITLE_LIMIT} characters or fewer"},
            )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


def _taker_field(role: str, people) -> forms.ChoiceField:
    word = Role(role).label.lower()
    return forms.ChoiceField(
        label=f"Who takes over as {word}?",
        choices=[(str(p.pk), p.full_name) for p in people],
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Select who takes over as {word}",
            "invalid_choice": f"Choose one of the {word}s of the service to take over",
        },
    )


class EndMembershipForm(forms.Form):
    """Ending a membership; when it holds open work, who takes it over."""

    def __init__(self, *args, work_role: str | None = None, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        if work_role:
            self.fields["takes_over"] = _taker_field(work_role, people)


class ChangeRoleForm(EndMembershipForm):
    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"role": _role_field(roles, "New role"), **self.fields}


class MoveCaseForm(forms.Form):
    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["takes_over"] = forms.ChoiceField(
            label="Who will be the case manager?",
            choices=[(str(p.pk), p.full_name) for p in people],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select who will be the case manager",
                "invalid_choice": "Select a case manager of the service from the list",
            },
        )


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=[(k, OrganisationKind(k).label) for k in SERVED_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of organisation",
            "invalid_choice": "Select the type of organisation from the list",
        },
    )
    name = forms.CharField(
        label="Name",
        max_length=NAME_LIMIT,
        help_text="As doctors know it, like Northmoor Royal Infirmary NHS Foundation Trust.",
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": f"The name must be {NAME_LIMIT} characters or fewer",
        },
    )
    ods_code = forms.CharField(
        label="ODS code (optional)",
        required=False,
        max_length=10,
        help_text=(
            "The organisation's code in the NHS Organisation Data Service, like RJ1 for a trust or A81001 for a "
            "GP practice."
        ),
        error_messages={"max_length": "An ODS code is 10 characters or fewer"},
    )

    def clean_ods_code(self):
        return "".join(self.cleaned_data.get("ods_code", "").split()).upper()

    def clean(self):
        data = super().clean()
        code, kind = data.get("ods_code"), data.get("kind")
        if code:
            pattern, example = ODS_FORMATS.get(kind, (r"^[A-Z0-9]{3,10}$", "3 to 10 letters and numbers"))
            if not re.fullmatch(pattern, code):
                self.add_error("ods_code", f"Enter an ODS code of {example}")
        return data


# The service's interventions catalogue


class InterventionForm(forms.ModelForm):
    submission_token = submission_token()

    class Meta:
        model = Intervention
        fields = ["type", "name", "provider", "description", "active"]
        labels = {"type": "Type of support", "active": "Offer this to doctors now"}
        help_texts = {
            "name": f"Up to {ENTRY_LIMIT:,} characters.",
            "provider": f"Who provides it. Up to {ENTRY_LIMIT:,} characters.",
            "description": (
                f"Written for doctors: what it is and what to expect. Up to {DESCRIPTION_LIMIT:,} characters."
            ),
        }
        widgets = {"type": forms.Select, "description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "type": {
                "required": "Select the type of support",
                "invalid_choice": "Choose a type of support from the list",
            },
            "name": {"required": "Enter a name", "max_length": f"Name must be {ENTRY_LIMIT:,} characters or fewer"},
            "provider": {"max_length": f"Provider must be {ENTRY_LIMIT:,} characters or fewer"},
            "description": {"max_length": f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer"},
        }

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["type"].choices = InterventionType.choices

    def clean(self):
        data = super().clean()
        name, token = data.get("name"), data.get("submission_token")
        if name:
            clash = Intervention.objects.filter(service=self.service, name__iexact=name).exclude(pk=self.instance.pk)
            if token:
                clash = clash.exclude(submission_token=token)  # this same form, sent a second time
            if clash.exists():
                self.add_error("name", NAME_TAKEN)
        return data
