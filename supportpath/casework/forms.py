from django import forms
from django.utils import timezone

from supportpath.core.form_fields import PlainChoices
from supportpath.referrals.forms_common import choice_messages, parse_token
from supportpath.referrals.models import EndedAs, HandoverDestination, Reason, Route, Status

from .models import AttemptMethod, AttemptOutcome, Stage

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

    def __init__(self, *args, organisations: list[tuple[int, str]], **kwargs):
        """``organisations``: the (key, name) of each organisation a doctor may be filtered by, in order."""
        super().__init__(*args, **kwargs)
        # Hundreds at national scale, already (value, text) pairs of strings: given as they are (``PlainChoices``).
        self.fields["organisation"].choices = PlainChoices(
            [("", "Any organisation"), *[(str(pk), name) for pk, name in organisations]]
        )

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


def _past_date(label: str, *, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text="For example, 20/11/2026",
        input_formats=DATE_FORMATS,
        error_messages={"required": f"Enter the date {what}", "invalid": "Enter a real date, like 20/11/2026"},
    )


class _OnOrAfterReceived(forms.Form):
    """A date that must be today or earlier, and not before the request arrived."""

    date_field = ""
    date_words = ""

    def __init__(self, *args, received_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.received_on = received_on

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get(self.date_field)
        if day is not None:
            if day > timezone.localdate():
                self.add_error(self.date_field, f"The date {self.date_words} must be today or in the past")
            elif day < self.received_on:
                self.add_error(
                    self.date_field, f"The date {self.date_words} must be on or after the day the request arrived"
                )
        return cleaned


class ContactAttemptForm(_OnOrAfterReceived):
    date_field = "made_on"
    date_words = "of the attempt"

    made_on = _past_date("Date of the attempt", what="of the attempt")
    attempt_method = forms.ChoiceField(
        label="How did you try?",
        choices=AttemptMethod.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how you tried to make contact"),
    )
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=AttemptOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select what happened"),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_token(self):
        return parse_token(self.cleaned_data["token"])


URGENT_ACTION_LIMIT = 1000


class UrgentDealtWithForm(_OnOrAfterReceived):
    date_field = "dealt_with_on"
    date_words = "it was dealt with"

    dealt_with_on = _past_date("When was it dealt with?", what="it was dealt with")
    urgent_action = forms.CharField(
        label="What was done?",
        help_text=(
            "For example, spoke with the doctor the same day and agreed a plan to stay safe; they saw their GP. "
            f"Up to {URGENT_ACTION_LIMIT} characters."
        ),
        max_length=URGENT_ACTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what was done",
            "max_length": f"What was done must be {URGENT_ACTION_LIMIT} characters or fewer",
        },
    )


MESSAGE_LIMIT = 2000


class CloseRequestForm(forms.Form):
    ended_as = forms.ChoiceField(
        label="Why is the request closing?",
        choices=[
            (EndedAs.NO_RESPONSE, "No response: the doctor has not answered our attempts to contact them"),
            (EndedAs.NOT_ELIGIBLE, "Not for this service: another service fits better, and we have said which"),
        ],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select why the request is closing"),
    )
    signposted_to = forms.ChoiceField(
        label="Where did you suggest they go? (for “not for this service”)",
        required=False,
        choices=[("", "Choose a service"), *HandoverDestination.choices],
        error_messages=choice_messages("", "Choose a service from the list"),
    )
    message = forms.CharField(
        label="Your message to the doctor",
        help_text=(
            "The doctor reads these words in an email and on their My support page. Be kind and specific: for "
            f"“not for this service”, how to reach the service you suggest. Up to {MESSAGE_LIMIT} characters."
        ),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write a message to the doctor",
            "max_length": f"The message must be {MESSAGE_LIMIT} characters or fewer",
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, attempts: int, needed: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.attempts = attempts
        self.needed = needed

    def clean_token(self):
        return parse_token(self.cleaned_data["token"])

    def clean(self):
        cleaned = super().clean()
        ended_as = cleaned.get("ended_as")
        if ended_as == EndedAs.NO_RESPONSE and self.attempts < self.needed:
            self.add_error(
                "ended_as",
                f"Record at least {self.needed} attempts to contact the doctor before closing for no response "
                f"({self.attempts} recorded so far)",
            )
        if ended_as == EndedAs.NOT_ELIGIBLE and not cleaned.get("signposted_to"):
            self.add_error("signposted_to", "Choose where you suggested the doctor go")
        if ended_as != EndedAs.NOT_ELIGIBLE:
            cleaned["signposted_to"] = ""
        return cleaned


WHOSE_CHOICES = [("", "My cases"), ("all", "All the service's cases")]
SHOW_CHOICES = [("", "Open cases"), ("closed", "Closed cases")]
NO_FACILITATOR = "none"


class CaseListFilterForm(forms.Form):
    """The accepted cases list's filters: a GET form, so a filtered list can be bookmarked and paged."""

    whose = forms.ChoiceField(
        label="Whose cases", required=False, choices=WHOSE_CHOICES, error_messages=choice_messages("", UNKNOWN_FILTER)
    )
    show = forms.ChoiceField(
        label="Open or closed", required=False, choices=SHOW_CHOICES, error_messages=choice_messages("", UNKNOWN_FILTER)
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *[(v, label) for v, label in Stage.choices if v != Stage.CLOSED]],
        error_messages=choice_messages("", UNKNOWN_FILTER),
    )
    facilitator = forms.ChoiceField(
        label="Facilitator", required=False, error_messages=choice_messages("", UNKNOWN_FILTER)
    )
    urgent = forms.BooleanField(label="Urgent", required=False)
    overdue = forms.BooleanField(label="Overdue", required=False)
    paused = forms.BooleanField(label="Paused", required=False)

    def __init__(self, *args, facilitators: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        # Hundreds at national scale, already (value, text) pairs of strings: given as they are (``PlainChoices``).
        self.fields["facilitator"].choices = PlainChoices(
            [
                ("", "Any facilitator"),
                (NO_FACILITATOR, "No facilitator yet"),
                *[(str(pk), name) for pk, name in facilitators],
            ]
        )

    def filters(self) -> dict:
        """The chosen filters; none (my open cases) when the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return {
                "whose": "",
                "show": "",
                "stage": "",
                "facilitator": "",
                "urgent": False,
                "overdue": False,
                "paused": False,
            }
        return self.cleaned_data
