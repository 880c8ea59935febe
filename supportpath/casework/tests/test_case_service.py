"""The request's service kept on each case (``Case.service``; docs/scale.md): set as the case opens, filled by
its migration, and read by the waiting list and the staff page's open cases, which still count and show only
their own service's cases."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.casework import services as casework
from supportpath.casework.models import Case
from supportpath.facilitation import pool
from supportpath.facilitation.tests.test_allocation_pages import waiting_case
from supportpath.service.services import open_work_of
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def test_a_case_keeps_its_requests_service_as_it_opens(world):
    request = f.SupportRequestFactory(service=world.other_service, status="contacted")
    case = casework.accept(request, by=world.case_manager, notify=False)
    assert Case.objects.get(pk=case.pk).service_id == world.other_service.pk
    made = f.CaseFactory(request=f.SupportRequestFactory(service=world.service, status="accepted"))
    assert Case.objects.get(pk=made.pk).service_id == world.service.pk


def test_the_migration_fills_the_service_of_every_existing_case(world):
    f.CaseFactory(request=f.SupportRequestFactory(service=world.other_service, status="accepted"))
    Case.objects.update(service=None)
    import_module("supportpath.casework.migrations.0006_case_service").fill(apps, None)
    for case in Case.objects.select_related("request"):
        assert case.service_id == case.request.service_id
    assert Case.objects.exists()


def test_the_waiting_list_shows_its_own_services_cases_only_even_if_a_kept_service_were_wrong(client, world):
    world.allocation.delete()
    ours = waiting_case(world)
    theirs = waiting_case(world, doctor=f.DoctorFactory(user__full_name="Dr Other Service"))
    Case.objects.filter(pk=theirs.pk).update(service=None)
    theirs.request.service = world.other_service
    theirs.request.save(update_fields=["service"])
    Case.objects.filter(pk=theirs.pk).update(service=world.service)  # as if the copy had gone wrong
    assert list(pool.waiting_queryset([world.service.pk])) == [ours]
    login_as(client, world.case_manager)
    page = client.get(reverse("facilitation:waiting_list")).content.decode()
    assert ours.request.reference in page and theirs.request.reference not in page
    assert "Dr Other Service" not in page


def test_the_staff_page_counts_each_case_managers_open_cases_in_this_service_only(client, world):
    manager = world.case_manager
    f.MembershipFactory(organisation=world.other_service, role=Role.CASE_MANAGER, user=manager)
    before = Case.objects.filter(case_manager=manager, request__service=world.service).exclude(stage="closed")
    expected = before.count()
    for _ in range(2):  # open cases elsewhere, and a closed one here: none counted
        f.CaseFactory(
            request=f.SupportRequestFactory(service=world.other_service, status="accepted"), case_manager=manager
        )
    f.CaseFactory(
        request=f.SupportRequestFactory(service=world.service, status="accepted"), case_manager=manager, stage="closed"
    )
    f.CaseFactory(request=f.SupportRequestFactory(service=world.service, status="accepted"), case_manager=manager)
    memberships = list(world.service.memberships.filter(role=Role.CASE_MANAGER))
    membership = next(m for m in memberships if m.user_id == manager.pk)
    assert open_work_of(world.service, memberships)[membership.pk] == expected + 1
    login_as(client, world.service_admin)
    page = client.get(reverse("service:staff")).content.decode()
    row = page.split(manager.full_name)[1].split("</tr>")[0]
    assert f"Open cases </span>{expected + 1}</td>" in row
