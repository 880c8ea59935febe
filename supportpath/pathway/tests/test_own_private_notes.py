"""Private notes belong to their author for good: after the doctor changes facilitator, the author can still read
their own notes (read-only, logged for the doctor), without the rest of the case; nobody else ever can."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.models import AccessRecord
from supportpath.facilitation import services as facilitation
from supportpath.facilitation.models import Allocation, FacilitatorProfile
from supportpath.pathway.models import NeedsAssessment, SupportSession
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
NOTE = "Seemed low; check in about sleep next time."


@pytest.fixture
def changed(world):
    """world.facilitator supported the doctor and wrote private notes; then the doctor changed facilitator."""
    # The first conversation came first: a facilitator is asked only once the needs are recorded.
    NeedsAssessment.objects.create(
        case=world.case, conversation_held_on=dt.date(2026, 11, 2), recorded_by=world.case_manager
    )
    facilitation.accept(world.allocation)
    for n in range(2):
        SupportSession.objects.create(
            case=world.case,
            facilitator=world.facilitator,
            held_on=dt.date(2026, 11, 10 + n),
            mode="video",
            attendance="attended",
            shared_summary=f"Shared summary {n}",
            private_notes=f"{NOTE} ({n})",
            submission_token=uuid.uuid4(),
        )
    assert facilitation.change_facilitator(world.case)
    newcomer = f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name="Gil New").user
    FacilitatorProfile.objects.create(user=newcomer, service=world.service, role="mentor", specialisms=["career"])
    facilitation.propose(world.case, newcomer.pk, by=world.case_manager)
    facilitation.accept(Allocation.objects.get(case=world.case, facilitator=newcomer))
    world.newcomer = newcomer
    return world


@time_machine.travel(NOW, tick=False)
def test_the_former_facilitator_reads_their_own_notes_but_not_the_rest_of_the_case(client, changed):
    login_as(client, changed.facilitator)
    assert client.get(reverse("pathway:case_detail", args=[changed.case.pk])).status_code == 404
    mine = client.get(reverse("facilitation:my_allocations")).content.decode()
    notes_url = reverse("pathway:own_private_notes", args=[changed.case.pk])
    assert f'href="{notes_url}"' in mine

    page = client.get(notes_url).content.decode()
    assert f"{NOTE} (0)" in page and f"{NOTE} (1)" in page
    assert "You no longer support this doctor" in page
    assert "Shared summary" not in page  # nothing else of the case comes with them
    assert changed.doctor.full_name not in page
    assert "<form" not in page.split("<main", 1)[1]  # read-only

    record = AccessRecord.objects.filter(actor=changed.facilitator).latest("id")
    assert record.doctor == changed.doctor.doctor_profile
    assert record.actor_role == "facilitator"
    assert record.what.startswith("Their own private notes")
    assert record.purpose == "Reading the private notes they wrote themselves"


@time_machine.travel(NOW, tick=False)
def test_nobody_but_the_author_reaches_the_notes(client, changed):
    url = reverse("pathway:own_private_notes", args=[changed.case.pk])
    for person in (changed.newcomer, changed.case_manager, changed.doctor, changed.other_case_manager):
        login_as(client, person)
        assert client.get(url).status_code == 404, person
        assert client.post(url).status_code == 404, person
    login_as(client, changed.newcomer)
    assert NOTE not in client.get(reverse("pathway:case_detail", args=[changed.case.pk])).content.decode()
    login_as(client, changed.case_manager)
    assert NOTE not in client.get(reverse("pathway:case_detail", args=[changed.case.pk])).content.decode()
    login_as(client, changed.doctor)
    assert NOTE not in client.get(reverse("pathway:my_case", args=[changed.case.pk])).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_a_facilitator_with_no_notes_on_a_case_gets_nothing(client, world):
    login_as(client, world.facilitator)
    assert client.get(reverse("pathway:own_private_notes", args=[world.case.pk])).status_code == 404
    SupportSession.objects.create(
        case=world.case,
        facilitator=world.facilitator,
        held_on=dt.date(2026, 11, 10),
        mode="video",
        attendance="attended",
        shared_summary="Only a shared summary",
        submission_token=uuid.uuid4(),
    )
    assert client.get(reverse("pathway:own_private_notes", args=[world.case.pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_notes_page_takes_the_same_queries_however_many_sessions(client, changed, django_assert_num_queries):
    login_as(client, changed.facilitator)
    url = reverse("pathway:own_private_notes", args=[changed.case.pk])
    counts = []
    for extra in (0, 15):
        for n in range(extra):
            SupportSession.objects.create(
                case=changed.case,
                facilitator=changed.facilitator,
                held_on=dt.date(2026, 10, 1 + n),
                mode="phone",
                attendance="attended",
                private_notes=f"Extra {n}",
                submission_token=uuid.uuid4(),
            )
        # Sign-in checks (4), the notes (1), and the logged read (4; 5 on PostgreSQL, whose chain takes a lock).
        with django_assert_num_queries(10 + (connection.vendor == "postgresql")) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
