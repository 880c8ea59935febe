"""Within a request the work lists' dates are worked out once, for every case the request changed; outside a
request (daily checks, demo, shell) each change refreshes its case at once."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from supportpath.progress import worklist


def test_a_request_refreshes_every_changed_case_once_at_its_end(monkeypatch):
    calls = []
    monkeypatch.setattr(worklist, "refresh", lambda ids: calls.append(set(ids)))

    def view(request):
        worklist._changed([1])
        worklist._changed([1, 2])
        worklist._changed([3])
        assert calls == []  # nothing worked out while the view runs
        return HttpResponse("ok")

    response = worklist.RefreshWorkListsOnce(view)(RequestFactory().post("/"))

    assert response.status_code == 200
    assert calls == [{1, 2, 3}]


def test_a_view_that_fails_still_refreshes_what_it_changed(monkeypatch):
    calls = []
    monkeypatch.setattr(worklist, "refresh", lambda ids: calls.append(set(ids)))

    def view(request):
        worklist._changed([7])
        raise ValueError("boom")

    with pytest.raises(ValueError):
        worklist.RefreshWorkListsOnce(view)(RequestFactory().get("/"))
    assert calls == [{7}]


def test_outside_a_request_each_change_refreshes_at_once(monkeypatch):
    calls = []
    monkeypatch.setattr(worklist, "refresh", lambda ids: calls.append(set(ids)))
    worklist._changed([4])
    worklist._changed([5])
    assert calls == [{4}, {5}]
