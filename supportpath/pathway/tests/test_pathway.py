import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, Stage
from supportpath.pathway import services as pathway_services
from supportpath.pathway.models import InitialConversation, NeedsAssessment, SupportSession
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
OPENED = NOW - dt.timedelta(days=14)  # Monday 9 November 2026


@pytest.fixture(autouse=True)
def opened_before_now(request):
    """The world is built at the real time, after NOW: its case is opened a fortnight before NOW, as in life (a
    needs assessment is not dated before the request was accepted)."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        Case.objects.filter(pk=world.case.pk).update(opened_at=OPENED)
        world.case.opened_at = OPENED


@pytest.fixture
def facilitated(world):
    """The world's case with world.facilitator allocated, and a second facilitator on another case."""
    world.case.facilitator = world.facilitator
    world.case.save()
    return world


def assessment_data(**overrides):
    data = {
        "conversation_held_on": "20/11/2026",
        "presenting_issues": ["career", "confidence"],
        "doctor_goals": "Feel confident leading the ward round again.",
        "strengths": "Kind with patients; well organised.",
        "individual_factors": "Tired after a hard rotation.",
        "team_factors": "A new team, little feedback.",
        "structural_factors": "Rota gaps mean no protected teaching.",
        "cultural_factors": "People rarely admit they are struggling.",
        "mandated": "no",
        "staff_notes": "Consider a mentor from outside the specialty.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_case_manager_arranges_the_conversation_and_the_doctor_is_told(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pathway:arrange_conversation", args=[world.case.pk]),
            {
                "date": "27/11/2026",
                "time": "2.30pm",
                "minutes": "60",
                "mode": "video",
                "join_url": "https://meet.example.org/abc",
            },
        )
    assert response.status_code == 302
    conversation = InitialConversation.objects.get(case=world.case)
    assert conversation.mode == "video"
    assert [m.to for m in mail.outbox] == [[world.doctor.email]]
    assert "Friday 27 November 2026 at 2:30pm" in mail.outbox[0].body
    assert "Ask for another time" in mail.outbox[0].body
    assert "https://meet.example.org/abc" in mail.outbox[0].body
    [(filename, ics, mimetype)] = mail.outbox[0].attachments
    assert filename == "invitation.ics" and mimetype.startswith("text/calendar")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_conversation_in_the_past_or_on_an_impossible_date_is_refused_and_input_kept(client, world):
    login_as(client, world.case_manager)
    url = reverse("pathway:arrange_conversation", args=[world.case.pk])
    page = client.post(url, {"date": "20/11/2026", "time": "14:30", "minutes": "60", "mode": "phone"}).content.decode()
    assert "The conversation must be in the future" in page
    assert 'value="20/11/2026"' in page
    page = client.post(url, {"date": "31/02/2027", "time": "25:00", "mode": "phone"}).content.decode()
    assert "Enter a real date" in page
    assert "Enter a time like 2pm, 2.30pm or 14:00" in page
    assert not InitialConversation.objects.exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_doctor_sees_the_conversation_and_can_ask_for_another_time(client, world, django_capture_on_commit_callbacks):
    InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=4), mode="phone", arranged_by=world.case_manager
    )
    login_as(client, world.doctor)
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "Friday 27 November 2026" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pathway:another_time", args=[world.case.pk]),
            {"suggested_times": "Mornings next week", "submission_token": str(uuid.uuid4())},
        )
    assert response.status_code == 302
    conversation = InitialConversation.objects.get(case=world.case)
    assert conversation.doctor_asked_for_another_time
    assert mail.outbox[-1].to == [world.case_manager.email]
    assert "Mornings next week" not in mail.outbox[-1].body
    login_as(client, world.case_manager)
    assert "Mornings next week" in client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_asking_for_another_time_as_history_tells_nobody(world, django_capture_on_commit_callbacks):
    conversation = InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=4), mode="phone", arranged_by=world.case_manager
    )
    with django_capture_on_commit_callbacks(execute=True):
        pathway_services.ask_for_another_time(
            conversation, suggested_times="Mornings next week", token=uuid.uuid4(), notify=False
        )
    conversation.refresh_from_db()
    assert conversation.doctor_asked_for_another_time
    assert conversation.doctor_suggested_times == "Mornings next week"
    assert mail.outbox == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_needs_assessment_records_four_levels_of_factors_and_moves_to_planning(client, world):
    login_as(client, world.case_manager)
    response = client.post(reverse("pathway:needs_assessment", args=[world.case.pk]), assessment_data())
    assert response.status_code == 302
    assessment = NeedsAssessment.objects.get(case=world.case)
    assert assessment.structural_factors == "Rota gaps mean no protected teaching."
    assert assessment.presenting_issues == ["career", "confidence"]
    world.case.refresh_from_db()
    assert world.case.stage == Stage.PLANNING


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_doctor_reads_their_parts_of_the_assessment_but_not_the_team_notes_and_can_comment(client, world):
    login_as(client, world.case_manager)
    client.post(reverse("pathway:needs_assessment", args=[world.case.pk]), assessment_data())
    login_as(client, world.doctor)
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "Feel confident leading the ward round again." in page
    assert "Rota gaps mean no protected teaching." in page
    assert "Consider a mentor from outside the specialty." not in page
    client.post(reverse("pathway:comment_on_assessment", args=[world.case.pk]), {"comment": "Also my commute."})
    assert NeedsAssessment.objects.get(case=world.case).doctor_comment == "Also my commute."


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_second_editor_working_from_an_old_version_is_shown_the_conflict(client, world):
    login_as(client, world.case_manager)
    url = reverse("pathway:needs_assessment", args=[world.case.pk])
    client.post(url, assessment_data())
    # Two people open the form at version 1; the first saves, the second is refused.
    client.post(url, assessment_data(version="1", strengths="First editor's words"))
    page = client.post(url, assessment_data(version="1", strengths="Second editor's words")).content.decode()
    assert "Someone else changed this needs assessment" in page
    assert "Second editor&#39;s words" in page  # what they typed is kept
    assert NeedsAssessment.objects.get(case=world.case).strengths == "First editor's words"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_over_long_text_is_refused_with_the_limit(client, world):
    login_as(client, world.case_manager)
    page = client.post(
        reverse("pathway:needs_assessment", args=[world.case.pk]), assessment_data(strengths="x" * 3001)
    ).content.decode()
    assert "Strengths must be 3,000 characters or fewer" in page
    assert not NeedsAssessment.objects.exists()


