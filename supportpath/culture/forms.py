from django import forms

from supportpath.core.form_fields import uk_date
from supportpath.guide.content import STATEMENT_BY_KEY

from .models import Action, Agreement, Rating, Signpost
from .services import parse_addresses


class WaveForm(forms.Form):
    title = forms.CharField(
        label="Name of this wave", max_length=120, help_text="For example, Culture pulse, spring 2026"
    )
    staff_groups = forms.CharField(
        label="Staff groups people may choose from (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, for example Consultants. Results by group are shown only where every group has 10 "
        "or more answers.",
    )
    shared_link_cap = forms.IntegerField(
        label="Answers the shared link may bring (0 for no shared link)",
        min_value=0,
        max_value=5000,
        initial=0,
        help_text="A shared link can be posted anywhere, so it stops at this number: set it to about the number "
        "of doctors you will send it to.",
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def groups(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["staff_groups"].splitlines() if line.strip()]


class OwnItemForm(forms.Form):
    text = forms.CharField(
        label="Your own statement",
        max_length=300,
        help_text="Written so people can agree or disagree with it. It is asked in waves opened from now on.",
    )


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One a line. Each person gets their own link that works once. The list is not kept.",
    )

    def clean_addresses(self):
        good, bad = parse_addresses(self.cleaned_data["addresses"])
        if bad:
            shown = ", ".join(bad[:3])
            raise forms.ValidationError(f"These are not email addresses: {shown}. Correct them and send again.")
        if not good:
            raise forms.ValidationError("Enter at least one email address")
        return good


class AnswerForm(forms.Form):
    def __init__(self, *args, items, staff_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=Agreement.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose how far you agree with this statement"},
            )
        if staff_groups:
            self.fields["staff_group"] = forms.ChoiceField(
                label="Which staff group are you in? (optional)",
                required=False,
                choices=[(g, g) for g in staff_groups] + [("", "I would rather not say")],
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}

    def item_fields(self):
        return [self[f"item_{item.pk}"] for item in self.items]


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label="How far does your organisation do this?",
        choices=Rating.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose not yet, partly or fully"},
    )
    evidence = forms.CharField(
        label="Your evidence",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows this: a policy, a figure, a page, what doctors tell you.",
    )


class ActionForm(forms.Form):
    statement = forms.ChoiceField(label="The statement this action works towards")
    description = forms.CharField(label="What will be done", max_length=300)
    owner_name = forms.CharField(label="Who owns it", max_length=120)
    owner_email = forms.EmailField(
        label="Their email address", help_text="They get a reminder by email when the action falls due."
    )
    due_on = uk_date("Due by", "31/3/2027")
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].choices = [(key, STATEMENT_BY_KEY[key].text) for key in statements]


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(label="Progress", choices=Action.Progress.choices, widget=forms.RadioSelect)
    progress_note = forms.CharField(label="Note on progress (optional)", max_length=300, required=False)
    due_on = uk_date("Due by", "31/3/2027")


class SignpostForm(forms.Form):
    given_as = forms.ChoiceField(
        label="You are giving this signpost as",
        choices=Signpost.GivenAs.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose appraiser, supervisor or colleague"},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
