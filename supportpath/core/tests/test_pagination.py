"""Long lists count only as far as they show: exactly up to the limit, then "more than" it, and every page stays
reachable."""

import pytest
from django.test import RequestFactory

from supportpath.accounts.models import Organisation
from supportpath.core.pagination import BoundedCount, paginate, paginate_bounded, paginate_short, paginate_uncounted

pytestmark = pytest.mark.django_db


def _rows(n: int):
    Organisation.objects.bulk_create(Organisation(name=f"Org {i:03d}") for i in range(n))
    return Organisation.objects.filter(name__startswith="Org ").order_by("name", "id")


def _page(rows, page=None, limit=10, per_page=3):
    request = RequestFactory().get("/list/", {"page": page} if page is not None else {})
    return paginate_bounded(request, rows, per_page, limit=limit)


@pytest.mark.parametrize(("rows", "shown"), [(9, "9"), (10, "10"), (11, "more than 10"), (25, "more than 10")])
def test_the_total_is_exact_up_to_the_limit_and_more_than_it_beyond(rows, shown):
    _, _, total = _page(_rows(rows))
    assert str(total) == shown
    assert total.more == (rows > 10)


def test_the_count_reads_no_more_rows_than_it_shows(django_assert_num_queries):
    rows = _rows(25)
    with django_assert_num_queries(2) as captured:
        page, _, _ = _page(rows)
        list(page.object_list)  # the page's rows are their own query
    count = captured.captured_queries[0]["sql"]
    assert "COUNT(*)" in count and "LIMIT 11" in count


def test_beyond_the_limit_the_next_page_is_still_offered_and_reachable():
    rows = _rows(25)
    page, links, total = _page(rows, page=4)  # rows 10-12: past the limit
    assert [o.name for o in page.object_list] == ["Org 009", "Org 010", "Org 011"]
    assert links["next"]["href"] == "?page=5"
    assert total.more
    page, links, total = _page(rows, page=9)  # the real last page, with one row
    assert [o.name for o in page.object_list] == ["Org 024"]
    assert "next" not in links and str(total) == "25"


def test_a_page_far_beyond_the_end_is_the_last_page():
    rows = _rows(25)
    page, links, _ = _page(rows, page="100000")
    assert page.number == 9 and "next" not in links
    page, _, _ = _page(rows, page="nonsense")
    assert page.number == 1


def test_a_bounded_count_compares_as_its_number_and_starts_a_sentence():
    assert BoundedCount(1) == 1 and BoundedCount(1000, more=True) == 1000
    assert str(BoundedCount(1000, more=True)) == "more than 1,000"
    assert str(BoundedCount(1234)) == "1234"


@pytest.mark.parametrize("rows", [0, 2, 3, 4, 7])
@pytest.mark.parametrize("page", [None, "", "abc", "1", "0", "2", "3", "99"])
def test_a_list_read_uncounted_shows_the_same_page_and_links_as_one_counted(rows, page):
    queryset = _rows(rows)
    request = RequestFactory().get("/list/", {"page": page} if page is not None else {})
    counted, counted_links = paginate(request, queryset, 3)
    uncounted, uncounted_links = paginate_uncounted(request, queryset, 3)
    assert list(uncounted.object_list) == list(counted.object_list)
    assert uncounted.number == counted.number
    assert uncounted_links == counted_links


def test_a_list_read_uncounted_reads_its_first_page_in_one_query(django_assert_num_queries):
    queryset = _rows(7)
    with django_assert_num_queries(1) as captured:
        page, links = paginate_uncounted(RequestFactory().get("/list/"), queryset, 3)
        assert len(page.object_list) == 3 and links["next"]["href"] == "?page=2"
    assert "COUNT" not in captured.captured_queries[0]["sql"] and "LIMIT 4" in captured.captured_queries[0]["sql"]


@pytest.mark.parametrize("rows", [0, 2, 3, 4, 7])
@pytest.mark.parametrize("page", [None, "", "abc", "1", "0", "2", "3", "99"])
def test_a_short_list_shows_the_same_page_links_and_total_as_one_counted(rows, page):
    queryset = _rows(rows)
    request = RequestFactory().get("/list/", {"page": page} if page is not None else {})
    counted, counted_links = paginate(request, queryset, 3)
    short, short_links = paginate_short(request, queryset, 3)
    assert list(short.object_list) == list(counted.object_list)
    assert (short.number, short.paginator.count) == (counted.number, counted.paginator.count) == (counted.number, rows)
    assert short_links == counted_links


@pytest.mark.parametrize(("rows", "queries"), [(0, 1), (2, 1), (3, 1), (4, 2), (7, 2)])
def test_a_short_list_that_fits_its_first_page_is_counted_without_a_count_query(
    rows, queries, django_assert_num_queries
):
    queryset = _rows(rows)
    with django_assert_num_queries(queries) as captured:
        page, _ = paginate_short(RequestFactory().get("/list/"), queryset, 3)
        assert page.paginator.count == rows and len(page.object_list) == min(rows, 3)
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]
    assert ("COUNT" in captured.captured_queries[-1]["sql"]) == (queries == 2)


@pytest.mark.parametrize("rows", [0, 9, 10, 11, 25])
@pytest.mark.parametrize("page", [None, "4", "9", "100000", "nonsense"])
def test_a_count_the_caller_already_has_gives_the_same_pages_and_total_without_counting(
    rows, page, django_assert_max_num_queries
):
    items = _rows(rows)
    request = RequestFactory().get("/list/", {"page": page} if page is not None else {})
    counted_page, counted_links, counted_total = paginate_bounded(request, items, 3, limit=10, counted=rows)
    with django_assert_max_num_queries(1):  # the page's rows only, or none for an empty page
        names = [o.name for o in counted_page.object_list]
    page_, links, total = _page(items, page=page)
    assert names == [o.name for o in page_.object_list] and counted_page.number == page_.number
    assert counted_links == links and str(counted_total) == str(total) and counted_total.more == total.more