def session_data(**overrides):
    data = {
        "held_on": "20/11/2026",
        "mode": "video",
        "attendance": "attended",
        "shared_summary": "We looked at what makes handovers stressful.",
        "agreed_actions": "Try the SBAR structure twice this week.",
        "private_notes": "Seemed low; check in about sleep next time.",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_facilitator_records_a_session_once_even_if_sent_twice(client, facilitated):
    login_as(client, facilitated.facilitator)
    data = session_data()
    url = reverse("pathway:record_session", args=[facilitated.case.pk])
    client.post(url, data)
    client.post(url, data)
    assert SupportSession.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_private_notes_are_readable_by_their_author_alone(client, facilitated):
    login_as(client, facilitated.facilitator)
    client.post(reverse("pathway:record_session", args=[facilitated.case.pk]), session_data())
    note = "Seemed low; check in about sleep next time."
    case_url = reverse("pathway:case_detail", args=[facilitated.case.pk])
    assert note in client.get(case_url).content.decode()

    login_as(client, facilitated.case_manager)
    page = client.get(case_url).content.decode()
    assert "We looked at what makes handovers stressful." in page
    assert note not in page

    login_as(client, facilitated.doctor)
    page = client.get(reverse("pathway:my_case", args=[facilitated.case.pk])).content.decode()
    assert "We looked at what makes handovers stressful." in page
    assert "Try the SBAR structure twice this week." in page
    assert note not in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_doctor_sees_a_cancelled_session_labelled_cancelled_and_not_counted_as_held(client, facilitated):
    login_as(client, facilitated.facilitator)
    url = reverse("pathway:record_session", args=[facilitated.case.pk])
    assert client.post(url, session_data(held_on="13/11/2026")).status_code == 302
    cancelled = session_data(
        held_on="20/11/2026", attendance="cancelled_by_facilitator", shared_summary="", agreed_actions=""
    )
    assert client.post(url, cancelled).status_code == 302

    login_as(client, facilitated.doctor)
    page = client.get(reverse("pathway:my_case", args=[facilitated.case.pk])).content.decode()
    assert "1 session held so far (1 more did not take place)." in page
    friday = page.index("Friday 20 November 2026 with Fay Coach")
    heading = page[friday : page.index("</h3>", friday)]
    assert "nhsuk-tag--grey" in heading and "Cancelled" in heading
    assert "Fay Coach cancelled this session." in page
    earlier = page.index("Friday 13 November 2026 with Fay Coach")
    assert "Cancelled" not in page[earlier : page.index("</h3>", earlier)]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_later_facilitator_of_the_case_cannot_read_the_first_ones_private_notes(client, facilitated):
    login_as(client, facilitated.facilitator)
    client.post(reverse("pathway:record_session", args=[facilitated.case.pk]), session_data())
    newcomer = f.MembershipFactory(organisation=facilitated.service, role="facilitator").user
    facilitated.case.facilitator = newcomer
    facilitated.case.save()
    login_as(client, newcomer)
    page = client.get(reverse("pathway:case_detail", args=[facilitated.case.pk])).content.decode()
    assert "Seemed low" not in page


@pytest.mark.django_db
def test_only_the_case_facilitator_can_record_sessions(client, facilitated):
    other = f.MembershipFactory(organisation=facilitated.service, role="facilitator").user
    login_as(client, other)
    assert client.get(reverse("pathway:record_session", args=[facilitated.case.pk])).status_code == 404
    login_as(client, facilitated.case_manager)
    assert client.get(reverse("pathway:record_session", args=[facilitated.case.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_reads_of_the_case_are_logged_for_the_doctor(client, facilitated):
    login_as(client, facilitated.facilitator)
    client.get(reverse("pathway:case_detail", args=[facilitated.case.pk]))
    record = AccessRecord.objects.get()
    assert record.actor == facilitated.facilitator
    assert record.actor_role == "facilitator"
    assert record.doctor == facilitated.doctor.doctor_profile
    assert record.purpose == "Managing the case"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_case_page_query_count_does_not_grow_with_sessions(client, facilitated, django_assert_num_queries):
    login_as(client, facilitated.facilitator)
    url = reverse("pathway:case_detail", args=[facilitated.case.pk])
    client.post(reverse("pathway:record_session", args=[facilitated.case.pk]), session_data())
    with django_assert_num_queries(pinned(23, 24)) as small:
        client.get(url)
    small_count = len(small.captured_queries)
    for _ in range(10):
        client.post(reverse("pathway:record_session", args=[facilitated.case.pk]), session_data())
    # Longer than a page (10 shown): the total takes a count query, once, however many more there are.
    with django_assert_num_queries(small_count + 1):
        client.get(url)
    for _ in range(10):
        client.post(reverse("pathway:record_session", args=[facilitated.case.pk]), session_data())
    with django_assert_num_queries(small_count + 1):
        page = client.get(url).content.decode()
    assert "21 sessions recorded, newest first." in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_conversation_that_has_happened_cannot_be_moved(client, world):
    InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW - dt.timedelta(days=1), mode="phone", arranged_by=world.case_manager
    )
    login_as(client, world.doctor)
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert "Ask for another time" not in page
    response = client.post(reverse("pathway:another_time", args=[world.case.pk]), {"suggested_times": "Mornings"})
    assert response.status_code == 302
    assert not InitialConversation.objects.get(case=world.case).doctor_asked_for_another_time


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_asking_for_another_time_twice_from_one_form_sends_one_email(client, world, django_capture_on_commit_callbacks):
    InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=4), mode="phone", arranged_by=world.case_manager
    )
    login_as(client, world.doctor)
    url = reverse("pathway:another_time", args=[world.case.pk])
    assert 'name="submission_token"' in client.get(url).content.decode()
    form = {"suggested_times": "Mornings next week", "submission_token": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
    assert [m.to for m in mail.outbox] == [[world.case_manager.email]]
    # Asking again later, from a fresh form, is a new request and the case manager hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"suggested_times": "Actually, Fridays", "submission_token": str(uuid.uuid4())})
    assert len(mail.outbox) == 2
    assert InitialConversation.objects.get(case=world.case).doctor_suggested_times == "Actually, Fridays"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_saving_the_first_needs_assessment_twice_makes_one_and_no_false_conflict(client, world):
    login_as(client, world.case_manager)
    url = reverse("pathway:needs_assessment", args=[world.case.pk])
    assert 'name="submission_token"' in client.get(url).content.decode()
    data = assessment_data(submission_token=str(uuid.uuid4()))
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302 and second.status_code == 302, second.content.decode()[:2000]
    assessment = NeedsAssessment.objects.get(case=world.case)
    assert assessment.version == 1
    # The same for a change: version 1 edited twice from one form makes version 2 only.
    change = assessment_data(version="1", strengths="Steady under pressure.", submission_token=str(uuid.uuid4()))
    assert client.post(url, change).status_code == 302
    assert client.post(url, change).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.version, assessment.strengths) == (2, "Steady under pressure.")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_two_people_recording_the_first_assessment_at_once_the_second_sees_the_conflict(client, world):
    login_as(client, world.case_manager)
    url = reverse("pathway:needs_assessment", args=[world.case.pk])
    first = assessment_data(strengths="First person's words", submission_token=str(uuid.uuid4()))
    second = assessment_data(strengths="Second person's words", submission_token=str(uuid.uuid4()))
    assert client.post(url, first).status_code == 302
    page = client.post(url, second).content.decode()
    assert "Someone else changed this needs assessment" in page
    assert "First person&#39;s words" in page  # the latest saved version is shown to compare
    assert "Second person&#39;s words" in page  # and what they typed is kept
    assert NeedsAssessment.objects.get(case=world.case).strengths == "First person's words"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_pathway_forms_state_their_limits_and_refuse_in_our_words(client, world, facilitated):
    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:needs_assessment", args=[world.case.pk])).content.decode()
    assert page.count("Up to 3,000 characters.") == 7
    page = client.post(
        reverse("pathway:needs_assessment", args=[world.case.pk]),
        assessment_data(presenting_issues=["astrology"], mandated="maybe"),
    ).content.decode()
    assert "Select only the things listed" in page
    assert "Select whether this support is part of a mandated process" in page
    assert "Select a valid choice" not in page
    page = client.post(
        reverse("pathway:arrange_conversation", args=[world.case.pk]),
        {"date": "27/11/2026", "time": "14:30", "mode": "carrier pigeon"},
    ).content.decode()
    assert "Select one of the answers listed" in page and "Select a valid choice" not in page
    login_as(client, world.facilitator)
    page = client.post(
        reverse("pathway:record_session", args=[world.case.pk]), session_data(submission_token="not-a-token")
    ).content.decode()
    assert "This page is out of date" in page and "Enter a valid UUID" not in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_facilitator_reads_the_needs_assessment_but_cannot_record_or_change_it(client, facilitated):
    url = reverse("pathway:needs_assessment", args=[facilitated.case.pk])
    login_as(client, facilitated.facilitator)
    assert client.get(url).status_code == 404
    assert client.post(url, assessment_data()).status_code == 404
    assert not NeedsAssessment.objects.exists()
    page = client.get(reverse("pathway:case_detail", args=[facilitated.case.pk])).content.decode()
    assert url not in page
    login_as(client, facilitated.case_manager)
    assert client.post(url, assessment_data()).status_code == 302
    assessment = NeedsAssessment.objects.get(case=facilitated.case)
    login_as(client, facilitated.facilitator)
    page = client.get(reverse("pathway:case_detail", args=[facilitated.case.pk])).content.decode()
    assert "Feel confident leading the ward round again." in page
    assert url not in page
    assert client.post(url, assessment_data(doctor_goals="Changed by the facilitator", version=1)).status_code == 404
    assessment.refresh_from_db()
    assert assessment.doctor_goals == "Feel confident leading the ward round again."
    assert not AccessRecord.objects.filter(actor=facilitated.facilitator, purpose="Recording the needs assessment")


CLOSURES = {
    "closed": {"reason": "doctor_withdrew", "closed_on": NOW.date()},
    "handed_over": {
        "reason": "handed_over",
        "closed_on": NOW.date(),
        "handed_over_to": "practitioner_health",
        "handover_reason": "Practitioner Health fits better.",
        "doctor_consented": True,
    },
}


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("ending", CLOSURES)
def test_once_support_has_ended_the_doctor_cannot_ask_for_another_time(
    client, world, ending, django_capture_on_commit_callbacks
):
    from supportpath.closure.services import close_case

    conversation = InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=4), mode="phone", arranged_by=world.case_manager
    )
    url = reverse("pathway:another_time", args=[world.case.pk])
    login_as(client, world.doctor)
    assert url in client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    form = client.get(url).content.decode()
    token = form.split('name="submission_token" value="')[1].split('"')[0]
    close_case(world.case, by=world.case_manager, data=CLOSURES[ending])
    mail.outbox.clear()
    page = client.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()
    assert url not in page and "Ask for another time" not in page
    assert "It will not go ahead: your support with us has ended." in page
    for response in [
        client.get(url, follow=True),
        client.post(url, {"suggested_times": "Mornings next week", "submission_token": token}, follow=True),
    ]:
        assert response.redirect_chain == [(reverse("pathway:my_case", args=[world.case.pk]), 302)]
        assert "there is no time to change" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"suggested_times": "Mornings next week", "submission_token": token})
    conversation.refresh_from_db()
    assert not conversation.doctor_asked_for_another_time
    assert conversation.doctor_suggested_times == ""
    assert not mail.outbox


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_once_the_needs_assessment_is_recorded_the_doctor_cannot_ask_for_another_time(
    client, world, django_capture_on_commit_callbacks
):
    """The conversation may be held earlier than arranged: once its needs assessment is recorded, it has taken
    place, whatever time was arranged, and the journey, the page and the ask all say so."""
    from supportpath.journey import journeys as journey

    conversation = InitialConversation.objects.create(
        case=world.case, scheduled_for=NOW + dt.timedelta(days=4), mode="phone", arranged_by=world.case_manager
    )
    url = reverse("pathway:another_time", args=[world.case.pk])
    my_case = reverse("pathway:my_case", args=[world.case.pk])
    login_as(client, world.doctor)
    form = client.get(url).content.decode()  # opened before the conversation was held
    token = form.split('name="submission_token" value="')[1].split('"')[0]

    login_as(client, world.case_manager)
    client.post(
        reverse("pathway:needs_assessment", args=[world.case.pk]), assessment_data(conversation_held_on="20/11/2026")
    )
    assert NeedsAssessment.objects.filter(case=world.case).exists()
    assert not journey.journey_for(world.case.request).can_ask_for_another_time

    login_as(client, world.doctor)
    mail.outbox.clear()
    page = client.get(my_case).content.decode()
    assert url not in page and "Ask for another time" not in page
    assert "It took place on Friday 20 November 2026." in page
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(url, follow=True),
            client.post(url, {"suggested_times": "Mornings next week", "submission_token": token}, follow=True),
        ]
    for response in responses:
        assert response.redirect_chain == [(my_case, 302)]
        assert "Your first conversation has already taken place, so it cannot be moved." in response.content.decode()
    conversation.refresh_from_db()
    assert not conversation.doctor_asked_for_another_time and conversation.doctor_suggested_times == ""
    assert mail.outbox == []
