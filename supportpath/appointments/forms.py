"""The booking form's questions: date, time ("2pm", "2.30pm" or "14:00"), length, and how (with its link or
place). Pathway's "arrange the first conversation" page asks the same questions through ``BookingFields``."""

import datetime as dt
import re
import uuid

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from supportpath.core.form_fields import uk_date

from .models import CancelledBy, How, Kind, Status

TIME_EXAMPLE = "Enter a time like 2pm, 2.30pm or 14:00"
_TWELVE_HOUR = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)$")
_TWENTY_FOUR_HOUR = re.compile(r"^(\d{1,2})[.:](\d{2})$")
LENGTHS = [("30", "30 minutes"), ("45", "45 minutes"), ("60", "1 hour"), ("90", "1 hour 30 minutes")]
PLACE_LIMIT = 300
URL_LIMIT = 500


def parse_time(value: str) -> dt.time | None:
    """'2pm', '2.30pm', '2:30 PM', '14:00' or '14.00' as a time of day; None if it is not one."""
    text = (value or "").strip().lower().replace(" ", "")
    match = _TWELVE_HOUR.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
        return dt.time(hour, minute)
    match = _TWENTY_FOUR_HOUR.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            return None
        return dt.time(hour, minute)
    return None


class ClockTimeField(forms.CharField):
    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_time(text[:20])
        if parsed is None:
            raise forms.ValidationError(TIME_EXAMPLE)
        return parsed


class BookingFields(forms.Form):
    """When and how: shared by every booking form. ``what`` names the meeting in messages."""

    what = "appointment"
    how_name = "how"  # the field that says how (pathway's first-conversation form calls it "mode")

    date = uk_date("Date", "27/11/2026")
    time = ClockTimeField(
        label="Time",
        help_text="For example, 2pm, 2.30pm or 14:00",
        error_messages={"required": "Enter the time"},
    )
    minutes = forms.TypedChoiceField(
        label="How long",
        choices=LENGTHS,
        coerce=int,
        initial="60",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long it will be", "invalid_choice": "Select one of the lengths"},
    )
    how = forms.ChoiceField(
        label="How will you meet?",
        choices=How.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you will meet", "invalid_choice": "Select one of the answers listed"},
    )
    join_url = forms.CharField(
        label="Joining link",
        required=False,
        max_length=URL_LIMIT,
        help_text=f"For a video call: the https:// link the doctor uses to join. Up to {URL_LIMIT} characters.",
        error_messages={"max_length": f"The joining link must be {URL_LIMIT} characters or fewer"},
    )
    place = forms.CharField(
        label="Where you will meet",
        required=False,
        max_length=PLACE_LIMIT,
        help_text=f"For meeting in person: the address, and the room if it helps. Up to {PLACE_LIMIT} characters.",
        error_messages={"max_length": f"The place must be {PLACE_LIMIT} characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        how = cleaned.get(self.how_name)
        if how == How.VIDEO:
            link = (cleaned.get("join_url") or "").strip()
            if not link:
                self.add_error("join_url", "Enter the joining link for the video call")
            else:
                try:
                    URLValidator(schemes=["https"])(link)
                except forms.ValidationError:
                    self.add_error(
                        "join_url", "Enter a joining link that starts with https://, like https://meet.example.org/abc"
                    )
            cleaned["join_url"] = link
        if how == How.IN_PERSON and not (cleaned.get("place") or "").strip():
            self.add_error("place", "Enter where you will meet")
        date, time = cleaned.get("date"), cleaned.get("time")
        if date and time:
            when = timezone.make_aware(dt.datetime.combine(date, time))
            if when < timezone.now():
                self.add_error("date", f"The {self.what} must be in the future")
            cleaned["starts_at"] = when
        return cleaned


class BookForm(BookingFields):
    what = "appointment"

    kind = forms.ChoiceField(
        label="What are you arranging?",
        choices=[(Kind.SESSION, "A support session"), (Kind.REVIEW, "A review")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you are arranging", "invalid_choice": "Select one of the answers"},
    )
    submission_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"invalid": "This page is out of date. Go back, reload the page and try again"},
        required=False,
    )

    field_order = ["kind", "date", "time", "minutes", "how", "join_url", "place"]


class ChangeForm(BookingFields):
    pass


OUTCOMES = [
    (Status.HELD, "It was held"),
    (f"{Status.CANCELLED}:{CancelledBy.DOCTOR}", "Cancelled by the doctor"),
    (f"{Status.CANCELLED}:{CancelledBy.SERVICE}", "Cancelled by the support service"),
    (Status.NOT_ATTENDED, "The doctor did not attend"),
]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened", "invalid_choice": "Select one of the answers listed"},
    )

    def clean(self):
        cleaned = super().clean()
        status, _, by = (cleaned.get("outcome") or "").partition(":")
        cleaned["status"], cleaned["cancelled_by"] = status, by
        return cleaned


class CancelForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        label="Who cancelled it?",
        choices=CancelledBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who cancelled it", "invalid_choice": "Select one of the answers listed"},
    )


def new_token() -> str:
    return str(uuid.uuid4())
