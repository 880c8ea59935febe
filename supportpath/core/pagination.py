"""One page of a long list, with the NHS pagination links that keep the list's filters.

Long lists (the inbox, the waiting list, accepted cases, the responsible officer's doctors) use
``paginate_bounded``: their total is counted only as far as it is shown ("more than 1,000"), so a page does not
walk every row of a national-sized list just to count it (docs/scale.md)."""

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

COUNT_LIMIT = 1000  # a long list's total is shown exactly up to this, then as "more than 1,000"


class BoundedCount(int):
    """A list's total, or, when ``more`` is set, a lower bound it is known to exceed: prints as "more than
    1,000". Compares and sums as the number it holds."""

    more: bool

    def __new__(cls, value: int, *, more: bool = False) -> "BoundedCount":
        count = super().__new__(cls, value)
        count.more = more
        return count

    def __str__(self) -> str:
        return f"more than {int(self):,}" if self.more else str(int(self))


class BoundedPaginator(Paginator):
    """A paginator that counts at most ``limit + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT n)``), or as many
    as reaching the page asked for needs, so every page stays reachable (the next link is there while more rows
    are known) and asking for a page far beyond the end still finds the last page."""

    def __init__(
        self, object_list: QuerySet, per_page: int, *, wanted: object, limit: int, counted: int | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.limit = limit
        self.bound = max(limit, _page_number(wanted) * per_page) + 1
        if counted is not None:
            # The whole list's count, taken by the caller with another of its own: the same as counting here.
            self.count = min(counted, self.bound)

    @cached_property
    def count(self) -> int:
        # Only the ids, without the page's joins, annotations or order: the count needs none of them.
        return int(self.rows.order_by().select_related(None).values("pk")[: self.bound].count())

    @property
    def total(self) -> BoundedCount:
        """The count to show: exact up to the bound, else "more than" the bound less one."""
        if self.count >= self.bound:
            return BoundedCount(self.bound - 1, more=True)
        return BoundedCount(self.count)


def _page_number(wanted: object) -> int:
    try:
        return max(int(str(wanted)), 1)
    except ValueError:
        return 1


def paginate(request: HttpRequest, items, per_page: int) -> tuple[Page, dict]:
    """The page the request asks for (the last one if it asks beyond the end) and its previous/next links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return page, page_links(request, page)


def paginate_bounded(
    request: HttpRequest, items: QuerySet, per_page: int, *, limit: int | None = None, counted: int | None = None
) -> tuple[Page, dict, BoundedCount]:
    """``paginate`` for a long list: the page, its links and the list's bounded total (``BoundedCount``).

    ``counted``, the list's full count when the caller has it already (counted with something else in one
    query), saves counting it again."""
    wanted = request.GET.get("page")
    paginator = BoundedPaginator(
        items, per_page, wanted=wanted, limit=COUNT_LIMIT if limit is None else limit, counted=counted
    )
    page = paginator.get_page(wanted)
    return page, page_links(request, page), paginator.total


def _is_first(number: int | float | str | None) -> bool:
    """Whether Django's ``get_page`` would give the first page: asked for, or no page or not a whole number."""
    try:
        return int(number) == 1  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


class FirstPageUncounted(Paginator):
    """A paginator that reads the first page without counting the list: ``per_page + 1`` rows say whether a next
    page follows. Its ``count`` is then only known to be at least that many rows (enough for the page's links, not
    for a total to show). Any other page counts the list, as Django's does, so that a page asked for beyond the
    end still finds the last one."""

    def get_page(self, number: int | float | str | None) -> Page:
        if not _is_first(number):
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page + 1])
        self.__dict__["count"] = len(rows)  # the cached_property, known (or known to be at least this) unread
        return Page(rows[: self.per_page], 1, self)


def paginate_uncounted(request: HttpRequest, items: QuerySet, per_page: int) -> tuple[Page, dict]:
    """``paginate`` for a list that shows no total: its first page (the one most loads ask for) costs no count."""
    page = FirstPageUncounted(items, per_page).get_page(request.GET.get("page"))
    return page, page_links(request, page)


class ShortListCounted(Paginator):
    """A paginator that reads the first page as ``per_page + 1`` rows: a list that fits on it is counted by its
    length, with no count query (most lists of one case are that short); a longer one is counted as Django counts
    it, for the total shown. Any other page is read as Django's reads it."""

    def get_page(self, number: int | float | str | None) -> Page:
        if not _is_first(number):
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)  # the cached_property: the whole list is on this page
        return Page(rows[: self.per_page], 1, self)


def paginate_short(request: HttpRequest, items: QuerySet, per_page: int) -> tuple[Page, dict]:
    """``paginate`` for a list that is mostly short (a case's sessions): its total costs no count query when the
    whole list fits on its first page."""
    page = ShortListCounted(items, per_page).get_page(request.GET.get("page"))
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
