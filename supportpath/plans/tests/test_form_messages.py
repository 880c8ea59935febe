"""Every form in the plans, facilitation and pathway apps, and the catalogue's, speaks in our words: no field can
show one of Django's default English messages ("This field is required.", "Select a valid choice...", "Ensure
this value..."), and every text limit is stated on the page before anyone meets it."""

import inspect

import pytest
from django import forms
from django.core import validators

from supportpath.facilitation import forms as facilitation_forms
from supportpath.pathway import forms as pathway_forms
from supportpath.plans import forms as plans_forms
from supportpath.service.forms import InterventionForm
from supportpath.testing import factories as f

# Messages a field can raise but which cannot happen through our pages.
NOT_REACHABLE = {"null_characters_not_allowed", "step_size", "max_digits", "max_decimal_places", "max_whole_digits"}


def django_defaults() -> set[str]:
    """Every default message Django's form fields and validators carry."""
    messages: set[str] = set()
    for _, cls in inspect.getmembers(forms, inspect.isclass):
        for klass in cls.__mro__:
            messages |= {str(m) for m in getattr(klass, "default_error_messages", {}).values()}
    for _, cls in inspect.getmembers(validators, inspect.isclass):
        if isinstance(getattr(cls, "message", None), str) or hasattr(getattr(cls, "message", None), "__mod__"):
            messages.add(str(cls.message))
    messages |= {str(m) for m in forms.BaseFormSet.default_error_messages.values()}
    return messages


DEFAULTS = django_defaults()


def keys_that_can_happen(field: forms.Field) -> set[str]:
    keys = set(field.error_messages) | {v.code for v in field.validators if getattr(v, "code", None)}
    if not field.required:
        keys.discard("required")
    return keys - NOT_REACHABLE


def built_forms(service):
    """One instance of every form in the three apps, and the catalogue's (with the arguments each needs)."""
    profile_kwargs = {"as_service": True, "service": service}
    extra = {
        facilitation_forms.ProfileForm: profile_kwargs,
        facilitation_forms.ProposeForm: {"choices": [(1, "Someone")]},
    }
    made = []
    for module in (plans_forms, facilitation_forms, pathway_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                made.append(cls(**extra.get(cls, {})))
    made.append(InterventionForm(service=service))  # the catalogue's form, now in the service app
    return made


@pytest.mark.django_db
def test_no_field_in_our_forms_can_show_a_django_default_message():
    service = f.ServiceFactory()
    problems = []
    forms_checked = built_forms(service)
    assert len(forms_checked) >= 15
    for form in forms_checked:
        for name, field in form.fields.items():
            for key in keys_that_can_happen(field):
                message = field.error_messages.get(key)
                if message is None:
                    validator = next(v for v in field.validators if getattr(v, "code", None) == key)
                    message = validator.message
                if str(message) in DEFAULTS or "Ensure this value" in str(message):
                    problems.append(f"{type(form).__name__}.{name}: {key!r} is Django's {str(message)!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_text_limit_is_stated_in_the_fields_hint():
    service = f.ServiceFactory()
    problems = []
    for form in built_forms(service):
        for name, field in form.fields.items():
            limit = getattr(field, "max_length", None)
            if limit and not isinstance(field.widget, forms.HiddenInput):
                hint = str(field.help_text)
                if f"{limit} characters" not in hint and f"{limit:,} characters" not in hint:
                    problems.append(f"{type(form).__name__}.{name}: limit {limit} not in hint {hint!r}")
    assert not problems, "\n".join(problems)


def test_the_plan_formsets_speak_in_our_words():
    for formset in (plans_forms.GoalFormSet, plans_forms.InterventionFormSet, plans_forms.MilestoneFormSet):
        for key, message in formset().error_messages.items():
            assert str(message) not in DEFAULTS, (formset, key)
