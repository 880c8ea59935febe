"""The choices at the top of each report: a period of whole months and a part of the service."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms

from supportpath.accounts.models import Organisation

from .selection import add_months, month_start

HISTORY_MONTHS = 48


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    latest = month_start(today)
    return [
        (month.strftime("%Y-%m"), month.strftime("%B %Y"))
        for month in (add_months(latest, -n) for n in range(HISTORY_MONTHS))
    ]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    """A ChoiceField of the form (``form.fields`` is typed as plain ``Field``s)."""
    return cast(forms.ChoiceField, form.fields[name])


class ReportForm(forms.Form):
    start = forms.ChoiceField(label="From the start of")
    end = forms.ChoiceField(label="To the end of")
    organisation = forms.ChoiceField(label="Organisation", required=False)

    def __init__(self, *args: Any, today: dt.date, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = month_choices(today)
        _choice(self, "start").choices = months
        _choice(self, "end").choices = months
        _choice(self, "organisation").choices = [("", "The whole service")] + [
            (str(o.pk), o.name) for o in organisations
        ]
        self.organisations = {str(o.pk): o for o in organisations}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (its stubs say it may be None)
        start, end = data.get("start"), data.get("end")
        if start and end:
            data["start"] = dt.date.fromisoformat(f"{start}-01")
            data["end"] = dt.date.fromisoformat(f"{end}-01")
            if data["end"] < data["start"]:
                self.add_error("end", "The end of the period must be the same month as its start or later")
        data["organisation"] = self.organisations.get(data.get("organisation") or "")
        return data


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args: Any, quarters: list[tuple[dt.date, dt.date]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarters = {start.strftime("%Y-%m"): (start, end) for start, end in quarters}
        _choice(self, "quarter").choices = [
            (key, f"{start.strftime('%B')} to {end.strftime('%B %Y')}") for key, (start, end) in self.quarters.items()
        ]

    def clean_quarter(self) -> tuple[dt.date, dt.date]:
        return self.quarters[self.cleaned_data["quarter"]]


class WorkforceForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Organisation", error_messages={"required": "Choose the organisation whose doctors the file counts"}
    )
    file = forms.FileField(
        label="Workforce file (CSV)",
        error_messages={"required": "Choose the CSV file to load", "empty": "The file is empty"},
    )

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        _choice(self, "organisation").choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class CapacityForm(forms.Form):
    more = forms.IntegerField(
        label="How many more facilitators?",
        min_value=0,
        max_value=50,
        error_messages={
            "required": "Enter how many more facilitators, from 0 to 50",
            "invalid": "Enter a whole number, like 2",
            "min_value": "Enter a number from 0 to 50",
            "max_value": "Enter a number from 0 to 50",
        },
    )
