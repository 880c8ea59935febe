"""Form fields that many forms share, with the NHS-style messages written once."""

import datetime as dt
import re
from collections.abc import Iterator

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
TEXT_LIMIT = 3000


class PlainChoices(BaseChoiceIterator):
    """Choices already in the form Django keeps them, (value, text) pairs of strings, given to a field as they
    are. Django normalises a list of choices pair by pair each time one is set, on the field and again on its
    widget (a pattern match against its own types, about 4 µs a pair): 5 ms of CPU a load for the accepted cases
    filter's 587 facilitators at national scale (docs/scale.md). Django leaves an iterator of its own as it is."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)


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
