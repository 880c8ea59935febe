from django import forms


class AudienceChoicesForm(forms.Form):
    """What one audience may see: a box for each item the doctor can choose (fixed items are not offered)."""

    based_on = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "This page was out of date. Check your choices and save again",
            "invalid": "This page was out of date. Check your choices and save again",
            "min_value": "This page was out of date. Check your choices and save again",
        },
    )
    items = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select only from the choices on this page"},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], label: str, hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = choices
        self.fields["items"].label = label
        self.fields["items"].help_text = hint

    def clean(self):
        cleaned = super().clean()
        # A missing or spoilt version number is not something the doctor can fix beside a field they cannot see.
        if "based_on" in self._errors:
            message = self._errors.pop("based_on")[0]
            self.add_error(None, message)
        return cleaned
