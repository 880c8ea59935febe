"""The Jinja2 environment: NHS.UK frontend macros plus a few helpers every page uses."""

from collections.abc import Iterable, MutableMapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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
    """``reverse``, quicker for the link of each row of a list: a name given only whole numbers (the ``<int:pk>``
    of nearly every link) is reversed once, with stand-ins for the numbers, and its address is then filled in.
    reverse() looks the name up and checks each argument against its pattern every time, about a tenth of a
    millisecond: a tenth of the time of a list page of 100 rows, and a quarter of one of 250 (docs/scale.md)."""
    if args and not kwargs and all(type(arg) is int and arg >= 0 for arg in args):
        key = (name, len(args), get_script_prefix(), get_urlconf())
        try:
            pieces = _addresses[key]
        except KeyError:
            pieces = _addresses[key] = _address_pieces(name, len(args))
        if pieces is not None:
            filled = [pieces[0]]
            for arg, piece in zip(args, pieces[1:], strict=True):
                filled += (str(arg), piece)
            return "".join(filled)
    return reverse(name, args=args or None, kwargs=kwargs or None)


# The address of each name reversed with whole numbers, cut where the numbers go (None: reverse it each time).
_addresses: dict[tuple[str, int, str, str | None], tuple[str, ...] | None] = {}
_STAND_IN = 7_390_146_281_053  # a number no address holds of itself; each argument's is this plus its place


def _address_pieces(name: str, count: int) -> tuple[str, ...] | None:
    """The address of ``name`` cut where its ``count`` numbers go, or None when a stand-in does not come back
    once and in its place as its digits (a pattern that writes a number otherwise, or takes no number there)."""
    stand_ins = [str(_STAND_IN + place) for place in range(count)]
    try:
        address = reverse(name, args=[int(s) for s in stand_ins])
    except NoReverseMatch:
        return None
    pieces, rest = [], address
    for stand_in in stand_ins:
        if rest.count(stand_in) != 1 or address.count(stand_in) != 1:
            return None
        before, _, rest = rest.partition(stand_in)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


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
