"""Form fields that many forms share, with the NHS-style messages written once."""

import datetime as dt
import re

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils import timezone

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
TEXT_LIMIT = 3000


def long_text(label: str, *, required: bool = False, hint: str = "", limit: int = TEXT_LIMIT) -> forms.CharField:
    """A textarea with its limit stated on the page and in the error."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=hint or f"Up to {limit:,} characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


def uk_date(label: str, example: str, *, required: bool = True) -> forms.DateField:
    """A date typed as day/month/year, with an example."""
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        required=required,
        help_text=f"For example, {example}",
        error_messages={
            "required": f"Enter the {label[0].lower() + label[1:]}",
            "invalid": f"Enter a real date, like {example}",
        },
    )


def not_in_future(value: dt.date, what: str) -> dt.date:
    if value > timezone.localdate():
        raise forms.ValidationError(f"The date of the {what} must be today or in the past")
    return value


# A UK phone number as people type it: 07700 900 982, +44 7700 900 982 (spaces anywhere).
UK_PHONE = re.compile(r"^(?:\+44\s?|0)(?:\d\s?){9,10}$")


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data to bind, or None to show the form blank. Not ``request.POST or None``: a POST with no
    fields at all is an empty (falsy) QueryDict, and binding None would show the blank form with no errors
    instead of the error summary."""
    return request.POST if request.method == "POST" else None
