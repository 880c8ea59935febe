"""Parts of NHS.UK frontend components written in Python where the package's Jinja costs too much per item,
and Jinja's ``indent`` filter, which every component runs its output through.

The select's options, a plain label, a plain tag and components whose parameters the template writes itself:
each writes, byte for byte, what the package's template writes for the same parameters (core/tests/
test_nhs_components.py renders both), and declines (returns None) any parameters it does not cover, so that the
template's own loop writes those.

The summary list and ``indent`` give the same output as the macro's and as Jinja's filter, to the byte: the two
a case page calls most (docs/scale.md).

The summary list is built here for the shapes our pages use most: rows of a key and a value, each as text or
html, and any row's actions rendered by the macro's own row macro, with no classes, ids or attributes. Any other
shape goes to the macro itself. The macro renders each row through a row macro, which imports two more and runs
every part through ``trim`` and ``indent`` in Jinja: on the case page, whose needs assessment alone is a list of
a dozen rows, that was a tenth of the page's time. ``core/tests/test_summary_list.py`` holds it to the macro's
output, ``core/tests/test_jinja.py`` the filter to Jinja's.
"""

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Undefined
from jinja2.filters import do_indent
from markupsafe import Markup, escape

# The keys of an option the fast path writes (``forms_nhs.field_params`` gives value, text and selected).
_PLAIN_OPTION_KEYS = frozenset({"value", "text", "selected", "disabled"})


def _plain_option(item: Any) -> bool:
    return (
        isinstance(item, Mapping)
        and "value" in item
        and "text" in item
        and item.keys() <= _PLAIN_OPTION_KEYS
        and isinstance(item.get("selected", False), bool)
    )


def select_options(params: Mapping[str, Any]) -> Markup | None:
    """The ``<option>`` elements of the NHS.UK select (components/select/template.jinja), or None if an item is
    not a plain one (a divider, an option without a value or text, one with attributes of its own): the
    template's loop writes those. The loop made a macro call (``nhsukAttributes``, which writes a newline and
    two spaces for an option without attributes) and a dozen lookups per option: at national scale a filter of
    250 organisations took about 8 ms of CPU a page (docs/scale.md)."""
    items = params.get("items")
    if not isinstance(items, (list, tuple)) or not all(_plain_option(item) for item in items):
        return None
    chosen = params.get("value")
    parts = []
    for item in items:
        value = item["value"]
        selected = item.get("selected")
        # The template's rule: selected if it says so; if it does not say (an absent "selected"), when its
        # value is the select's value.
        if selected is None:
            selected = bool(chosen) and value == chosen
        parts.append(
            f'\n    <option value="{escape(value)}"{" selected" if selected else ""}'
            f"{' disabled' if item.get('disabled') else ''}\n  >{escape(item['text'])}</option>\n    \n  "
        )
    # Every value written above went through ``escape``, as the template's own ``{{ }}`` would have.
    return Markup("".join(parts))  # noqa: S704  # nosec B704: every value in it is escaped


_PLAIN_TAG_KEYS = frozenset({"text", "classes"})


def _plain_tag(params: Any) -> bool:
    if not isinstance(params, Mapping) or not params.keys() <= _PLAIN_TAG_KEYS:
        return False
    text, classes = params.get("text"), params.get("classes")
    return (
        isinstance(text, str)
        and bool(text.strip())
        and "\n" not in text.strip()
        and (classes is None or type(classes) is str)
    )


def fast_tag(package_tag: Callable[..., Any]) -> Callable[..., Any]:
    """The NHS.UK tag (components/tag/template.jinja): for a tag given only its text (one line) and classes,
    written here; anything else (colour, border, an id, attributes, html, a ``call`` block) by the package's
    macro, ``package_tag``. A list shows one or two a row, and the macro's every call costs about as much as
    the row's other cells (docs/scale.md)."""

    def tag(params: Any = None, **kwargs: Any) -> Any:
        if kwargs or not _plain_tag(params):
            return package_tag(params, **kwargs) if params is not None else package_tag(**kwargs)
        classes = params.get("classes")
        # The template writes a blank line of its own where it adds the classes.
        start, class_names = ("\n  \n", escape(f"nhsuk-tag {classes}")) if classes else ("", "nhsuk-tag")
        text = escape(params["text"].strip())
        # Both interpolated values are escaped, as the template's ``{{ }}`` would have.
        html = f'{start}<strong class="{class_names}"\n  >\n\n  {text}\n\n</strong>'
        return Markup(html)  # noqa: S704  # nosec B704: every value in it is escaped

    return tag


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, Undefined)


