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
