"""The case managers' tabs look the same on every page they lead to: the page's heading, then the tabs."""

import pytest
from django.urls import reverse

from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db

TAB_PAGES = [
    ("casework:inbox", "New requests"),
    ("casework:cases", "Accepted cases"),
    ("facilitation:waiting_list", "Waiting for a facilitator"),
    ("facilitation:facilitators", "Facilitators"),
    ("closure:peer_supporter_offers", "Doctors who offered to be peer supporters"),
    ("service:home", "Your service"),
]


@pytest.mark.parametrize(("name", "heading"), TAB_PAGES)
def test_each_tab_page_shows_its_heading_then_the_tabs_with_itself_current(client, world, name, heading):
    login_as(client, world.case_manager)
    page = client.get(reverse(name)).content.decode()
    tabs = page.index('aria-label="Case manager pages"')
    assert page.index("<h1") < tabs, "the heading comes first, then the tabs"
    assert f"{heading}</h1>" in page[:tabs]
    assert f'href="{reverse(name)}" aria-current="page"' in page[tabs:]