_PLAIN_LABEL_KEYS = frozenset({"text", "classes", "isPageHeading", "html", "for"})
# The macro's own whitespace, around the classes, the field's id and the text.
_LABEL_START = (
    "\n\n<label\n  \n    \n        \n        \n      \n        \n          \n        \n      \n    \n        \n"
    '        \n    \n   class="'
)
_LABEL_FOR = '"\n  \n  \n    \n        \n        \n      \n        \n          \n        \n      \n    \n   for="'
_LABEL_TEXT = '"\n  >\n\n\n    '
_LABEL_END = "\n  \n\n\n</label>\n\n\n"


def plain_label(label: Any, for_id: Any) -> Markup | None:
    """What the NHS.UK label macro (components/label/template.jinja) writes for a label of one line of text,
    with or without classes, for a field (``for_id``), that is not the page's heading; None for any other
    (html, a caption, a size, a heading, attributes...), which the macro writes. The select trims and indents
    it as it did the macro's."""
    if not isinstance(label, Mapping) or not label.keys() <= _PLAIN_LABEL_KEYS:
        return None
    text, classes = label.get("text"), label.get("classes")
    if not isinstance(text, str) or not text or text != text.strip() or "\n" in text:
        return None
    if not (_absent(classes) or (type(classes) is str and classes)):
        return None
    page_heading = label.get("isPageHeading")
    if not _absent(label.get("html")) or not (_absent(page_heading) or page_heading is False):
        return None
    if type(for_id) is not str or not for_id:
        return None
    class_names = escape(f"nhsuk-label {classes}" if type(classes) is str else "nhsuk-label")
    # Every interpolated value is escaped, as the macro's ``{{ }}`` would have.
    return Markup(  # noqa: S704  # nosec B704: every value in it is escaped
        f"{_LABEL_START}{class_names}{_LABEL_FOR}{escape(for_id)}{_LABEL_TEXT}{escape(text)}{_LABEL_END}"
    )


# Components rendered with parameters written in a template itself (labels, names, a box's checked state), kept
# by those parameters: the NHS.UK checkboxes macro is about 5,000 calls of Python for one box. Bounded, and
# keyed by every parameter with its type, so that two parameters that differ never share what was written.
_CONSTANTS: dict[tuple[Any, Any], Any] = {}
_CONSTANTS_KEPT = 256


def _frozen(value: Any) -> Any:
    """``value`` as a key, or a ``TypeError`` for anything but the plain values a template writes itself."""
    if value is None or type(value) in (str, bool, int):
        return (type(value).__name__, value)
    if type(value) is Markup:
        return ("markup", str(value))
    if type(value) is dict:
        return ("dict", tuple(sorted((_frozen(k), _frozen(v)) for k, v in value.items())))
    if type(value) is list:
        return ("list", tuple(_frozen(v) for v in value))
    raise TypeError(f"Not a constant: {type(value).__name__}")


def constant(component: Callable[[Any], Any], params: Any) -> Any:
    """``component(params)``, written once for each set of parameters, for a component whose parameters are
    written in the template (never anyone's data: that would keep it in memory after the page). Parameters of
    any other type than str, bool, int, None, Markup, dict and list are written every time."""
    try:
        key = (component, _frozen(params))
    except TypeError:
        return component(params)
    html = _CONSTANTS.get(key)
    if html is None:
        if len(_CONSTANTS) >= _CONSTANTS_KEPT:
            _CONSTANTS.clear()
        html = _CONSTANTS[key] = component(params)
    return html


