import datetime as dt
import io
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Stage
from supportpath.plans import plan_sharing, services
from supportpath.plans.models import Intervention, InterventionType, PlanVersion, VersionStatus
from supportpath.testing.auth import login_as

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
LEVELS = {
    "level_minus_2": "Avoiding ward rounds altogether",
    "level_minus_1": "Leading with a senior beside me",
    "level_0": "Leading two ward rounds a week on my own",
    "level_plus_1": "Leading every ward round on my own",
    "level_plus_2": "Teaching juniors how to lead one",
}


@pytest.fixture
def catalogue(world):
    services.seed_interventions(world.service)
    return Intervention.objects.filter(service=world.service)


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def plan_post(catalogue, *, edit_count=0, goals=None, **overrides):
    coaching = catalogue.get(type=InterventionType.COACHING)
    goals = goals if goals is not None else [{"text": "Lead the ward round with confidence", **LEVELS}]
    data = {
        "edit_count": str(edit_count),
        "review_dates": "15/01/2027\n15/03/2027",
        "in_my_control": "How I prepare, and asking for feedback.",
        "outside_my_control": "The rota gaps.",
        "share_goals": ["responsible_officer"],
        **management("goals", len(goals)),
        **management("interventions", 1),
        "interventions-0-intervention": str(coaching.pk),
        "interventions-0-note": "Six sessions, fortnightly",
        **management("milestones", 1),
        "milestones-0-text": "First ward round led alone",
        "milestones-0-due": "01/02/2027",
    }
    for i, goal in enumerate(goals):
        for key, value in {"importance": "3", "difficulty": "2", "baseline": "-1", **goal}.items():
            data[f"goals-{i}-{key}"] = value
    data.update(overrides)
    return data


def draft(world, catalogue, **kwargs):
    content = {
        "goals": [
            {
                "text": kwargs.get("goal", "Lead the ward round with confidence"),
                "levels": {"-2": "a", "-1": "b", "0": "c", "1": "d", "2": "e"},
                "importance": 2,
                "difficulty": 2,
            }
        ],
        "interventions": [
            {"intervention_id": catalogue[0].pk, "type": catalogue[0].type, "name": catalogue[0].name, "note": ""}
        ],
        "milestones": [{"text": "First", "due": "2027-02-01"}],
        "review_dates": ["2027-01-15"],
        "sharing": kwargs.get("sharing", {}),
    }
    return services.save_draft(
        world.case, by=world.case_manager, data=content, based_on=services.edit_count(world.case)
    )


def shared(world, catalogue, **kwargs):
    draft(world, catalogue, **kwargs)
    return services.share_with_doctor(world.case, by=world.case_manager)


