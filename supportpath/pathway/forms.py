import datetime as dt

from django import forms
from django.utils import timezone

from supportpath.core.form_fields import long_text, not_in_future, uk_date
from supportpath.referrals.models import Reason

from .models import Attendance, Mode

# Shared field builders (kept under their old local names).
_text = long_text
_date = uk_date
_not_in_future = not_in_future


class ArrangeConversationForm(forms.Form):
    date = _date("Date of the conversation", "27/11/2026")
    time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H.%M"],
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the conversation", "invalid": "Enter a time like 14:30"},
    )
    mode = forms.ChoiceField(
        label="How will you meet?",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you will meet"},
    )

    def clean(self):
        cleaned = super().clean()
        date, time = cleaned.get("date"), cleaned.get("time")
        if date and time:
            when = timezone.make_aware(dt.datetime.combine(date, time))
            if when < timezone.now():
                self.add_error("date", "The conversation must be in the future")
            cleaned["scheduled_for"] = when
        return cleaned


class AnotherTimeForm(forms.Form):
    suggested_times = forms.CharField(
        label="When would suit you better?",
        max_length=500,
        help_text="For example, 'Tuesday or Thursday afternoons'. Up to 500 characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Tell us some times that would suit you better",
            "max_length": "Times that suit you must be 500 characters or fewer",
        },
    )


class NeedsAssessmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conversation_held_on = _date("Date of the conversation", "20/11/2026")
    presenting_issues = forms.MultipleChoiceField(
        label="What the doctor would like help with",
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing the doctor would like help with"},
    )
    doctor_goals = _text("The doctor's goals, in their own words", required=True)
    strengths = _text("Strengths", hint="What is going well, and what the doctor does well. Up to 3000 characters.")
    individual_factors = _text("Individual factors", hint="For example health, confidence, life events.")
    team_factors = _text("Team factors", hint="For example relationships, supervision, team workload.")
    structural_factors = _text("Structural factors", hint="For example rotas, staffing, training posts, systems.")
    cultural_factors = _text("Cultural factors", hint="For example blame, stigma about asking for help, belonging.")
    mandated = forms.TypedChoiceField(
        label="Is this support part of a mandated process?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this support is part of a mandated process"},
    )
    staff_notes = _text("Notes for the support team only", hint="The doctor does not see these. Up to 3000 characters.")

    def clean_conversation_held_on(self):
        return _not_in_future(self.cleaned_data["conversation_held_on"], "conversation")


class DoctorCommentForm(forms.Form):
    comment = _text("Your comment", required=True)


class SessionForm(forms.Form):
    held_on = _date("Date of the session", "20/11/2026")
    mode = forms.ChoiceField(
        label="How did you meet?",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you met"},
    )
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    shared_summary = _text("Summary for the doctor", hint="The doctor reads this. Up to 3000 characters.")
    agreed_actions = _text("Actions you agreed", hint="The doctor reads these. Up to 3000 characters.")
    private_notes = _text(
        "Your private notes",
        hint="Only you can ever read these: not the doctor, not the case manager. Up to 3000 characters.",
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_held_on(self):
        return _not_in_future(self.cleaned_data["held_on"], "session")
