"""Turn Django bound fields into the parameters NHS.UK frontend macros expect.

Templates call ``input(field(form.gmc_number, label="..."))`` and never wire ids, values, hints or error
messages by hand, so every field shows its error beside it and keeps what was typed.
"""

from typing import Any

from django import forms

DJANGO_TEXTAREA_ROWS = str(forms.Textarea().attrs["rows"])


def _error_text(bound: forms.BoundField) -> str | None:
    return " ".join(str(e) for e in bound.errors) or None


def field_params(bound: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    widget = bound.field.widget
    label_text = overrides.pop("label", None) or str(bound.label)
    label_classes = overrides.pop("label_classes", None)
    is_page_heading = overrides.pop("is_page_heading", False)
    hint = overrides.pop("hint", None) or (str(bound.help_text) if bound.help_text else None)
    error = _error_text(bound)
    params: dict[str, Any] = {"id": bound.auto_id, "name": bound.html_name}
    if error:
        params["errorMessage"] = {"text": error}
    if hint:
        params["hint"] = {"text": hint}

    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        selected = bound.value()
        if not isinstance(selected, (list, tuple)):
            selected = [selected]
        selected = {str(v) for v in selected if v not in (None, "")}
        conditional = overrides.pop("conditional", {})
        item_hints = overrides.pop("item_hints", {})
        items = []
        for value, text in bound.field.choices:
            item: dict[str, Any] = {"value": value, "text": text, "checked": str(value) in selected}
            if value in item_hints:
                item["hint"] = {"text": item_hints[value]}
            if value in conditional:
                item["conditional"] = {"html": conditional[value]}
            items.append(item)
        params.pop("id")
        params["idPrefix"] = bound.auto_id
        params["items"] = items
        params["fieldset"] = {
            "legend": {
                "text": label_text,
                "classes": label_classes
                or ("nhsuk-fieldset__legend--l" if is_page_heading else "nhsuk-fieldset__legend--s"),
                "isPageHeading": is_page_heading,
            }
        }
    else:
        params["label"] = {
            "text": label_text,
            "classes": label_classes or ("nhsuk-label--l" if is_page_heading else None),
            "isPageHeading": is_page_heading,
        }
        value = bound.value()
        if isinstance(widget, forms.Select):
            params["items"] = [
                {"value": v, "text": t, "selected": str(v) == str(value or "")} for v, t in bound.field.choices
            ]
        else:
            params["value"] = "" if value is None else str(value)
        max_length = getattr(bound.field, "max_length", None)
        if max_length and isinstance(widget, forms.Textarea):
            params["maxlength"] = max_length
        # The height a form chose (``Textarea(attrs={"rows": 3})``); Django's own default of 10 is no choice,
        # so the NHS textarea keeps its 5.
        rows = str(widget.attrs.get("rows", DJANGO_TEXTAREA_ROWS))
        if isinstance(widget, forms.Textarea) and rows != DJANGO_TEXTAREA_ROWS:
            params["rows"] = int(rows)
        if isinstance(widget, forms.EmailInput):
            params.setdefault("type", "email")
            params.setdefault("autocomplete", "email")
        if isinstance(widget, forms.PasswordInput):
            params["type"] = "password"
            params["value"] = ""
    params.update(overrides)
    return params


def error_summary_params(*forms_with_errors: forms.BaseForm) -> dict[str, Any] | None:
    """Parameters for the NHS error summary, or None when nothing is wrong."""
    items = []
    for form in forms_with_errors:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error)})
        for bound in form:
            for error in bound.errors:
                anchor = bound.auto_id
                if isinstance(bound.field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                    anchor = f"{bound.auto_id}"
                items.append({"text": str(error), "href": f"#{anchor}"})
    if not items:
        return None
    return {"heading": "There is a problem", "errorList": items}
