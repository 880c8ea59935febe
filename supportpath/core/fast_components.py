"""Jinja's ``indent`` filter and the NHS.UK summary list, in Python, with the same output as Jinja's and as the
macro's to the byte: the two a case page calls most (docs/scale.md).

The summary list is built here for the shapes our pages use most: rows of a key and a value, each as text or
html, and any row's actions rendered by the macro's own row macro, with no classes, ids or attributes. Any other
shape goes to the macro itself. The macro renders each row through a row macro, which imports two more and runs
every part through ``trim`` and ``indent`` in Jinja: on the case page, whose needs assessment alone is a list of
a dozen rows, that was a tenth of the page's time. ``core/tests/test_summary_list.py`` holds it to the macro's
output, ``core/tests/test_jinja.py`` the filter to Jinja's."""

from collections.abc import Callable

from jinja2.filters import do_indent
from markupsafe import Markup, escape


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
