from django import forms

from supportpath.accounts.models import Role

from .models import AccessRecord


class AccessLogFilterForm(forms.Form):
    role = forms.ChoiceField(
        label="Who", required=False, choices=[("", "Anyone"), *[(r.value, r.label) for r in Role if r != Role.DOCTOR]]
    )
    action = forms.ChoiceField(
        label="What they did", required=False, choices=[("", "Anything"), *AccessRecord.Action.choices]
    )
    since = forms.DateField(
        label="From (date)",
        required=False,
        help_text="For example, 1/3/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date, like 1/3/2026"},
    )
    until = forms.DateField(
        label="To (date)",
        required=False,
        help_text="For example, 31/3/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date, like 31/3/2026"},
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def filter(self, records):
        if not self.is_valid():
            return records
        data = self.cleaned_data
        if data["role"]:
            records = records.filter(actor_role=data["role"])
        if data["action"]:
            records = records.filter(action=data["action"])
        if data["since"]:
            records = records.filter(at__date__gte=data["since"])
        if data["until"]:
            records = records.filter(at__date__lte=data["until"])
        return records
