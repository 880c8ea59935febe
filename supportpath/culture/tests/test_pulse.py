"""The culture pulse: anonymous for real, results only from 10 answers, a link works once, the shared link's
limits, and the list of addresses gone once the invitations are sent."""

import re
import uuid

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import reverse
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from supportpath.accounts.models import Role
from supportpath.culture import services
from supportpath.culture.models import PulseAnswer, PulseLink, PulseResponse, Wave
from supportpath.notifications.models import SentEmail
from supportpath.notifications.tasks import send_email
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
ADDRESSES = [f"doctor{n}@trust.example.test" for n in range(1, 13)]


@pytest.fixture
def trust():
    return f.OrganisationFactory(name="Fictional Vale Hospitals NHS Trust")


@pytest.fixture
def lead(trust):
    return f.MembershipFactory(organisation=trust, role=Role.ORGANISATION_LEAD, user__full_name="Dr Mo Director").user


@pytest.fixture
def wave(trust, lead):
    return services.open_wave(trust, by=lead, title="Spring pulse", staff_groups=["Consultants", "Residents"])


def links_from_outbox() -> list[str]:
    return [re.search(r"/pulse/([\w-]+)/", m.body).group(1) for m in mail.outbox]


def all_answers(wave, choice="4") -> dict[str, str]:
    return {f"item_{item.pk}": choice for item in wave.items.all()}


def test_a_wave_asks_the_five_statements_then_the_organisations_own(trust, lead):
    services.add_own_item(trust, "Rota gaps are discussed openly here.")
    wave = services.open_wave(trust, by=lead, title="Pulse", staff_groups=[])
    texts = [item.text for item in wave.items.all()]
    assert len(texts) == 6
    assert texts[-1] == "Rota gaps are discussed openly here."
    assert [i.standard for i in wave.items.all()] == [True] * 5 + [False]


def test_opening_a_wave_twice_with_one_form_makes_one_wave(trust, lead):
    token = uuid.uuid4()
    first = services.open_wave(trust, by=lead, title="Pulse", staff_groups=[], submission_token=token)
    again = services.open_wave(trust, by=lead, title="Pulse", staff_groups=[], submission_token=token)
    assert first == again and Wave.objects.count() == 1


