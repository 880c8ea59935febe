import uuid

from django import forms

from supportpath.appointments.forms import BookingFields
from supportpath.casework import date_order
from supportpath.casework.date_order import NotBefore
from supportpath.core.form_fields import TEXT_LIMIT, long_text, not_in_future, uk_date
from supportpath.referrals.models import Reason

from .models import Attendance, Mode

# Shared field builders (kept under their old local names).
_date = uk_date
_not_in_future = not_in_future
SUGGESTED_TIMES_LIMIT = 500
# Hidden fields are only wrong if the page was tampered with or is very old: say so plainly.
STALE_PAGE = "This page is out of date. Go back, reload the page and try again"


def _text(label: str, *, required: bool = False, hint: str = "") -> forms.CharField:
    """A long text whose hint always states the limit (the shared builder drops it when given a hint)."""
    if hint and "characters" not in hint:
        hint = f"{hint} Up to {TEXT_LIMIT:,} characters."
    return long_text(label, required=required, hint=hint)


def _choice(label: str, choices, *, required_message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": "Select one of the answers listed"},
    )


def submission_token(*, required: bool = False) -> forms.UUIDField:
    """Names one showing of a form, so that sending it twice is recognised as the same submission."""
    return forms.UUIDField(
        widget=forms.HiddenInput, required=required, error_messages={"invalid": STALE_PAGE, "required": STALE_PAGE}
    )


def new_token() -> str:
    return str(uuid.uuid4())


class ArrangeConversationForm(BookingFields):
    """When and how the first conversation is: the booking questions of ``supportpath.appointments``."""

    what = "conversation"
    how_name = "mode"
    how = None
    date = _date("Date of the conversation", "27/11/2026")
    mode = _choice("How will you meet?", Mode.choices, required_message="Select how you will meet")
    field_order = ["date", "time", "minutes", "mode", "join_url", "place"]

    def clean(self):
        cleaned = super().clean()
        if "starts_at" in cleaned:
            cleaned["scheduled_for"] = cleaned["starts_at"]
        return cleaned


class AnotherTimeForm(forms.Form):
    suggested_times = forms.CharField(
        label="When would suit you better?",
        max_length=SUGGESTED_TIMES_LIMIT,
        help_text=f"For example, 'Tuesday or Thursday afternoons'. Up to {SUGGESTED_TIMES_LIMIT:,} characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Tell us some times that would suit you better",
            "max_length": f"Times that suit you must be {SUGGESTED_TIMES_LIMIT:,} characters or fewer",
        },
    )
    submission_token = submission_token(required=True)


class NeedsAssessmentForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, error_messages={"invalid": STALE_PAGE, "required": STALE_PAGE}
    )
    submission_token = submission_token()
    conversation_held_on = _date("Date of the conversation", "20/11/2026")
    presenting_issues = forms.MultipleChoiceField(
        label="What the doctor would like help with",
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one thing the doctor would like help with",
            "invalid_choice": "Select only the things listed",
            "invalid_list": "Select only the things listed",
        },
    )
    doctor_goals = _text("The doctor's goals, in their own words", required=True)
    strengths = _text("Strengths", hint="What is going well, and what the doctor does well.")
    individual_factors = _text("Individual factors", hint="For example health, confidence, life events.")
    team_factors = _text("Team factors", hint="For example relationships, supervision, team workload.")
    structural_factors = _text("Structural factors", hint="For example rotas, staffing, training posts, systems.")
    cultural_factors = _text("Cultural factors", hint="For example blame, stigma about asking for help, belonging.")
    mandated = forms.TypedChoiceField(
        label="Is this support part of a mandated process?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether this support is part of a mandated process",
            "invalid_choice": "Select whether this support is part of a mandated process",
        },
    )
    staff_notes = _text("Notes for the support team only", hint="The doctor does not see these.")

    def __init__(self, *args, not_before: NotBefore | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_before = not_before

    def clean_conversation_held_on(self):
        held_on = _not_in_future(self.cleaned_data["conversation_held_on"], "conversation")
        return date_order.check(held_on, self.not_before, "conversation")


class DoctorCommentForm(forms.Form):
    comment = _text("Your comment", required=True)


class SessionForm(forms.Form):
    held_on = _date("Date of the session", "20/11/2026")
    mode = _choice("How did you meet?", Mode.choices, required_message="Select how you met")
    attendance = _choice("Attendance", Attendance.choices, required_message="Select what happened")
    shared_summary = _text("Summary for the doctor", hint="The doctor reads this.")
    agreed_actions = _text("Actions you agreed", hint="The doctor reads these.")
    private_notes = _text(
        "Your private notes",
        hint="Only you can ever read these: not the doctor, not the case manager, not a later facilitator.",
    )
    submission_token = submission_token(required=True)

    def __init__(self, *args, not_before: NotBefore | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_before = not_before

    def clean_held_on(self):
        return date_order.check(_not_in_future(self.cleaned_data["held_on"], "session"), self.not_before, "session")


class CorrectSessionForm(SessionForm):
    """The same questions as recording it; no submission token (sending the same correction twice changes
    nothing the second time)."""

    submission_token = None
