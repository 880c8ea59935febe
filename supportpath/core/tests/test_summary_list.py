import itertools

from django.template import engines
from markupsafe import Markup


def _both(params):
    env = engines["jinja2"].env
    ours = env.from_string("{{ plainSummaryList(p) }}").render(p=params)
    macros = env.from_string("{{ summaryList(p) }}").render(p=params)
    return ours, macros


PARTS = [
    {"text": "Stage"},
    {"text": "  <b>Tom & Jerry</b>\n  second line\n\n\nfourth  "},
    {"text": ""},
    {"text": "   "},
    {"text": Markup("<i>safe</i>\ntext")},
    {"text": 0},
    {"text": 42},
    {"html": Markup("<p>one</p>\n<p>two</p>\n")},
    {"html": "<p>given as html</p>"},
    {"html": "", "text": "text when html is empty"},
    {"html": Markup("<p>html wins</p>"), "text": "not this"},
    {},
]


def test_the_summary_list_is_the_macros_html_to_the_byte_for_every_plain_row():
    for key, value in itertools.product(PARTS, PARTS):
        for row in ({"key": key, "value": value}, {"key": key, "value": value, "actions": {}}, {"value": value}):
            ours, macros = _both({"rows": [row]})
            assert ours == macros, row
    for n in range(4):
        rows = [{"key": PARTS[i % len(PARTS)], "value": PARTS[(i * 5 + 1) % len(PARTS)]} for i in range(n)]
        ours, macros = _both({"rows": rows})
        assert ours == macros, rows


ACTION = {"items": [{"href": "/move/", "text": "Move", "visuallyHiddenText": "the case"}]}


def test_rows_with_actions_are_the_macros_html_to_the_byte_too():
    two = {"items": [*ACTION["items"], {"href": "/edit/?a=1&b=2", "text": "Change <it>"}]}
    for actions in (ACTION, two):
        for n in range(1, 4):
            for at in range(n):
                rows = [{"key": PARTS[i], "value": PARTS[i + 1], "actions": {}} for i in range(n)]
                rows[at]["actions"] = actions
                ours, macros = _both({"rows": rows})
                assert ours == macros, rows
                del rows[(at + 1) % n]["actions"]
                assert _both({"rows": rows})[0] == _both({"rows": rows})[1], rows


def test_any_other_shape_is_the_macros_own():
    action = ACTION
    for params in (
        {"rows": [{"key": {"text": "A"}, "actions": {"items": []}}]},
        {"rows": [{"key": {"text": "A"}, "actions": [{"href": "/x/", "text": "X"}]}]},
        {"rows": [{"key": {"text": "A"}, "actions": {"items": action["items"], "classes": "x"}}]},
        {"rows": [{"key": {"text": "A", "classes": "nhsuk-u-width-one-half"}, "value": {"text": "b"}}]},
        {"rows": [{"key": {"text": "A"}, "value": {"text": "b"}, "classes": "x"}]},
        {"rows": [{"key": "A plain string", "value": "b"}]},
        {"rows": [None, {"key": {"text": "A"}, "value": {"text": "b"}}]},
        {"rows": [{"key": {"text": "A"}, "value": {"text": "b"}}], "card": {"title": {"text": "A card"}}},
        {"rows": ({"key": {"text": "A"}, "value": {"text": "b"}},)},
        {"rows": [{"key": {"text": "A"}, "value": {"text": "b"}}], "classes": "nhsuk-summary-list--no-border"},
        {},
    ):
        ours, macros = _both(params)
        assert ours == macros, params
    assert "nhsuk-summary-list__actions" in _both({"rows": [{"key": {"text": "A"}, "actions": action}]})[0]
