"""The Jinja2 environment: NHS.UK frontend macros plus a few helpers every page uses."""

from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, Template, select_autoescape

from . import forms_nhs, nhs_components
from .dates import long_date, long_datetime
from .guidance import evidence_panel
from .nhs_components import indent, summary_list

# Globals an app above core adds for every template (e.g. the goal-attainment level names), registered in the
# app's ready(), before the first template is rendered, so core imports none of them.
EXTRA_GLOBALS: dict[str, object] = {}


def register_global(name: str, value: object) -> None:
    EXTRA_GLOBALS[name] = value


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


# A whole number no id reaches, standing for the row's id in a URL reversed once (``row_url``).
_ROW_ID = 987654321987654321


def row_url(name: str) -> Callable[[int], str]:
    """The URL ``name`` of each row of a list, by its id: reversed once for the page, each row's id then put in
    its place, the same URL as ``url(name, id)`` (the URL takes one whole number). Reversing costs more than the
    rest of a row's link (about 70 Python calls), and a list has up to 50 rows."""
    before, marker, after = reverse(name, args=[_ROW_ID]).partition(str(_ROW_ID))
    if not marker:
        raise ValueError(f"{name} does not take one id in its path")
    return lambda pk: f"{before}{int(pk)}{after}"


class _Environment(Environment):
    """Templates that share the environment's globals (see ``make_globals``)."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template with no globals of its own reads the environment's globals themselves, not Jinja's
        ``ChainMap`` over them. Jinja looks through a template's globals each time one template imports
        another, and every NHS.UK component imports three or four (its label, hint, error message and
        attributes): through a ``ChainMap``, in Python, that was a fifth to a quarter of the time of rendering
        a list page (docs/scale.md). A template made with globals of its own (``from_string``) keeps them apart."""
        return self.globals if not d else super().make_globals(d)

    def get_template(
        self, name: str | Template, parent: str | None = None, globals: MutableMapping[str, Any] | None = None
    ) -> Template:
        # Jinja adds a cached template's new globals to its globals, which are the environment's here.
        if globals:
            raise TypeError("Templates loaded by name take no globals of their own here (see make_globals).")
        return super().get_template(name, parent)

    def select_template(
        self,
        names: Iterable[str | Template],
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        if globals:
            raise TypeError("Templates loaded by name take no globals of their own here (see make_globals).")
        return super().select_template(names, parent)


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options.pop("autoescape", None)
    # Pages (.jinja, .html) are escaped; plain-text emails (.txt) are not.
    env = _Environment(autoescape=select_autoescape(["jinja", "html"], default_for_string=True), **options)
    env.globals.update(
        url=url,
        row_url=row_url,
        static=static,
        get_messages=messages.get_messages,
        field=forms_nhs.field_params,
        error_summary=forms_nhs.error_summary_params,
        service_name="supportpath",
        settings_site_url=settings.SITE_URL,
        evidence_panel=evidence_panel,
        nhsuk_select_options=nhs_components.select_options,
        nhsuk_plain_label=nhs_components.plain_label,
        constant=nhs_components.constant,
    )
    env.globals.update(EXTRA_GLOBALS)
    env.filters.update(long_date=long_date, long_datetime=long_datetime, indent=indent)
    # NHS.UK frontend and our own components as globals, so every template (and every block of a child
    # template) can call them without importing.
    for component, macro in NHS_COMPONENTS.items():
        env.globals[macro] = getattr(env.get_template(f"nhsuk/components/{component}/macro.jinja").module, macro)
    # The tag writes a plain tag (text and classes) in Python, and leaves any other to the package's macro.
    package_tag: Any = env.globals["tag"]
    env.globals["tag"] = nhs_components.fast_tag(package_tag)
    # NHS.UK components of our own copying, which the package's would otherwise be (see each template).
    for component, macro in NHS_COMPONENTS_COPIED.items():
        env.globals[macro] = getattr(env.get_template(f"components/{component}/macro.jinja").module, macro)
    for component, macro in APP_COMPONENTS.items():
        env.globals[macro] = getattr(env.get_template(f"components/{component}/macro.jinja").module, macro)
    # The summary list built in Python, the macro's HTML to the byte (the macro itself for any other shape).
    row = env.get_template("nhsuk/components/summary-list/row/macro.jinja").module.summaryListRow  # type: ignore[attr-defined]
    env.globals["plainSummaryList"] = summary_list(env.globals["summaryList"], row)  # type: ignore[arg-type]
    return env


NHS_COMPONENTS = {
    "action-link": "actionLink",
    "back-link": "backLink",
    "button": "button",
    "card": "card",
    "character-count": "characterCount",
    "checkboxes": "checkboxes",
    "date-input": "dateInput",
    "details": "details",
    "error-summary": "errorSummary",
    "file-upload": "fileUpload",
    "footer": "footer",
    "header": "header",
    "inset-text": "insetText",
    "input": "input",
    "pagination": "pagination",
    "panel": "panel",
    "radios": "radios",
    "select": "select",
    "summary-list": "summaryList",
    "tables": "table",
    "tag": "tag",
    "task-list": "taskList",
    "textarea": "textarea",
    "warning-callout": "warningCallout",
}
# The select writes its options in Python (core/nhs_components.py): a filter of 250 organisations, through the
# package's loop, was the one part of the inbox that grew with the installation (docs/scale.md).
NHS_COMPONENTS_COPIED = {"nhsuk_select": "select"}
APP_COMPONENTS = {"app_urgent_help": "app_urgent_help_link", "app_evidence_panel": "app_evidence_panel"}