def test_invitations_keep_only_hashes_of_the_links_and_no_address(wave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(wave, ADDRESSES, site_url="http://testserver")
    assert len(mail.outbox) == 12
    tokens = links_from_outbox()
    hashes = set(PulseLink.objects.values_list("token_hash", flat=True))
    assert hashes == {services.hash_token(t) for t in tokens}
    assert not any(t in hashes for t in tokens)
    wave.refresh_from_db()
    assert wave.invitations_sent == 12


def _every_text_in_the_database() -> str:
    """Every value of every row of every table the project has, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in connection.introspection.table_names():
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the models
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_the_address_list_is_gone_once_the_invitations_are_sent(wave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(wave, ADDRESSES, site_url="http://testserver")
    assert len(mail.outbox) == 12
    everything = _every_text_in_the_database()
    for address in ADDRESSES:
        assert address not in everything
    for token in links_from_outbox():
        assert token not in everything
    assert not SentEmail.objects.filter(key__startswith=services.INVITE_KEY).exists()


def test_no_answer_can_be_joined_to_a_person(wave, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(wave, ADDRESSES, site_url="http://testserver")
    token = links_from_outbox()[0]
    response = client.post(
        reverse("culture:pulse_answer", args=[token]),
        {**all_answers(wave), "staff_group": "Consultants"},
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 302
    # What an answer is stored with: its wave, the group the person chose, and nothing else.
    response_fields = {f.name for f in PulseResponse._meta.get_fields()}
    assert response_fields == {"id", "wave", "staff_group", "answers"}
    answer_fields = {f.name for f in PulseAnswer._meta.get_fields()}
    assert answer_fields == {"id", "response", "item", "choice"}
    link_fields = {f.name for f in PulseLink._meta.get_fields()}
    assert link_fields == {"id", "wave", "token_hash", "used"}
    # Random keys: the order of answers is not kept either.
    stored = PulseResponse.objects.get()
    assert isinstance(stored.pk, uuid.UUID)
    everything = _every_text_in_the_database()
    assert "203.0.113.77" not in everything
    for address in ADDRESSES:
        assert address not in everything


def test_a_link_works_once(wave, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(wave, ADDRESSES[:1], site_url="http://testserver")
    [token] = links_from_outbox()
    url = reverse("culture:pulse_answer", args=[token])
    assert client.get(url).status_code == 200
    assert client.post(url, all_answers(wave)).status_code == 302
    assert client.get(url).status_code == 410
    assert client.post(url, all_answers(wave)).status_code == 410
    assert PulseResponse.objects.count() == 1


def test_a_made_up_link_does_not_work(client):
    assert client.get(reverse("culture:pulse_answer", args=["made-up"])).status_code == 404


def test_an_unanswered_statement_is_asked_again_and_nothing_is_stored(wave, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(wave, ADDRESSES[:1], site_url="http://testserver")
    [token] = links_from_outbox()
    answers = all_answers(wave)
    answers.pop(next(iter(answers)))
    response = client.post(reverse("culture:pulse_answer", args=[token]), answers)
    assert response.status_code == 400
    assert "Choose how far you agree with this statement" in response.content.decode()
    assert PulseResponse.objects.count() == 0
    assert not PulseLink.objects.get().used


def _answer(wave, n, group=""):
    items = list(wave.items.all())
    for i in range(n):
        choice = "5" if i % 2 else "2"
        services._store_answers(wave, {item.pk: choice for item in items}, group)


def test_results_show_nothing_below_ten_answers_and_appear_at_ten(wave):
    _answer(wave, 9)
    assert not services.results(wave).shown
    _answer(wave, 1)
    shown = services.results(wave)
    assert shown.shown and shown.people == 10
    first = shown.items[0]
    assert first.total == "10"
    assert first.counts["Strongly agree"] == "*"  # 5 people: hidden by the rule


def test_results_by_group_only_where_every_group_has_ten(wave):
    _answer(wave, 12, "Consultants")
    _answer(wave, 9, "Residents")
    outcome = services.results(wave)
    assert outcome.shown and not outcome.groups_shown
    assert "fewer than 10" in outcome.groups_note
    _answer(wave, 1, "Residents")
    outcome = services.results(wave)
    assert outcome.groups_shown
    assert [row[0] for row in outcome.items[0].by_group] == ["Consultants", "Residents"]


def test_change_between_waves_with_its_interval(trust, lead):
    earlier = services.open_wave(trust, by=lead, title="Autumn", staff_groups=[])
    Wave.objects.filter(pk=earlier.pk).update(opened_on="2026-01-10")
    items = list(earlier.items.all())
    for i in range(40):
        services._store_answers(earlier, {item.pk: "4" if i < 20 else "2" for item in items}, "")
    later = services.open_wave(trust, by=lead, title="Spring", staff_groups=[])
    items = list(later.items.all())
    for i in range(40):
        services._store_answers(later, {item.pk: "4" if i < 30 else "2" for item in items}, "")
    outcome = services.results(later)
    assert outcome.compared_with == earlier
    assert outcome.items[0].change.startswith("+25 points (95% CI ")


def test_the_shared_link_takes_one_answer_per_browser_and_stops_at_its_cap(trust, lead, client):
    wave = services.open_wave(trust, by=lead, title="Shared", staff_groups=[], shared_link_cap=2)
    url = reverse("culture:pulse_shared", args=[services.shared_token(wave)])
    assert client.get(url).status_code == 200
    assert client.post(url, all_answers(wave)).status_code == 302
    again = client.get(url)
    assert again.status_code == 410 and "already answered from this browser" in again.content.decode()
    other_browser = type(client)()
    assert other_browser.post(url, all_answers(wave)).status_code == 302
    third_browser = type(client)()
    full = third_browser.get(url)
    assert full.status_code == 410 and "all the answers it can take" in full.content.decode()
    assert PulseResponse.objects.filter(wave=wave).count() == 2


def test_a_wave_without_a_shared_link_refuses_a_guessed_one(wave, client):
    assert client.get(reverse("culture:pulse_shared", args=[services.shared_token(wave)])).status_code == 404
    assert client.get(reverse("culture:pulse_shared", args=[f"{wave.pk}-guess"])).status_code == 404


def test_a_closed_wave_takes_no_answers(wave, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(wave, ADDRESSES[:1], site_url="http://testserver")
    [token] = links_from_outbox()
    services.close_wave(wave)
    assert client.post(reverse("culture:pulse_answer", args=[token]), all_answers(wave)).status_code == 410


def test_the_lead_sends_invitations_from_the_page_and_bad_addresses_are_named(wave, lead, client):
    login_as(client, lead)
    url = reverse("culture:wave_invite", args=[wave.pk])
    response = client.post(url, {"addresses": "good@example.test\nnot an address"})
    assert response.status_code == 200
    assert "not an address" in response.content.decode()
    assert PulseLink.objects.count() == 0
    response = client.post(url, {"addresses": "good@example.test\nother@example.test"})
    assert response.status_code == 302
    assert PulseLink.objects.count() == 2


def test_the_lead_sees_the_results_page_and_another_organisations_lead_does_not(wave, lead, client):
    login_as(client, lead)
    page = client.get(reverse("culture:wave", args=[wave.pk]))
    assert page.status_code == 200
    assert "not a validated scale" in page.content.decode()
    stranger = f.MembershipFactory(role=Role.ORGANISATION_LEAD).user
    login_as(client, stranger)
    assert client.get(reverse("culture:wave", args=[wave.pk])).status_code == 404
    assert client.post(reverse("culture:wave_close", args=[wave.pk])).status_code == 404
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN


def test_with_the_database_queue_the_addresses_go_once_each_email_has_gone(wave, settings):
    # The real queue keeps each email's arguments (the address, the link) in a row until it is cleared.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert task_backends["default"].supports_defer
    for address in ADDRESSES[:2]:
        send_email.using(backend="default").enqueue(
            key=f"{services.INVITE_KEY}{wave.pk}:x{address[:8]}",
            to=address,
            subject="s",
            template="culture/email/pulse_invitation.txt",
            context={"organisation": "o", "link": "l", "item_count": 5},
        )
    waiting = DBTaskResult.objects.filter(task_path="supportpath.notifications.tasks.send_email")
    assert waiting.count() == 2
    services.forget_invitation_addresses()
    assert waiting.count() == 2  # not sent yet: kept until it has gone
    waiting.update(status="SUCCESSFUL")
    services.forget_invitation_addresses()
    assert not DBTaskResult.objects.exists()
    assert ADDRESSES[0] not in _every_text_in_the_database()
