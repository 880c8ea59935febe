import pytest
from django.template import engines


def _environment():
    return engines["jinja2"].env


def test_a_template_reads_the_environments_own_globals_so_imports_between_components_are_cheap():
    # Jinja looks through a template's globals each time it imports another template, and every NHS.UK
    # component imports three or four; the environment's own dict, not a ChainMap over it (docs/scale.md).
    env = _environment()
    for name in ["layout.jinja", "nhsuk/components/select/template.jinja", "nhsuk/components/label/macro.jinja"]:
        assert env.get_template(name).globals is env.globals
    page = env.from_string("{{ tag({'text': 'Urgent'}) }} {{ url('core:home') }}")
    assert "nhsuk-tag" in page.render() and page.globals is env.globals


def test_a_template_given_globals_of_its_own_still_keeps_them_to_itself():
    env = _environment()
    own = env.from_string("{{ service_name }} {{ only_here }}", globals={"only_here": "kept"})
    assert own.render() == "supportpath kept"
    assert "only_here" not in env.globals
    assert env.from_string("{{ only_here }}").render() == ""
    with pytest.raises(TypeError):  # by name, a template is shared: globals of its own would be everyone's
        env.get_template("layout.jinja", globals={"only_here": "kept"})
    assert "only_here" not in env.globals


def test_the_indent_filter_gives_jinjas_own_text_and_keeps_safe_text_safe():
    # Every NHS.UK component indents what it renders; ours does it in plain str (docs/scale.md), the same out.
    from jinja2.filters import do_indent
    from markupsafe import Markup

    from supportpath.core.nhs_components import indent

    assert _environment().filters["indent"] is indent
    texts = ["", "one", "one\n", "\n", "a\nb", "a\n\nb\n", "  a\r\n b\n\n\nc  ", "x\u2028y", "<b>\n&amp;\n</b>\n\n"]
    for text in texts:
        for value in (text, Markup(text)):
            for width in (0, 2, 4, "--"):
                for first in (False, True):
                    for blank in (False, True):
                        ours, jinjas = indent(value, width, first, blank), do_indent(value, width, first, blank)
                        assert ours == jinjas and type(ours) is type(jinjas), (value, width, first, blank)
    assert indent(Markup("<i>\nx")) == Markup("<i>\n    x")
    rendered = _environment().from_string("{{ '<a>\nb' | indent(2) }}|{{ '<a>\nb' | safe | indent(2) }}").render()
    assert rendered == "&lt;a&gt;\n  b|<a>\n  b"
