"""Peer groups: doctors ask, the facilitator admits up to the size limit, first names only where each agrees,
and a meeting is recorded as that it happened and who came."""

import datetime as dt

import pytest
from django.urls import reverse

from supportpath.peer import services
from supportpath.peer.models import GroupMeeting, GroupMember, MemberStatus
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def _group(world, size_limit=2):
    return services.create_group(
        world.service,
        {
            "name": "Returners after time away",
            "purpose": "Share what helps when coming back to work.",
            "who_may_join": "Doctors returning after six months or more away.",
            "facilitator": world.facilitator,
            "size_limit": size_limit,
            "starts_on": dt.date(2027, 1, 12),
            "dates": "Every second Tuesday, 6pm to 7.30pm",
            "place": "Video call (link sent to members)",
        },
        by=world.case_manager,
    )


def _doctor(world, name):
    doctor = f.DoctorFactory(employer=world.trust, user__full_name=name)
    f.SupportRequestFactory(doctor=doctor, service=world.service)
    return doctor


def test_a_case_manager_sets_up_a_group_with_a_facilitator(world, client):
    login_as(client, world.case_manager)
    response = client.post(
        reverse("peer:new_group"),
        {
            "name": "Exams",
            "purpose": "Preparing for exams together.",
            "who_may_join": "Trainees with an exam this year.",
            "facilitator": str(world.facilitator.pk),
            "size_limit": "8",
            "starts_on": "12/01/2027",
            "dates": "Mondays at 7pm",
            "place": "Room 2, education centre",
        },
    )
    assert response.status_code == 302
    login_as(client, world.facilitator)
    assert client.get(response.url).status_code == 200


def test_the_facilitator_admits_until_the_group_is_full(world, client):
    group = _group(world, size_limit=2)
    members = [services.ask_to_join(group, _doctor(world, f"Dr Joiner {n}"), share_first_name=True) for n in range(3)]
    login_as(client, world.facilitator)
    for member in members:
        client.post(reverse("peer:admit", args=[member.pk]), {"answer": "yes"})
    statuses = [GroupMember.objects.get(pk=m.pk).status for m in members]
    assert statuses == [MemberStatus.ADMITTED, MemberStatus.ADMITTED, MemberStatus.ASKED]
    assert "The group is full" in client.get(reverse("peer:group", args=[group.pk])).content.decode()


def test_members_see_first_names_only_where_each_agrees(world):
    group = _group(world, size_limit=5)
    amara = services.ask_to_join(group, _doctor(world, "Dr Amara Quist"), share_first_name=True)
    bo = services.ask_to_join(group, _doctor(world, "Dr Bo Private"), share_first_name=False)
    cy = services.ask_to_join(group, _doctor(world, "Dr Cy Open"), share_first_name=True)
    for m in (amara, bo, cy):
        services.admit(m, yes=True)
    amara.refresh_from_db()
    bo.refresh_from_db()
    assert services.names_seen_by(amara) == ["Cy"]
    assert services.names_seen_by(bo) == []


def test_a_meeting_records_who_came_and_nothing_said(world, client):
    group = _group(world, size_limit=5)
    member = services.ask_to_join(group, _doctor(world, "Dr Amara Quist"), share_first_name=True)
    services.admit(member, yes=True)
    login_as(client, world.facilitator)
    client.post(reverse("peer:record_meeting", args=[group.pk]), {"held_on": "12/01/2027", "came": [str(member.pk)]})
    meeting = GroupMeeting.objects.get()
    assert [a.member for a in meeting.attendance.all()] == [member]
    assert {f.name for f in GroupMeeting._meta.concrete_fields} == {"id", "group", "held_on", "recorded_by"}


def test_only_the_facilitator_records_meetings_and_only_doctors_of_the_service_see_the_group(world, client):
    group = _group(world)
    login_as(client, world.case_manager)
    assert client.get(reverse("peer:record_meeting", args=[group.pk])).status_code == 404
    for person in (world.other_case_manager, world.other_facilitator, world.referrer, world.responsible_officer):
        login_as(client, person)
        assert client.get(reverse("peer:group", args=[group.pk])).status_code == 404
    login_as(client, world.doctor)
    assert client.get(reverse("peer:group", args=[group.pk])).status_code == 200