@pytest.mark.django_db
def test_seeding_gives_every_service_the_twelve_types_once(world):
    services.seed_interventions()
    services.seed_interventions()
    assert Intervention.objects.filter(service=world.service).count() == 12
    assert Intervention.objects.filter(service=world.other_service).count() == 12
    assert not Intervention.objects.filter(service=world.trust).exists()
    assert set(Intervention.objects.filter(service=world.service).values_list("type", flat=True)) == set(
        InterventionType.values
    )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_case_manager_drafts_a_plan_which_the_doctor_cannot_see_until_shared(
    client, world, catalogue, django_capture_on_commit_callbacks
):
    login_as(client, world.case_manager)
    response = client.post(reverse("plans:edit_plan", args=[world.case.pk]), plan_post(catalogue))
    assert response.status_code == 302, response.content.decode()[:3000]
    version = PlanVersion.objects.get()
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    goal = version.content["goals"][0]
    assert goal["levels"]["0"] == "Leading two ward rounds a week on my own"
    assert (goal["importance"], goal["difficulty"], goal["baseline"]) == (3, 2, -1)
    assert version.content["interventions"][0]["note"] == "Six sessions, fortnightly"
    assert version.content["review_dates"] == ["2027-01-15", "2027-03-15"]
    assert version.content["sharing"]["goals"] == ["responsible_officer"]
    assert version.content["sharing"]["session_summaries"] == []

    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "Lead the ward round" not in page

    login_as(client, world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:share_plan", args=[world.case.pk]))
        client.post(reverse("plans:share_plan", args=[world.case.pk]))
    assert [m.to for m in mail.outbox] == [[world.doctor.email]]
    assert "Lead the ward round" not in mail.outbox[0].body
    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "Lead the ward round with confidence" in page
    assert "Teaching juniors how to lead one" in page
    assert "Agree this plan" in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_doctor_agrees_once_however_often_they_submit_and_the_case_moves_into_support(
    client, world, catalogue, django_capture_on_commit_callbacks
):
    version = shared(world, catalogue)
    login_as(client, world.doctor)
    url = reverse("plans:agree_plan", args=[world.case.pk])
    page = client.post(url, {"number": version.number}).content.decode()
    assert "Tick the box to confirm you agree this plan" in page
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(url, {"number": version.number, "confirm": "on"}).status_code == 302
    version.refresh_from_db()
    world.case.refresh_from_db()
    assert version.status == VersionStatus.AGREED and version.agreed_at == NOW
    assert world.case.stage == Stage.SUPPORT
    assert PlanVersion.objects.filter(status=VersionStatus.AGREED).count() == 1
    assert [m.to for m in mail.outbox] == [[world.case_manager.email]]


@pytest.mark.django_db
def test_doctor_asks_for_changes_with_a_comment_which_the_case_manager_reads(client, world, catalogue):
    version = shared(world, catalogue)
    login_as(client, world.doctor)
    url = reverse("plans:ask_for_changes", args=[world.case.pk])
    page = client.post(url, {"number": version.number, "comment": "x" * 2001}).content.decode()
    assert "must be 2,000 characters or fewer" in page
    assert client.post(url, {"number": version.number, "comment": "Fewer goals <please>"}).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.CHANGES_REQUESTED
    login_as(client, world.case_manager)
    page = client.get(reverse("plans:plan_detail", args=[world.case.pk])).content.decode()
    assert "Fewer goals &lt;please&gt;" in page


@pytest.mark.django_db
def test_a_change_after_agreement_makes_a_new_version_and_the_doctor_sees_what_changed(client, world, catalogue):
    first = shared(world, catalogue)
    services.agree(world.case, number=first.number)
    draft(world, catalogue, goal="Speak up at the team huddle", sharing={"milestones": ["employer"]})
    second = services.share_with_doctor(world.case, by=world.case_manager)
    assert second.number == 2
    first.refresh_from_db()
    assert first.status == VersionStatus.AGREED
    assert first.content["goals"][0]["text"] == "Lead the ward round with confidence"

    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "What changed since version 1" in page
    assert "Added goal: Speak up at the team huddle" in page
    assert "Removed goal: Lead the ward round with confidence" in page
    assert "Milestones: now Your employer (was Nobody)" in page
    earlier = client.get(reverse("plans:my_plan", args=[world.case.pk]) + "?version=1").content.decode()
    assert "Lead the ward round with confidence" in earlier

    services.agree(world.case, number=2)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED


@pytest.mark.django_db
def test_agreeing_a_version_that_has_been_replaced_is_refused(client, world, catalogue):
    first = shared(world, catalogue)
    draft(world, catalogue, goal="Another goal")
    services.share_with_doctor(world.case, by=world.case_manager)
    login_as(client, world.doctor)
    page = client.post(
        reverse("plans:agree_plan", args=[world.case.pk]), {"number": first.number, "confirm": "on"}
    ).content.decode()
    assert "replaced by a newer one" in page
    assert not PlanVersion.objects.filter(status=VersionStatus.AGREED).exists()


@pytest.mark.django_db
def test_two_people_editing_at_once_the_second_is_shown_the_conflict_and_keeps_their_input(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    draft(world, catalogue, goal="Saved by someone else")  # edit count moves from 0 to 1
    page = client.post(url, plan_post(catalogue, edit_count=0, goals=[{"text": "My typed goal", **LEVELS}]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Someone else changed this plan while you were editing" in text
    assert "Saved by someone else" in text
    assert "My typed goal" in text
    assert 'name="edit_count" value="1"' in text
    assert PlanVersion.objects.get().content["goals"][0]["text"] == "Saved by someone else"
    assert client.post(url, plan_post(catalogue, edit_count=1)).status_code == 302


@pytest.mark.django_db
def test_bad_plan_input_is_refused_with_messages_and_kept(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    data = plan_post(
        catalogue,
        goals=[{"text": "g" * 501, **LEVELS, "level_0": ""}],
        review_dates="31/02/2027",
        **{"milestones-0-due": "soon"},
    )
    text = client.post(url, data).content.decode()
    assert "There is a problem" in text
    assert "Goal, in the doctor&#39;s words must be 500 characters or fewer" in text
    assert "Enter 0: the expected outcome" in text
    assert "Enter each review date as a real date" in text
    assert "Enter a real date, like 28/02/2027" in text
    assert "Up to 500 characters." in text
    assert "g" * 501 in text
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_another_services_intervention_cannot_be_put_in_a_plan(client, world, catalogue):
    services.seed_interventions(world.other_service)
    theirs = Intervention.objects.filter(service=world.other_service).first()
    login_as(client, world.case_manager)
    data = plan_post(catalogue, **{"interventions-0-intervention": str(theirs.pk)})
    text = client.post(reverse("plans:edit_plan", args=[world.case.pk]), data).content.decode()
    assert "Select support from the catalogue" in text
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_the_sharing_agreement_only_counts_once_the_doctor_agrees(world, catalogue):
    version = shared(world, catalogue, sharing={"goals": ["responsible_officer", "employer"]})
    assert not plan_sharing.allows(world.case, "responsible_officer", "goals")
    services.agree(world.case, number=version.number)
    assert plan_sharing.allows(world.case, "responsible_officer", "goals")
    assert plan_sharing.allows(world.case, "employer", "goals")
    assert not plan_sharing.allows(world.case, "referrer", "goals")
    assert not plan_sharing.allows(world.case, "employer", "session_summaries")
    with pytest.raises(ValueError):
        plan_sharing.allows(world.case, "neighbour", "goals")


@pytest.mark.django_db
def test_a_plan_for_a_doctors_own_request_cannot_propose_sharing_with_a_referrer(client, world, catalogue):
    login_as(client, world.case_manager)
    page = client.get(reverse("plans:edit_plan", args=[world.case.pk])).content.decode()
    assert "The person who referred" not in page
    response = client.post(
        reverse("plans:edit_plan", args=[world.case.pk]), plan_post(catalogue, share_goals="referrer")
    )
    assert "Select only the people listed" in response.content.decode()
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_doctor_downloads_the_agreed_plan_as_a_pdf_with_real_text(client, world, catalogue):
    version = shared(world, catalogue, sharing={"goals": ["responsible_officer"]})
    login_as(client, world.doctor)
    assert client.get(reverse("plans:my_plan_pdf", args=[world.case.pk])).status_code == 404
    services.agree(world.case, number=version.number)
    response = client.get(reverse("plans:my_plan_pdf", args=[world.case.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title == "Support plan for Dr Ada Example, version 1"
    for expected in [
        "Support plan for Dr Ada Example",
        "Version 1. Agreed on Monday 23 November 2026",
        "Lead the ward round with confidence",
        "+2 (much more than expected): e",
        "Careers advice",
        "1 February 2027: First",
        "15 January 2027",
        "Goals: Your responsible officer",
        "Session summaries: Nobody",
    ]:
        assert expected in text


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_doctor", "referrer", "other_case_manager", "facilitator"])
def test_only_the_doctor_case_manager_and_facilitator_reach_the_plan(client, world, catalogue, persona):
    version = shared(world, catalogue)
    services.agree(world.case, number=version.number)
    login_as(client, getattr(world, persona))
    for name in ["plan_detail", "edit_plan", "share_plan", "my_plan", "agree_plan", "ask_for_changes", "my_plan_pdf"]:
        assert client.get(reverse(f"plans:{name}", args=[world.case.pk])).status_code == 404, name
    world.case.facilitator = world.facilitator
    world.case.save()
    login_as(client, world.facilitator)
    assert client.get(reverse("plans:plan_detail", args=[world.case.pk])).status_code == (
        200 if persona == "facilitator" else 200
    )


@pytest.mark.django_db
def test_staff_reads_of_the_plan_are_in_the_doctors_access_log(client, world, catalogue):
    shared(world, catalogue)
    login_as(client, world.case_manager)
    client.get(reverse("plans:plan_detail", args=[world.case.pk]))
    assert AccessRecord.objects.filter(actor=world.case_manager, what="Support plan").exists()


def _add_versions(world, catalogue, count):
    for i in range(count):
        version = shared(world, catalogue, goal=f"Goal {i}")
        services.agree(world.case, number=version.number)


@pytest.mark.django_db
@pytest.mark.parametrize("versions", [1, 6])
def test_plan_pages_take_the_same_number_of_queries_however_many_versions(
    client, world, catalogue, django_assert_num_queries, versions
):
    _add_versions(world, catalogue, versions)
    login_as(client, world.case_manager)
    # The staff read is logged; on PostgreSQL that takes one more query (the advisory lock ordering the chain).
    # 13 includes django-otp loading the device that verified the staff member's session (two-step sign-in),
    # the new dates staff have set for the agreed plan's milestones and reviews (one query, shown in place), and
    # the case's pauses, which move those dates (one query), and the new messages counted for the header's
    # "Messages" link (one query).
    with django_assert_num_queries(13 + (connection.vendor == "postgresql")):
        assert client.get(reverse("plans:plan_detail", args=[world.case.pk])).status_code == 200
    login_as(client, world.doctor)
    # 10: the idle-timeout middleware reads the doctor's memberships to choose their time limit, the
    # second-factor middleware checks whether the doctor has turned two-step sign-in on, the new dates, and the
    # pauses that move them, and the header's count of new messages.
    with django_assert_num_queries(10):
        assert client.get(reverse("plans:my_plan", args=[world.case.pk])).status_code == 200


@pytest.mark.django_db
def test_a_retired_intervention_cannot_be_chosen_but_stays_in_agreed_plans(client, world, catalogue):
    version = shared(world, catalogue)
    services.agree(world.case, number=version.number)
    catalogue.filter(pk=catalogue[0].pk).update(active=False)
    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert catalogue[0].name in page


@pytest.mark.django_db
def test_the_plan_and_the_doctors_comment_are_stored_encrypted(world, catalogue):
    version = shared(world, catalogue, goal="Sleep before a night shift")
    services.request_changes(world.case, number=version.number, comment="Fewer goals please")
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, doctor_comment FROM plans_planversion WHERE id = %s", [version.pk])
        content, comment = cursor.fetchone()
    assert content.startswith("enc1:") and "night shift" not in content
    assert comment.startswith("enc1:") and "Fewer" not in comment
    version.refresh_from_db()
    assert version.content["goals"][0]["text"] == "Sleep before a night shift"
    assert version.doctor_comment == "Fewer goals please"


@pytest.mark.django_db
def test_the_doctors_request_for_changes_shows_as_a_heading_and_their_words_escaped(client, world, catalogue):
    version = shared(world, catalogue)
    services.request_changes(world.case, number=version.number, comment="Fewer goals <b>please</b>")
    login_as(client, world.case_manager)
    page = client.get(reverse("plans:plan_detail", args=[world.case.pk])).content.decode()
    assert '<h2 class="nhsuk-heading-s">The doctor asked for changes</h2>' in page
    assert "<p>Fewer goals &lt;b&gt;please&lt;/b&gt;</p>" in page
    assert "&lt;h2" not in page and "&amp;lt;" not in page


@pytest.mark.django_db
def test_saving_the_same_draft_twice_makes_one_version_and_no_false_conflict(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    page = client.get(url).content.decode()
    assert 'name="submission_token"' in page
    data = plan_post(catalogue, submission_token=str(uuid.uuid4()))
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302 and second.status_code == 302, second.content.decode()[:2000]
    assert PlanVersion.objects.count() == 1
    assert services.edit_count(world.case) == 1

    # Pressed again after the plan was shared: one new version, not two, and no conflict.
    services.share_with_doctor(world.case, by=world.case_manager)
    data = plan_post(catalogue, edit_count=1, submission_token=str(uuid.uuid4()), goals=[{"text": "New", **LEVELS}])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert list(PlanVersion.objects.values_list("number", "status")) == [(2, "draft"), (1, "superseded")]


@pytest.mark.django_db
def test_the_same_form_sent_again_with_more_changes_saves_them_over_its_own_save(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    token = str(uuid.uuid4())
    client.post(url, plan_post(catalogue, submission_token=token))
    response = client.post(
        url, plan_post(catalogue, submission_token=token, goals=[{"text": "Typed after the first save", **LEVELS}])
    )
    assert response.status_code == 302
    assert PlanVersion.objects.get().content["goals"][0]["text"] == "Typed after the first save"


@pytest.mark.django_db
def test_a_real_concurrent_edit_is_still_shown_as_a_conflict(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    # Two people open the form at edit count 0; each page has its own token.
    mine = plan_post(catalogue, submission_token=str(uuid.uuid4()), goals=[{"text": "Mine", **LEVELS}])
    theirs = plan_post(catalogue, submission_token=str(uuid.uuid4()), goals=[{"text": "Theirs", **LEVELS}])
    assert client.post(url, theirs).status_code == 302
    page = client.post(url, mine).content.decode()
    assert "Someone else changed this plan while you were editing" in page
    assert PlanVersion.objects.get().content["goals"][0]["text"] == "Theirs"
    # And their own form, sent twice after someone else's save, is a conflict too.
    assert "Someone else changed this plan" in client.post(url, mine).content.decode()


@pytest.mark.django_db
def test_plan_form_limits_are_stated_and_too_many_is_refused_in_our_words(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    page = client.get(url).content.decode()
    assert "A plan can have up to 20 goals." in page
    assert "Up to 20 kinds of support." in page and "Up to 30 milestones" in page
    assert "Up to 12 dates." in page
    dates = "\n".join(f"{day:02d}/01/2027" for day in range(1, 14))
    goals = [{"text": f"Goal {n}", **LEVELS} for n in range(21)]
    page = client.post(url, plan_post(catalogue, goals=goals, review_dates=dates)).content.decode()
    assert "A plan can have up to 20 goals. Remove one before adding another" in page
    assert "Enter up to 12 review dates, one on each line" in page
    page = client.post(url, plan_post(catalogue, **{"goals-0-importance": "9"})).content.decode()
    assert "Choose how important the goal is from the list" in page
    page = client.post(url, {"edit_count": "x"}).content.decode()
    assert "This page is out of date" in page
    assert "ManagementForm" not in page and "Please submit" not in page and "Select a valid choice" not in page
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_the_doctor_reads_the_status_of_their_plan_in_their_own_words_and_staff_see_who_it_is_shared_with(
    client, world, catalogue
):
    shared(world, catalogue, sharing={"goals": ["responsible_officer"]})
    login_as(client, world.doctor)
    page = client.get(reverse("plans:my_plan", args=[world.case.pk])).content.decode()
    assert "Version 1: <strong>Ready for you to read</strong>" in page
    assert "with the doctor" not in page
    login_as(client, world.case_manager)
    staff = client.get(reverse("plans:plan_detail", args=[world.case.pk])).content.decode()
    assert "Version 1: <strong>Shared with the doctor</strong>" in staff
    # The plan's sharing in the support team's words: the doctor's "your" would mean the case manager's own.
    assert "The responsible officer" in staff and "Support the doctor will get" in staff
    assert "Your responsible officer" not in staff and "Support you will get" not in staff


@pytest.mark.django_db
def test_the_case_manager_drafting_a_plan_reads_the_sharing_choices_in_their_own_words(client, world, catalogue):
    from supportpath.sharing import agreement
    from supportpath.sharing.choices import Audience, Item

    request = world.case.request
    agreement.set_audience(
        request,
        Audience.RESPONSIBLE_OFFICER,
        [Item.STAGE, Item.INTERVENTIONS],
        by=world.doctor,
        based_on=agreement.current_version(request),
    )
    login_as(client, world.case_manager)
    page = client.get(reverse("plans:edit_plan", args=[world.case.pk])).content.decode()
    assert "The responsible officer: the stage their support is at, support the doctor will get" in page
    assert "Propose sharing: support the doctor will get" in page
    assert re.search(r"<label[^>]*>\s*The responsible officer\s*</label>", page)
    assert re.search(r"<label[^>]*>\s*The employer\s*</label>", page)
    for doctors_words in ("your support", "Your responsible officer", "Your employer", "support you will get"):
        assert doctors_words not in page, doctors_words


@pytest.mark.django_db
def test_the_doctor_still_reads_what_they_asked_for_after_the_case_manager_makes_a_new_version(
    client, world, catalogue
):
    first = shared(world, catalogue)
    login_as(client, world.doctor)
    asked = client.post(
        reverse("plans:ask_for_changes", args=[world.case.pk]),
        {"number": first.number, "comment": "Please make the first goal about the team huddle."},
    )
    assert asked.status_code == 302

    # The case manager changes the plan: version 1 is replaced by a draft the doctor cannot see yet.
    login_as(client, world.case_manager)
    edit = reverse("plans:edit_plan", args=[world.case.pk])
    goals = [{"text": "Speak up at the team huddle", **LEVELS}]
    response = client.post(edit, plan_post(catalogue, edit_count=services.edit_count(world.case), goals=goals))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED

    login_as(client, world.doctor)
    my_plan = reverse("plans:my_plan", args=[world.case.pk])
    page = client.get(my_plan).content.decode()
    assert "Please make the first goal about the team huddle." in page
    assert "Version 1: <strong>You asked for changes</strong>" in page
    assert "will change the plan with you and share a new version" in page

    login_as(client, world.case_manager)
    client.post(reverse("plans:share_plan", args=[world.case.pk]))
    login_as(client, world.doctor)
    latest = client.get(my_plan).content.decode()
    assert "What changed since version 1" in latest
    assert "What you asked for on version 1" in latest
    assert "Please make the first goal about the team huddle." in latest
    assert "Added goal: Speak up at the team huddle" in latest
    earlier = client.get(my_plan + "?version=1").content.decode()
    assert "Please make the first goal about the team huddle." in earlier
    assert f'href="{my_plan}?version=2"' in earlier
    assert "You asked for changes; replaced by a later version" in earlier

    login_as(client, world.case_manager)
    staff = client.get(reverse("plans:plan_detail", args=[world.case.pk])).content.decode()
    assert "What the doctor asked for on version 1" in staff


@time_machine.travel(NOW, tick=False)
def test_the_facilitator_reads_the_plan_but_cannot_draft_change_or_share_it(client, world, catalogue):
    world.case.facilitator = world.facilitator
    world.case.save()
    draft(world, catalogue)
    login_as(client, world.facilitator)
    page = client.get(reverse("plans:plan_detail", args=[world.case.pk]))
    assert page.status_code == 200
    assert "Lead the ward round with confidence" in page.content.decode()
    assert reverse("plans:edit_plan", args=[world.case.pk]) not in page.content.decode()
    assert reverse("plans:share_plan", args=[world.case.pk]) not in page.content.decode()
    versions = PlanVersion.objects.filter(plan__case=world.case)
    before = list(versions.values_list("number", "status", "updated_at"))
    for name in ["edit_plan", "share_plan"]:
        url = reverse(f"plans:{name}", args=[world.case.pk])
        assert client.get(url).status_code == 404, name
        data = plan_post(catalogue, edit_count=services.edit_count(world.case), goals=[{"text": "Changed", **LEVELS}])
        assert client.post(url, data).status_code == 404, name
    assert list(versions.values_list("number", "status", "updated_at")) == before
    assert services.versions(world.case)[0].content["goals"][0]["text"] == "Lead the ward round with confidence"
    assert not AccessRecord.objects.filter(actor=world.facilitator).exclude(purpose="Working on the support plan")
    assert not mail.outbox
    login_as(client, world.case_manager)
    page = client.get(reverse("plans:plan_detail", args=[world.case.pk])).content.decode()
    assert reverse("plans:edit_plan", args=[world.case.pk]) in page
    assert reverse("plans:share_plan", args=[world.case.pk]) in page


@pytest.mark.django_db
def test_every_part_of_the_sharing_agreement_refuses_a_choice_not_listed_in_our_words(client, world, catalogue):
    login_as(client, world.case_manager)
    url = reverse("plans:edit_plan", args=[world.case.pk])
    parts = {
        "share_goals": "the goals",
        "share_interventions": "the support the doctor will get",
        "share_milestones": "the milestones",
        "share_review_outcomes": "the outcomes of reviews",
        "share_session_summaries": "the session summaries",
    }
    # A referrer on a doctor's own request, someone who is not an audience at all, and a good choice beside a bad.
    for bad in (["referrer"], ["the neighbours"], ["employer", "astrologer"]):
        page = client.post(url, plan_post(catalogue, **dict.fromkeys(parts, bad))).content.decode()
        assert "There is a problem" in page
        for name, words in parts.items():
            message = f"Select only the people listed to share {words} with"
            assert f'href="#id_{name}"' in page and f'id="id_{name}"' in page, (bad, name)  # linked to its question
            assert page.count(message) == 2, (bad, name)  # the summary and the field's own error
        assert "Select a valid choice" not in page and "Enter a list of values" not in page
        assert page.count('value="employer" checked') == (5 if "employer" in bad else 0), "what was ticked is kept"
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_the_plan_form_boxes_are_as_tall_as_their_answers_need(client, world, catalogue):
    # A goal's five levels are a line or two each: boxes of the NHS default height made the page five screens
    # longer than it needed to be.
    login_as(client, world.case_manager)
    page = client.get(reverse("plans:edit_plan", args=[world.case.pk])).content.decode()
    heights = dict(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*rows="(\d+)"', page))
    assert heights["goals-0-level_minus_2"] == "2"
    assert heights["in_my_control"] == "3"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_demos_history_is_dated_when_it_happened_and_tells_nobody(
    world, catalogue, django_capture_on_commit_callbacks
):
    from supportpath.sharing.models import AgreementVersion

    drafted, shared_at, asked, redrafted, agreed = (NOW - dt.timedelta(days=d) for d in (9, 8, 7, 5, 3))
    content = draft(world, catalogue, sharing={"goals": ["responsible_officer"]}).content
    PlanVersion.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.save_draft(world.case, by=world.case_manager, data=content, based_on=1, at=drafted)
        services.share_with_doctor(world.case, by=world.case_manager, notify=False, at=shared_at)
        services.request_changes(world.case, number=1, comment="Later, please", notify=False, at=asked)
        services.save_draft(world.case, by=world.case_manager, data=content, based_on=3, at=redrafted)
        services.share_with_doctor(world.case, by=world.case_manager, notify=False, at=redrafted)
        second = services.agree(world.case, number=2, notify=False, at=agreed)
    assert mail.outbox == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.created_at, first.shared_at, first.changes_requested_at) == (drafted, shared_at, asked)
    assert (first.status, first.updated_at) == (VersionStatus.SUPERSEDED, redrafted)
    assert (second.created_at, second.shared_at, second.agreed_at, second.updated_at) == (
        redrafted,
        redrafted,
        agreed,
        agreed,
    )
    made = AgreementVersion.objects.filter(agreement__request=world.case.request, plan_version=2).get()
    assert made.made_at == agreed
    world.case.refresh_from_db()
    assert world.case.stage == Stage.SUPPORT
