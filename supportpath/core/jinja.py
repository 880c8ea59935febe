"""The Jinja2 environment: NHS.UK frontend macros plus a few helpers every page uses."""

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, select_autoescape

from . import forms_nhs
from .dates import long_date, long_datetime
from .guidance import evidence_panel

# Globals an app above core adds for every template (e.g. the goal-attainment level names), registered in the
# app's ready(), before the first template is rendered, so core imports none of them.
EXTRA_GLOBALS: dict[str, object] = {}


def register_global(name: str, value: object) -> None:
    EXTRA_GLOBALS[name] = value


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options.pop("autoescape", None)
    # Pages (.jinja, .html) are escaped; plain-text emails (.txt) are not.
    env = Environment(autoescape=select_autoescape(["jinja", "html"], default_for_string=True), **options)
    env.globals.update(
        url=url,
        static=static,
        get_messages=messages.get_messages,
        field=forms_nhs.field_params,
        error_summary=forms_nhs.error_summary_params,
        service_name="supportpath",
        settings_site_url=settings.SITE_URL,
        evidence_panel=evidence_panel,
    )
    env.globals.update(EXTRA_GLOBALS)
    env.filters.update(long_date=long_date, long_datetime=long_datetime)
    # NHS.UK frontend and our own components as globals, so every template (and every block of a child
    # template) can call them without importing.
    for component, macro in NHS_COMPONENTS.items():
        env.globals[macro] = getattr(env.get_template(f"nhsuk/components/{component}/macro.jinja").module, macro)
    for component, macro in APP_COMPONENTS.items():
        env.globals[macro] = getattr(env.get_template(f"components/{component}/macro.jinja").module, macro)
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
APP_COMPONENTS = {"app_urgent_help": "app_urgent_help_link", "app_evidence_panel": "app_evidence_panel"}
