"""Our copy of the NHS.UK select writes, byte for byte, what the package's own writes (core/nhs_components.py)."""

import itertools

import pytest
from django import forms
from django.template import engines
from markupsafe import Markup

from supportpath.core import forms_nhs, nhs_components


def _env():
    return engines["jinja2"].env


def _package_select(params):
    return _env().get_template("nhsuk/components/select/macro.jinja").module.select(params)


def _our_select(params):
    return _env().globals["select"](params)


ITEMS = [
    {"value": "", "text": "Any organisation", "selected": False},
    {"value": "3", "text": 'Ashby Vale <Hospitals> & "Partners" NHS Trust', "selected": False},
    {"value": 7, "text": "Harrowdene's Community Health", "selected": True},
    {"value": "4", "text": Markup("Kestrel <em>Lane</em>"), "selected": False},
]
PLAIN = [
    ITEMS,
    [{k: v for k, v in item.items() if k != "selected"} for item in ITEMS],  # "selected" left to the value
    [{**item, "disabled": i == 2} for i, item in enumerate(ITEMS)],
    [],
]
DECLINED = [
    [*ITEMS, {"divider": True}],
    [*ITEMS, {"text": "No value given"}],
    [*ITEMS, {"value": "x", "text": "Its own attributes", "attributes": {"data-x": "1"}}],
    [*ITEMS, {"value": "y", "text": "Selected by a word", "selected": "yes"}],
]
EXTRAS = [
    {},
    {"value": "4"},
    {"value": 7},
    {"hint": {"text": "Where they work"}, "errorMessage": {"text": "Choose from the list"}},
    {"classes": "app-wide", "disabled": True, "describedBy": "other", "attributes": {"data-module": "x"}},
    {"label": {"text": "Organisation", "classes": "nhsuk-label--l", "isPageHeading": True}},
    {"formGroup": {"beforeInput": {"text": "£"}, "afterInput": {"text": "each"}}},
    {"id": ""},
    {"label": {"text": "Route in", "classes": "nhsuk-label--s"}},
    {"label": {"text": "Tricky <b> & \"double\" 'single'", "classes": "a&b"}},
    {"label": {"text": "For another field", "for": "other-id"}},
    {"label": "A label as a string"},
    {"label": Markup("A label <b>marked safe</b>")},
    # Labels left to the package's macro:
    {"label": {"text": "Two\nlines"}},
    {"label": {"text": " padded "}},
    {"label": {"text": "With a caption", "caption": "Step 1"}},
    {"label": {"html": "<b>Html</b>"}},
    {"label": {"text": "The page's heading", "isPageHeading": True}},
    {"label": {"text": "Empty classes", "classes": ""}},
]


@pytest.mark.parametrize(("items", "extra"), list(itertools.product(PLAIN + DECLINED, EXTRAS)))
def test_our_select_writes_what_the_packages_writes(items, extra):
    params = {"id": "id_organisation", "name": "organisation", "label": {"text": "Doctor's organisation"}}
    params = {**params, **extra, "items": items}
    assert str(_our_select(params)) == str(_package_select(params))


def test_the_options_of_plain_items_are_written_in_python_and_any_other_item_is_left_to_the_template():
    for items in PLAIN:
        assert nhs_components.select_options({"items": items}) is not None
    for items in DECLINED:
        assert nhs_components.select_options({"items": items}) is None
    assert nhs_components.select_options({}) is None


class _Filter(forms.Form):
    organisation = forms.ChoiceField(choices=[("", "Any organisation"), ("3", "Ashby <Vale>"), ("7", "Harrowdene")])


@pytest.mark.parametrize("data", [None, {"organisation": "7"}, {"organisation": "nope"}])
def test_a_forms_select_takes_the_fast_path_and_writes_the_same(data):
    form = _Filter(data)
    form.is_valid()
    params = forms_nhs.field_params(form["organisation"])
    assert nhs_components.select_options(params) is not None
    assert nhs_components.plain_label(params["label"], params["id"]) is not None
    assert str(_our_select(params)) == str(_package_select(params))


def _package_tag(*args, **kwargs):
    return _env().get_template("nhsuk/components/tag/macro.jinja").module.tag(*args, **kwargs)


TAGS = [
    {"text": "Urgent", "classes": "nhsuk-tag--red"},
    {"text": '  Due <soon> & "now"  '},
    {"text": Markup("Due <em>soon</em>"), "classes": "nhsuk-tag--yellow"},
    {"text": "Overdue", "classes": ""},
    {"text": "Overdue", "classes": None},
    # Left to the package's macro:
    {"text": "Two\nlines"},
    {"text": ""},
    {"text": "Red", "colour": "red"},
    {"text": "Plain", "colour": False, "border": False},
    {"html": "<b>Bold</b>"},
    {"text": "With an id", "id": "t1", "attributes": {"data-x": "1"}},
    {"text": "Classes marked safe", "classes": Markup("nhsuk-tag--<b>")},
]


@pytest.mark.parametrize("params", TAGS)
def test_our_tag_writes_what_the_packages_writes(params):
    assert str(_env().globals["tag"](params)) == str(_package_tag(params))
    page = "{{ tag(params) }}|{% call tag({'text': 'x'}) %}Called{% endcall %}"
    assert _env().from_string(page).render(params=params) == _env().from_string(
        page.replace("tag(", "package_tag(")
    ).render(params=params, package_tag=_package_tag)


def test_a_plain_tag_is_written_in_python():
    package_calls = []

    def package(*args, **kwargs):
        package_calls.append(args)
        return _package_tag(*args, **kwargs)

    tag = nhs_components.fast_tag(package)
    tag({"text": "Urgent", "classes": "nhsuk-tag--red"})
    assert package_calls == []
    tag({"text": "Red", "colour": "red"})
    assert package_calls == [({"text": "Red", "colour": "red"},)]


def test_a_constant_component_is_written_once_for_each_set_of_parameters_and_the_same_as_every_time():
    calls = []

    def component(params):
        calls.append(params)
        return _env().globals["checkboxes"](params)

    def box(checked):
        item = {"value": "on", "text": "Urgent", "checked": checked}
        return {"idPrefix": "id_urgent", "name": "urgent", "items": [item]}

    for checked in [None, True, None, True, False, 1]:
        assert nhs_components.constant(component, box(checked)) == _env().globals["checkboxes"](box(checked))
    # None, True, False and 1 are four sets of parameters (a 1 is not True): each written once.
    assert [p["items"][0]["checked"] for p in calls] == [None, True, False, 1]


def test_parameters_that_are_not_plain_values_are_written_every_time_and_markup_is_not_text():
    from django.utils.safestring import mark_safe

    calls = []

    def component(params):
        calls.append(params)
        return repr(params)

    for _ in range(2):
        nhs_components.constant(component, {"text": mark_safe("<b>a</b>")})  # noqa: S308
        nhs_components.constant(component, {"when": object()})
    assert len(calls) == 4
    for _ in range(2):
        nhs_components.constant(component, {"text": Markup("<b>b</b>")})
        nhs_components.constant(component, {"text": "<b>b</b>"})
    assert len(calls) == 6
