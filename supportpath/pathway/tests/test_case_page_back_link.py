"""The staff case page leads back to the list each person came from, named as that list is."""

import pytest
from django.urls import reverse

from supportpath.facilitation.models import AllocationStatus
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def test_the_case_manager_goes_back_to_accepted_cases_and_the_facilitator_to_their_cases(client, world):
    world.allocation.status = AllocationStatus.ACCEPTED
    world.allocation.save()
    world.case.facilitator = world.facilitator
    world.case.save()
    url = reverse("pathway:case_detail", args=[world.case.pk])
    for person, href, text in (
        (world.case_manager, reverse("casework:cases"), "Back to accepted cases"),
        (world.facilitator, reverse("facilitation:my_allocations"), "Back to your cases"),
    ):
        login_as(client, person)
        page = client.get(url).content.decode()
        back = page.split('class="nhsuk-back-link"')[1].split("</a>")[0]
        assert f'href="{href}"' in back and text in back, person
