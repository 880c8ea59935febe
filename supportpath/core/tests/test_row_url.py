"""A list's row links reversed once (core/jinja.py ``row_url``): the same URL as reversing each."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse

from supportpath.core.jinja import row_url


@pytest.mark.parametrize("name", ["pathway:case_detail", "pathway:own_private_notes", "facilitation:respond"])
def test_each_row_s_url_is_the_one_reversing_it_gives(name):
    link = row_url(name)
    for pk in (1, 7, 42, 123456):
        assert link(pk) == reverse(name, args=[pk])


def test_a_url_without_one_id_is_refused():
    with pytest.raises((ValueError, NoReverseMatch)):
        row_url("facilitation:my_allocations")


def test_templates_have_it():
    template = engines["jinja2"].from_string("{% set link = row_url('pathway:case_detail') %}{{ link(5) }}")
    assert template.render({}) == reverse("pathway:case_detail", args=[5])
