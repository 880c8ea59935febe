"""What the doctor says when support ends reaches their case manager as far as the doctor allows; doctors who
offer to be peer supporters are listed for their service's case managers, and each look is logged."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.models import AccessRecord
from supportpath.closure.models import ExitFeedback
from supportpath.progress.models import Closure
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

from .conftest import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def closed(in_support, client):
    world = in_support
    login_as(client, world.case_manager)
    client.post(reverse("closure:close_case", args=[world.case.pk]), {"reason": "goals_met", "closed_on": "23/11/2026"})
    return world


def feedback_post(**overrides):
    data = {
        "what_changed": "I can say <no> on the ward now.",
        "team_may_read": "yes",
        "safe_to_be_open": "5",
        "would_recommend": "4",
        "peer_supporter": "yes",
    }
    data.update(overrides)
    return data


def test_the_case_manager_reads_the_doctors_account_only_if_the_doctor_agreed(client, closed):
    world = closed
    login_as(client, world.doctor)
    url = reverse("closure:exit_feedback", args=[world.case.pk])
    page = client.get(url).content.decode()
    assert "May your case manager read what you wrote about what changed?" in page
    assert not re.search(r"\bchecked\b", page), "nothing is chosen for the doctor"
    client.post(url, feedback_post())

    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "I can say &lt;no&gt; on the ward now." in page, "the doctor's words, escaped"
    assert "I felt safe to be open" in page and "Strongly agree" in page
    assert "I would suggest this service to a colleague" in page and re.search(r">\s*Agree\s*<", page)
    assert "Yes, please get in touch" in page

    login_as(client, world.doctor)
    client.post(url, feedback_post(team_may_read="no"))
    assert ExitFeedback.objects.get().team_may_read is False
    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    assert "I can say" not in page and "They chose to keep this to themselves." in page
    assert "I felt safe to be open" in page, "the answers to the statements are still shown"
    login_as(client, world.facilitator)
    response = client.get(reverse("pathway:case_detail", args=[world.case.pk]))
    assert response.status_code == 404, "the case closed: its former facilitator reads nothing of it"


def test_leaving_out_the_choice_is_refused_in_plain_words(client, closed):
    world = closed
    login_as(client, world.doctor)
    page = client.post(
        reverse("closure:exit_feedback", args=[world.case.pk]), feedback_post(team_may_read="")
    ).content.decode()
    assert "Select whether your case manager may read what you wrote" in page
    assert "I can say &lt;no&gt; on the ward now." in page, "what was typed is kept"
    assert not ExitFeedback.objects.exists()


def test_the_closure_summary_is_html_not_text(client, closed):
    world = closed
    Closure.objects.update(other_reason="<b>not bold</b>")
    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    inset = re.search(r'<div class="nhsuk-inset-text"\s*>(.*?)</div>', page, re.S).group(1)
    assert "<p><strong>Closed on Monday 23 November 2026:</strong> The goals were met" in inset
    assert "&lt;p&gt;" not in page, "no markup shown as text"
    assert "&lt;b&gt;not bold&lt;/b&gt;" in inset, "what staff typed is still escaped"


def _offer(world, service, n: int, answer: str = "yes") -> ExitFeedback:
    doctor = f.DoctorFactory(employer=world.trust, user__full_name=f"Dr Peer {n}")
    case = f.CaseFactory(
        request=f.SupportRequestFactory(doctor=doctor, service=service), case_manager=world.case_manager
    )
    Closure.objects.create(
        case=case, reason="goals_met", closed_on=TODAY - dt.timedelta(days=n), closed_by=world.case_manager
    )
    return ExitFeedback.objects.create(case=case, answers={}, peer_supporter=answer)


def test_case_managers_see_who_offered_to_be_a_peer_supporter_in_their_service_only(client, world):
    mine = _offer(world, world.service, 1)
    _offer(world, world.service, 2, answer="later")
    theirs = _offer(world, world.other_service, 3)
    url = reverse("closure:peer_supporter_offers")

    login_as(client, world.case_manager)
    page = client.get(url).content.decode()
    assert "Dr Peer 1" in page and mine.case.request.doctor.user.email in page
    assert "Dr Peer 2" not in page, "only those who said yes"
    assert "Dr Peer 3" not in page, "another service's doctors are not shown"
    record = AccessRecord.objects.get(doctor=mine.case.request.doctor)
    assert record.actor == world.case_manager and record.purpose == "Finding peer supporters"
    assert "peer supporter" in record.what

    login_as(client, world.other_case_manager)
    page = client.get(url).content.decode()
    assert "Dr Peer 3" in page and "Dr Peer 1" not in page
    assert theirs.case.request.reference in page

    for person in (world.doctor, world.facilitator, world.referrer):
        login_as(client, person)
        assert client.get(url).status_code == 403
    assert not AccessRecord.objects.filter(actor__in=[world.doctor, world.facilitator, world.referrer]).exists()


def test_the_peer_supporter_list_takes_the_same_queries_however_many_offers(client, world, django_assert_num_queries):
    from supportpath.closure.views import PAGE_SIZE

    login_as(client, world.case_manager)
    url = reverse("closure:peer_supporter_offers")
    counts = []
    for size in (PAGE_SIZE + 1, 2 * PAGE_SIZE + 3):
        while ExitFeedback.objects.filter(case__request__service=world.service).count() < size:
            _offer(world, world.service, ExitFeedback.objects.count() + 1)
        with django_assert_num_queries(pinned(13, 14)) as queries:
            page = client.get(url).content.decode()
        assert f"{size} doctors" in page and "Page 2" in page
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], "one page of doctors costs the same however long the list"
    assert f.MembershipFactory._meta.model.objects.filter(user=world.case_manager, role=Role.CASE_MANAGER).exists()


def test_case_managers_reach_the_peer_supporter_list_from_their_tabs(client, world):
    offers = reverse("closure:peer_supporter_offers")
    login_as(client, world.case_manager)
    for name in ("casework:inbox", "casework:cases", "facilitation:waiting_list", "facilitation:facilitators"):
        page = client.get(reverse(name)).content.decode()
        tabs = page.split('aria-label="Case manager pages"')[1].split("</nav>")[0]
        assert f'href="{offers}"' in tabs, name
    page = client.get(offers).content.decode()
    tabs = page.split('aria-label="Case manager pages"')[1].split("</nav>")[0]
    assert f'href="{offers}" aria-current="page"' in tabs
    login_as(client, world.facilitator)
    assert offers not in client.get(reverse("facilitation:my_allocations")).content.decode()


def test_a_blank_feedback_form_is_refused_not_thanked_or_counted(client, closed):
    world = closed
    login_as(client, world.doctor)
    url = reverse("closure:exit_feedback", args=[world.case.pk])
    response = client.post(url, {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answer at least one question before you send your feedback" in page
    assert "Thank you" not in page
    assert not ExitFeedback.objects.filter(case=world.case).exists()


def test_words_without_saying_who_may_read_them_are_asked_about_not_shared(client, closed):
    world = closed
    login_as(client, world.doctor)
    url = reverse("closure:exit_feedback", args=[world.case.pk])
    page = client.post(url, {"what_changed": "I feel steadier."}).content.decode()
    assert "Select whether your case manager may read what you wrote" in page
    assert "I feel steadier." in page  # what was typed is kept
    assert not ExitFeedback.objects.filter(case=world.case).exists()
