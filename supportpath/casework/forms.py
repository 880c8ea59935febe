from django import forms
from django.utils import timezone

from supportpath.accounts.models import Organisation
from supportpath.referrals.forms_common import choice_messages
from supportpath.referrals.models import HandoverDestination, Reason, Route, Status

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
REASON_LIMIT = 1000
UNKNOWN_FILTER = "Choose from the list"
WAITING_CHOICES = [
    ("", "Everything waiting"),
    (Status.RECEIVED, "Waiting for first contact"),
    (Status.CONTACTED, "Contacted: waiting for a decision"),
]


class InboxFilterForm(forms.Form):
    waiting = forms.ChoiceField(
        label="Waiting for",
        required=False,
        choices=WAITING_CHOICES,
        error_messages=choice_messages("", UNKNOWN_FILTER),
    )
    reason = forms.ChoiceField(
        label="Reason",
        required=False,
        choices=[("", "Any reason"), *Reason.choices],
        error_messages=choice_messages("", UNKNOWN_FILTER),
    )
    route = forms.ChoiceField(
        label="Route in",
        required=False,
        choices=[("", "Any route"), *Route.choices],
        error_messages=choice_messages("", UNKNOWN_FILTER),
    )
    organisation = forms.ChoiceField(
        label="Doctor's organisation", required=False, error_messages=choice_messages("", UNKNOWN_FILTER)
    )
    urgent = forms.BooleanField(label="Urgent only", required=False)

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Any organisation"), *[(str(o.pk), o.name) for o in organisations]]

    def apply(self, requests):
        if not self.is_valid():
            return requests
        data = self.cleaned_data
        if data["waiting"]:
            requests = requests.filter(status=data["waiting"])
        if data["reason"]:
            requests = requests.filter(reasons__reason=data["reason"])
        if data["route"]:
            requests = requests.filter(route=data["route"])
        if data["organisation"]:
            requests = requests.filter(doctor__employer_id=data["organisation"])
        if data["urgent"]:
            requests = requests.filter(urgent=True)
        return requests


class FirstContactForm(forms.Form):
    contacted_on = forms.DateField(
        label="Date of first contact",
        help_text="For example, 20/11/2026",
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the date of first contact", "invalid": "Enter a real date, like 20/11/2026"},
    )
    method = forms.ChoiceField(
        label="How did you make contact?",
        choices=[("phone", "Phone"), ("email", "Email"), ("video", "Video call"), ("in_person", "In person")],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how you made contact"),
    )

    def __init__(self, *args, received_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.received_on = received_on

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of first contact must be today or in the past")
        if day < self.received_on:
            raise forms.ValidationError("The date of first contact must be on or after the day the request arrived")
        return day


class HandoverForm(forms.Form):
    destination = forms.ChoiceField(
        label="Which service is a better fit?",
        choices=HandoverDestination.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select the service you are handing over to"),
    )
    reason = forms.CharField(
        label="Why is this service a better fit?",
        help_text=f"The doctor will not see these words in an email. Up to {REASON_LIMIT:,} characters.",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why this service is a better fit",
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )
    consent = forms.BooleanField(
        label="The doctor agreed to this handover",
        error_messages={"required": "Confirm that the doctor agreed to this handover"},
    )
