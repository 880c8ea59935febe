"""``url()``, the templates' reverse: a name given whole numbers is reversed once and then filled in, and gives
reverse()'s address to the character for every named address of the product."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from supportpath.core.jinja import url


def _names(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def _taking_numbers():
    """Each named address with how many whole numbers it takes (none, or those that take other things)."""
    found = {}
    for name in set(_names()):
        for count in (1, 2, 3):
            try:
                reverse(name, args=[5] * count)
            except NoReverseMatch:
                continue
            found[name] = count
            break
    return found


def test_every_address_taking_whole_numbers_is_reverses_own():
    taking = _taking_numbers()
    assert len(taking) > 50  # nearly every page of a case, a request or a person
    for name, count in taking.items():
        for numbers in ([0] * count, [7] * count, list(range(300_000, 300_000 + count)), [10**12 + 9] * count):
            assert url(name, *numbers) == reverse(name, args=numbers), name


def test_other_arguments_go_to_reverse_as_they_are():
    assert url("core:home") == reverse("core:home")
    # An address that takes only a whole number (not any address of _taking_numbers: some of those take a
    # reference too, which "-1" would be, and the set's order changes from one run to the next).
    name = "pathway:case_detail"
    assert url(name, "12") == reverse(name, args=["12"])
    with pytest.raises(NoReverseMatch):  # a negative number matches no <int:> pattern, as with reverse
        url(name, -1)
    with pytest.raises(NoReverseMatch):  # nor does True stand for 1
        url(name, True)


def test_an_address_under_another_script_prefix_carries_it():
    name = "pathway:case_detail"
    try:
        set_script_prefix("/supportpath/")
        assert url(name, 42) == reverse(name, args=[42]) == "/supportpath/support/cases/42/"
    finally:
        set_script_prefix("/")
    assert url(name, 42) == "/support/cases/42/"
