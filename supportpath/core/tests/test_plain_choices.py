"""Choices given to a field as they are (``core.form_fields.PlainChoices``): the same field as with a list."""

from django import forms

from supportpath.core.form_fields import PlainChoices
from supportpath.core.forms_nhs import field_params

PAIRS = [("", "Any facilitator"), ("none", "No facilitator yet"), ("7", "Dr A <b>"), ("6", "Dr B")]


class Chosen(forms.Form):
    facilitator = forms.ChoiceField(required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = choices


def test_plain_choices_make_the_same_field_as_a_list_of_pairs():
    for data in (None, {"facilitator": "7"}, {"facilitator": "none"}, {"facilitator": "8"}, {"facilitator": ""}):
        given, listed = Chosen(data, choices=PlainChoices(PAIRS)), Chosen(data, choices=list(PAIRS))
        assert given.is_valid() == listed.is_valid()
        assert given.errors == listed.errors
        assert field_params(given["facilitator"]) == field_params(listed["facilitator"])


def test_plain_choices_are_read_as_given_every_time():
    choices = PlainChoices(PAIRS)
    field = Chosen(None, choices=choices).fields["facilitator"]
    assert field.choices is choices and field.widget.choices is choices
    assert list(field.choices) == list(field.choices) == PAIRS
