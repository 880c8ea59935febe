"""The accepted cases list's facilitator filter is rendered once per set of options: the same HTML as the NHS
select macro, each option and the chosen one included, never another list's."""

from django.template import engines

from supportpath.casework import long_select


def _params(names: list[str], chosen: str = "") -> dict:
    items = [{"value": str(n), "text": name, "selected": str(n) == chosen} for n, name in enumerate(names)]
    return {"id": "id_facilitator", "name": "facilitator", "label": {"text": "Facilitator"}, "items": items}


def test_the_same_html_as_the_macro_and_made_once():
    env = engines["jinja2"].env
    long_select._render.cache_clear()
    params = _params(["Dr A <b>", "Dr B"], chosen="1")
    kept = long_select.remembered_select(env, params)
    assert kept == env.globals["select"](params)
    assert "Dr A &lt;b&gt;" in kept
    assert long_select.remembered_select(env, _params(["Dr A <b>", "Dr B"], chosen="1")) is kept
    other = long_select.remembered_select(env, _params(["Dr A <b>", "Dr B"], chosen="0"))
    assert other != kept and other == env.globals["select"](_params(["Dr A <b>", "Dr B"], chosen="0"))
    assert "Dr C" in long_select.remembered_select(env, _params(["Dr C"]))


def test_the_pagination_is_the_macros_for_the_same_links():
    env = engines["jinja2"].env
    long_select._render.cache_clear()
    for links in (
        {"next": {"href": "?whose=all&page=2", "labelText": "Page 2"}},
        {"previous": {"href": "?page=1", "labelText": "Page 1"}, "next": {"href": "?page=3", "labelText": "Page 3"}},
        {"previous": {"href": "?stage=<b>&page=4", "labelText": "Page 4"}},
    ):
        kept = long_select.remembered_pagination(env, links)
        assert kept == env.globals["pagination"](links)
        assert long_select.remembered_pagination(env, dict(links)) is kept
    assert "&lt;b&gt;" in kept
