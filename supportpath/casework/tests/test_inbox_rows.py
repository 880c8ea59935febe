"""The inbox's rows as the presenter builds them for a page: the same link and reasons as each request's own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from supportpath.casework.presenters import inbox_row, inbox_rows, request_links
from supportpath.testing import factories as f


@pytest.mark.parametrize("reference", ["SP-ABCD-2345", "sp-abcd-2345", "SP ABCD?#", "SP-ÄBCD", "SP-STAND-IN"])
def test_each_link_is_the_address_reverse_gives(reference):
    assert request_links()(reference) == reverse("casework:request_detail", args=[reference])


@pytest.mark.django_db
def test_the_page_reads_the_same_reasons_as_each_request(world, django_assert_num_queries):
    today = timezone.localdate()
    both = f.SupportRequestFactory(
        service=world.service, reasons=["career", "other", "mental_health"], other_reason="Rota worries"
    )
    one = f.SupportRequestFactory(service=world.service, reasons=["return_to_work"])
    with django_assert_num_queries(1):
        rows = inbox_rows([both, one], today)
    assert rows == [inbox_row(both, today), inbox_row(one, today)]
    assert rows[0].reasons == ", ".join(both.reason_labels)
    assert "Something else: Rota worries" in rows[0].reasons
    assert rows[0].link == reverse("casework:request_detail", args=[both.reference])
    with django_assert_num_queries(0):
        assert inbox_rows([], today) == []
