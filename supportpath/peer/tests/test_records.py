"""Peer-support records that name a doctor are in their data download, go when their record is erased, and
go under retention once ended."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from supportpath.peer import services
from supportpath.peer.export import peer_support
from supportpath.peer.models import PeerMatch, PeerRequest, PeerSupporter
from supportpath.records.erasure import close_account
from supportpath.records.retention import apply_retention

from .conftest import approved_supporter, peer_request

pytestmark = pytest.mark.django_db


def _matched(world):
    supporter = approved_supporter(world)
    match = services.propose(peer_request(world), supporter.pk, by=world.case_manager)
    services.answer(match, "doctor", True)
    services.answer(match, "supporter", True)
    return supporter, match


def test_the_data_download_has_the_doctors_peer_support(world):
    supporter, _ = _matched(world)
    mine = peer_support(world.doctor.doctor_profile)
    assert mine["requests"][0]["what_you_chose_to_tell"] == "My exam is in March."
    assert mine["matches"][0]["peer_supporter"] == "Dr Sam Supporter"
    theirs = peer_support(supporter.doctor)
    assert theirs["peer_supporter"][0]["about_you"].startswith("I failed an exam twice")
    assert theirs["matches"][0]["doctor"] == world.doctor.full_name


def test_closing_an_account_removes_its_peer_support(world):
    supporter, match = _matched(world)
    close_account(supporter.doctor)
    assert not PeerSupporter.objects.filter(pk=supporter.pk).exists()
    assert not PeerMatch.objects.filter(pk=match.pk).exists()
    assert PeerRequest.objects.filter(doctor=world.doctor.doctor_profile).exists()


def test_ended_peer_support_goes_after_its_period_and_open_support_stays(world):
    supporter, match = _matched(world)
    open_request = peer_request(world)
    services.end_match(match, by="doctor")
    later = timezone.now() + dt.timedelta(days=3 * 366)
    services.propose(open_request, supporter.pk, by=world.case_manager)
    with time_machine.travel(later):
        apply_retention(trigger="command")
    assert not PeerRequest.objects.filter(pk=match.request_id).exists()
    assert PeerRequest.objects.filter(pk=open_request.pk).exists()
