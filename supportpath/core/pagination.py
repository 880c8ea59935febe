"""One page of a long list, with the NHS pagination links that keep the list's filters."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, per_page: int) -> tuple[Page, dict]:
    """The page the request asks for (the last one if it asks beyond the end) and its previous/next links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return page, page_links(request, page)


def page_links(request: HttpRequest, page: Page) -> dict:
    """The previous/next links for a page already taken, keeping the list's filters."""
    query = request.GET.copy()
    query.pop("page", None)
    prefix = f"?{query.urlencode()}&" if query else "?"
    links = {}
    if page.has_previous():
        number = page.previous_page_number()
        links["previous"] = {"href": f"{prefix}page={number}", "labelText": f"Page {number}"}
    if page.has_next():
        number = page.next_page_number()
        links["next"] = {"href": f"{prefix}page={number}", "labelText": f"Page {number}"}
    return links