def indent(s: object, width: int | str = 4, first: bool = False, blank: bool = False) -> object:
    """Jinja's ``indent`` filter, the same text out, in plain ``str``. Every NHS.UK component indents what it
    renders, often a whole row of a summary list; Jinja's own filter indents safe (``Markup``) text line by line
    through ``Markup``'s methods, each of which escapes its argument in Python: a tenth of a case page's time
    (docs/scale.md). Anything but ``str`` or ``Markup`` goes to Jinja's own filter."""
    kind = type(s)
    if kind is not str and kind is not Markup:
        return do_indent(s, width, first, blank)  # type: ignore[arg-type]
    indention = width if isinstance(width, str) else " " * width
    lines = (str.__str__(s) + "\n").splitlines()
    if blank:
        rv = ("\n" + indention).join(lines)
    else:
        rv = lines[0]
        if len(lines) > 1:
            rv += "\n" + "\n".join(indention + line if line else line for line in lines[1:])
    if first:
        rv = indention + rv
    # Safe text stays safe: it was safe already, and only spaces and line breaks were added to it.
    return Markup(rv) if kind is Markup else rv  # noqa: S704  # nosec B704


_PARTS = {"text", "html"}


def _content(part: dict) -> str | None:
    """What the macro prints inside a key or value: html as it is, text escaped, each trimmed and indented by
    four; None when neither is given (or both are empty), as the macro's ``if``/``elif``."""
    html, text = part.get("html"), part.get("text")
    if html:
        return indent(str(html).strip(), 4)  # type: ignore[return-value]
    if text:
        trimmed = text.strip() if isinstance(text, str) else str(text).strip()  # Markup stays Markup
        return str(escape(indent(trimmed, 4)))
    return None


def _cell(tag: str, css: str, part: dict) -> str:
    content = _content(part)
    inner = "\n  \n    " + content + "\n  \n  " if content is not None else "\n  \n  "
    return f'  <{tag} class="{css}"\n  >{inner}</{tag}>\n'


def _plain_row(row: object) -> bool:
    if not isinstance(row, dict) or not set(row) <= {"key", "value", "actions"}:
        return False
    return all(isinstance(row.get(p, {}), dict) and set(row.get(p, {})) <= _PARTS for p in ("key", "value"))


def _has_actions(row: dict) -> bool:
    """Whether the macro would give the row an actions column (it is given as {"items": [...]}, or not at all)."""
    actions = row.get("actions")
    return bool(actions) and isinstance(actions, dict) and bool(actions.get("items"))


def summary_list(macro: Callable[..., Markup], row_macro: Callable[..., Markup]) -> Callable[..., Markup]:
    """``summaryList(params)`` for templates: built here when every row is plain (a row with actions by
    ``row_macro``, the macro's own), else ``macro``'s."""

    def render(params: object = None) -> Markup:
        rows = params.get("rows") if isinstance(params, dict) and set(params) == {"rows"} else None
        if not isinstance(rows, list) or not all(_plain_row(row) for row in rows):
            return macro(params if params is not None else {})
        if not all(_has_actions(row) or not row.get("actions") for row in rows):
            return macro(params)  # actions given some other way (a list, items of no length)
        has_actions = any(_has_actions(row) for row in rows)
        out = ["\n\n\n", "\n  \n" * len(rows), '<dl class="nhsuk-summary-list"\n  >\n\n  ']
        for index, row in enumerate(rows):
            if _has_actions(row):
                parent = {
                    "params": params,
                    "loop": {"index0": index, "last": index == len(rows) - 1},
                    "rows": rows,
                    "classNames": "nhsuk-summary-list",
                    "hasActions": True,
                }
                html = str(row_macro(row, parent)).strip()
            else:
                css = "nhsuk-summary-list__row" + (" nhsuk-summary-list__row--no-actions" if has_actions else "")
                html = (
                    f'<div class="{css}"\n  >\n'
                    + _cell("dt", "nhsuk-summary-list__key", row.get("key", {}))
                    + _cell("dd", "nhsuk-summary-list__value", row.get("value", {}))
                    + "  \n</div>"
                )
            out.append(indent(html, 2, True) + "\n  ")  # type: ignore[operator]
        out.append("\n\n</dl>\n")
        return Markup("".join(out))  # noqa: S704  # nosec B704  # every value escaped above, html given as safe

    return render
