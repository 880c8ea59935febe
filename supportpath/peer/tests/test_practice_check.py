"""A GP practice's peer-support check: anonymous links, one answer each, nothing that ties an answer to a person,
and results only from 5 answers once the check has closed, through the disclosure rule."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from supportpath.peer import check_questions, results, services
from supportpath.peer.models import CheckLink, CheckTally, PracticeCheck
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db

ANSWER = {q.key: q.options[0][0] for q in check_questions.QUESTIONS}
MOSTLY_OFTEN = {**{q.key: "often" for q in check_questions.FORMS}, "workload": "never"}
MOSTLY_OFTEN.update({q.key: "helps" for q in check_questions.MODERATORS})


def _check(practice, lead, team_size=8):
    return services.start_check(practice, by=lead, team_size=team_size, token=uuid.uuid4())


def test_the_lead_starts_a_check_and_sees_the_links_once(world, client, practice):
    practice, lead = practice
    login_as(client, lead)
    token = str(uuid.uuid4())
    page = client.post(reverse("peer:start_check"), {"team_size": "6", "submission_token": token}).content.decode()
    assert page.count("/peer-support/check/") == 6
    again = client.post(reverse("peer:start_check"), {"team_size": "6", "submission_token": token})
    assert again.status_code == 302
    assert PracticeCheck.objects.count() == 1
    assert CheckLink.objects.count() == 6


def test_one_answer_per_link(world, client, practice):
    check, tokens = _check(*practice)
    url = reverse("peer:answer_check", args=[tokens[0]])
    assert client.get(url).status_code == 200
    client.post(url, ANSWER)
    client.post(url, ANSWER)
    check.refresh_from_db()
    assert check.answers == 1
    assert "This link no longer works" in client.get(url).content.decode()
    assert "This link no longer works" in client.get(reverse("peer:answer_check", args=["made-up"])).content.decode()


def test_a_missing_answer_is_asked_for_and_nothing_is_counted(world, client, practice):
    check, tokens = _check(*practice)
    response = client.post(reverse("peer:answer_check", args=[tokens[0]]), {**ANSWER, "culture": ""})
    assert "Select an answer about the practice" in response.content.decode()
    check.refresh_from_db()
    assert check.answers == 0
    assert not CheckLink.objects.filter(used=True).exists()


def test_an_answer_cannot_be_linked_to_who_gave_it(world, client, practice):
    check, tokens = _check(*practice)
    client.post(reverse("peer:answer_check", args=[tokens[3]]), ANSWER)
    # No table holds an answer as a row: the tallies are counts per question and option, made when the check
    # started, and only added to. No user, address, network address or time is stored with them.
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "peer_checktally")}
    assert columns == {"id", "check_record_id", "question", "option", "count"}
    link_columns = {
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "peer_checklink")
    }
    assert link_columns == {"id", "check_record_id", "token_hash", "used"}
    check_columns = {
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "peer_practicecheck")
    }
    assert not any(c == "ip" or "address" in c or "user" in c for c in check_columns)
    # The contents: counts only, and every tally row existed before the answer (their ids say nothing of it).
    assert sum(CheckTally.objects.values_list("count", flat=True)) == len(check_questions.QUESTIONS)
    assert CheckTally.objects.count() == sum(len(q.options) for q in check_questions.QUESTIONS)
    # Links are stored as hashes in an order unrelated to how they were handed out, and say only "used".
    assert not CheckLink.objects.filter(token_hash=tokens[3]).exists()
    hashes = list(CheckLink.objects.order_by("id").values_list("token_hash", flat=True))
    assert hashes == sorted(hashes)
    for row in CheckTally.objects.values():
        assert set(row) == {"id", "check_record_id", "question", "option", "count"}


def test_four_answers_show_nothing_and_five_show_the_profile(world, client, practice):
    practice_org, lead = practice
    login_as(client, lead)
    four, tokens = _check(practice_org, lead)
    for token in tokens[:4]:
        services.record_answer(token, MOSTLY_OFTEN)
    services.close_check(four)
    page = client.get(reverse("peer:check", args=[four.pk])).content.decode()
    assert "Fewer than 5 people answered" in page
    assert "Emotional support" not in page

    five, tokens = _check(practice_org, lead)
    for token in tokens[:5]:
        services.record_answer(token, MOSTLY_OFTEN)
    open_page = client.get(reverse("peer:check", args=[five.pk])).content.decode()
    assert "Results are shown once the check has closed" in open_page
    services.close_check(five)
    page = client.get(reverse("peer:check", args=[five.pk])).content.decode()
    assert "Emotional support" in page and "Happens for most people" in page
    assert "Happens for few people" in page  # workload
    assert "Agree openly how extra work is shared" in page  # a suggestion for the weak form
    assert "not a validated scale" in page


def test_results_follow_the_disclosure_rule_and_show_change_since_the_last_check(world, practice):
    practice_org, lead = practice
    first, tokens = _check(practice_org, lead, team_size=12)
    for token in tokens[:12]:
        services.record_answer(token, {**MOSTLY_OFTEN, "emotional": "never"})
    services.close_check(first)
    second, tokens = _check(practice_org, lead, team_size=6)
    for token in tokens[:6]:
        services.record_answer(token, MOSTLY_OFTEN)
    services.close_check(second)
    first.refresh_from_db()
    second.refresh_from_db()
    shown = results.results(second)
    emotional = next(line for line in shown.forms if line.key == "emotional")
    assert emotional.change == "Stronger"
    assert shown.previous_number == 1
    # 6 answers, all "often": the 6 is hidden, and so is the total that would give it back.
    assert {label: count for label, count, _ in emotional.counts} == {
        "Never": "0",
        "Rarely": "0",
        "Sometimes": "0",
        "Often": "*",
    }
    assert emotional.total == "*"
    first_emotional = next(line for line in results.results(first).forms if line.key == "emotional")
    assert [c for _, c, _ in first_emotional.counts] == ["10", "0", "0", "0"]


def test_only_the_practices_own_lead_sees_its_checks(world, client, practice):
    practice_org, lead = practice
    check, _ = _check(practice_org, lead)
    other_practice = f.OrganisationFactory(kind="gp_practice")
    other_lead = f.MembershipFactory(organisation=other_practice, role="organisation_lead").user
    login_as(client, other_lead)
    assert client.get(reverse("peer:check", args=[check.pk])).status_code == 404
    for person in (world.case_manager, world.referrer, world.responsible_officer, world.doctor, world.evaluator):
        login_as(client, person)
        assert client.get(reverse("peer:check", args=[check.pk])).status_code == 404
        assert client.get(reverse("peer:checks")).status_code == 403
