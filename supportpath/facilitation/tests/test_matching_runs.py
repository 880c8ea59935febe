"""The waiting list's allocation is worked out in the background, once per change, never on a page view."""

from django.test import override_settings
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.facilitation.models import FacilitatorProfile, MatchingRun, ProposedMatch
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

from .test_allocation_pages import facilitator, waiting_case

QUEUED_NOT_RUN = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_page_shows_the_stored_allocation_and_works_nothing_out_when_nothing_has_changed(client, world):
    coach = facilitator(world, "Coach", specialisms=["career"])
    case = waiting_case(world, reasons=["career"])
    login_as(client, world.case_manager)
    first = client.get(reverse("facilitation:waiting_list"))
    assert coach.full_name in first.text and "Worked out at" in first.text
    run = MatchingRun.objects.get(service=world.service)
    assert run.is_current and ProposedMatch.objects.get(case=case).facilitator == coach
    worked_out_at = run.computed_at

    again = client.get(reverse("facilitation:waiting_list"))
    assert coach.full_name in again.text
    run.refresh_from_db()
    assert run.computed_at == worked_out_at and run.queued_generation == run.generation


def test_a_change_queues_one_run_and_the_page_says_a_new_allocation_is_being_worked_out(client, world):
    facilitator(world, "Coach", specialisms=["career"])
    waiting_case(world, reasons=["career"])
    login_as(client, world.case_manager)
    client.get(reverse("facilitation:waiting_list"))
    with override_settings(TASKS=QUEUED_NOT_RUN):
        from django_tasks import default_task_backend

        newcomer = waiting_case(world, reasons=["career"], doctor=f.DoctorFactory(employer=world.trust))
        run = MatchingRun.objects.get(service=world.service)
        assert not run.is_current
        page = client.get(reverse("facilitation:waiting_list"))
        assert "A new one is being worked out now" in page.text
        assert "Being worked out" in page.text  # the newcomer's row, until the run has placed them
        assert f"{newcomer.pk}:" not in page.text  # nothing can be confirmed for a case not yet worked out
        client.get(reverse("facilitation:waiting_list"))
        queued = [r for r in default_task_backend.results if r.task.name == "recompute_waiting_list"]
        assert len(queued) == 1  # one run per change, however many views


def test_a_change_in_capacity_makes_the_stored_allocation_old(client, world):
    coach = facilitator(world, "Coach", specialisms=["career"])
    case = waiting_case(world, reasons=["career"])
    login_as(client, world.case_manager)
    client.get(reverse("facilitation:waiting_list"))
    assert ProposedMatch.objects.get(case=case).facilitator == coach
    profile = FacilitatorProfile.objects.get(user=coach)
    profile.capacity = 0
    profile.save()
    assert not MatchingRun.objects.get(service=world.service).is_current
    page = client.get(reverse("facilitation:waiting_list"))  # tests run queued work at once
    assert page.status_code == 200 and MatchingRun.objects.get(service=world.service).is_current
    assert ProposedMatch.objects.get(case=case).facilitator != coach


def test_the_other_services_changes_leave_this_services_allocation_current(client, world):
    facilitator(world, "Coach", specialisms=["career"])
    waiting_case(world, reasons=["career"])
    login_as(client, world.case_manager)
    client.get(reverse("facilitation:waiting_list"))
    MatchingRun.objects.create(service=world.other_service)
    f.MembershipFactory(organisation=world.other_service, role=Role.FACILITATOR)
    assert MatchingRun.objects.get(service=world.service).is_current
    assert not MatchingRun.objects.get(service=world.other_service).is_current
