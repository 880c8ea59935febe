"""Facilitators, matching and allocation through the pages: the case manager, the facilitator and the doctor."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, Stage
from supportpath.facilitation.models import Allocation, AllocationStatus, FacilitatorProfile, MatchingPreferences
from supportpath.pathway.models import NeedsAssessment
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

pytestmark = pytest.mark.django_db


def assessed(case, by):
    """The first conversation held and the needs assessment recorded, as the case manager does."""
    NeedsAssessment.objects.create(
        case=case, presenting_issues=[], conversation_held_on=dt.date(2026, 11, 20), recorded_by=by
    )
    case.stage = Stage.PLANNING
    case.save(update_fields=["stage"])
    return case


def waiting_case(world, *, first_conversation_held=True, **request_kwargs):
    """A new case for other_doctor at the North service, with nobody asked yet; by default after the first
    conversation (only then does it come onto the waiting list)."""
    request_kwargs.setdefault("doctor", world.other_doctor.doctor_profile)
    request = f.SupportRequestFactory(service=world.service, status="accepted", **request_kwargs)
    case = f.CaseFactory(request=request, case_manager=world.case_manager)
    return assessed(case, world.case_manager) if first_conversation_held else case


def facilitator(world, name, **profile):
    user = f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name=name).user
    profile.setdefault("role", "mentor")
    profile.setdefault("capacity", 3)
    FacilitatorProfile.objects.create(user=user, service=world.service, **profile)
    return user


def test_suggestions_rank_by_fit_explain_why_and_leave_out_conflicts_and_full_facilitators(client, world):
    case = waiting_case(world, reasons=["examinations"])
    best = facilitator(world, "Gil Exams", specialisms=["examinations"])
    facilitator(world, "Hal Other", specialisms=["career"])
    conflicted = facilitator(world, "Ivy Conflicted", specialisms=["examinations"])
    conflicted.facilitator_profiles.get().conflicted_organisations.add(world.trust)
    facilitator(world, "Jo Full", specialisms=["examinations"], capacity=0)
    login_as(client, world.case_manager)
    page = client.get(reverse("facilitation:allocate_case", args=[case.pk])).content.decode()
    assert page.index("Gil Exams") < page.index("Hal Other")
    assert "Experienced in examinations" in page
    assert "Ivy Conflicted" not in page and "Jo Full" not in page
    assert best.full_name in page


def test_the_case_manager_proposes_once_however_often_the_form_is_sent(
    client, world, django_capture_on_commit_callbacks
):
    case = waiting_case(world, reasons=["career"])
    gil = facilitator(world, "Gil Careers", specialisms=["career"])
    login_as(client, world.case_manager)
    url = reverse("facilitation:allocate_case", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"facilitator": gil.pk})
        second = client.post(url, {"facilitator": gil.pk})
    assert first.status_code == 302 and second.status_code == 200
    assert Allocation.objects.filter(case=case).count() == 1
    assert [m.to for m in mail.outbox] == [[gil.email]]


def test_bad_choices_are_refused_with_a_message(client, world):
    case = waiting_case(world)
    login_as(client, world.case_manager)
    url = reverse("facilitation:allocate_case", args=[case.pk])
    assert "There is a problem" in client.post(url, {}).content.decode()
    assert (
        "Choose one of the facilitators listed" in client.post(url, {"facilitator": world.doctor.pk}).content.decode()
    )
    assert not Allocation.objects.filter(case=case).exists()


def test_another_service_cannot_see_or_allocate_the_case(client, world):
    case = waiting_case(world)
    login_as(client, world.other_case_manager)
    url = reverse("facilitation:allocate_case", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"facilitator": world.facilitator.pk}).status_code == 404
    assert not Allocation.objects.filter(case=case).exists()


def test_the_facilitator_accepts_and_the_doctor_sees_who_it_is(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.facilitator)
    url = reverse("facilitation:respond", args=[world.allocation.pk])
    page = client.get(url).content.decode()
    assert world.self_request.reference in page
    assert AccessRecord.objects.filter(actor=world.facilitator, doctor=world.doctor.doctor_profile).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.facilitator == world.facilitator
    assert mail.outbox[-1].to == [world.doctor.email]
    assert "Fay Coach will be your facilitator" in mail.outbox[-1].body
    login_as(client, world.doctor)
    page = client.get(reverse("facilitation:my_facilitator", args=[world.case.pk])).content.decode()
    assert "Fay Coach is your facilitator" in page
    assert "Change facilitator" in page


def test_a_decline_needs_a_reason_and_rules_that_facilitator_out(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.facilitator)
    url = reverse("facilitation:respond", args=[world.allocation.pk])
    page = client.post(url, {"decision": "decline", "reason": "  "}).content.decode()
    assert "Say why you are declining" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "decline", "reason": "I know the doctor socially."})
    world.allocation.refresh_from_db()
    assert world.allocation.status == AllocationStatus.DECLINED
    assert mail.outbox[-1].to == [world.case_manager.email]
    assert "I know the doctor socially." not in mail.outbox[-1].body
    login_as(client, world.case_manager)
    page = client.get(reverse("facilitation:allocate_case", args=[world.case.pk])).content.decode()
    assert "I know the doctor socially." in page
    assert f'value="{world.facilitator.pk}"' not in page, "a facilitator who declined is not suggested again"


def test_only_the_facilitator_offered_the_case_can_answer(client, world):
    other = facilitator(world, "Kit Other")
    for person in (other, world.case_manager, world.doctor):
        login_as(client, person)
        url = reverse("facilitation:respond", args=[world.allocation.pk])
        assert client.post(url, {"decision": "accept"}).status_code == 404
    world.case.refresh_from_db()
    assert world.case.facilitator is None


def test_the_waiting_list_is_allocated_at_once_within_capacity(client, world, django_capture_on_commit_callbacks):
    world.allocation.delete()
    assessed(world.case, world.case_manager)
    second = waiting_case(world, reasons=["career"])
    gil = facilitator(world, "Gil Careers", specialisms=["career"], capacity=1)
    world.facilitator_profile.capacity = 0
    world.facilitator_profile.save()
    login_as(client, world.case_manager)
    url = reverse("facilitation:waiting_list")
    page = client.get(url).content.decode()
    assert world.self_request.reference in page and second.request.reference in page
    assert page.count('name="pair"') == 1, "one place free, so one case is proposed"
    assert "Nobody free" in page
    pairs = [f"{c.pk}:{gil.pk}" for c in (world.case, second)]  # a tampered form asking for both
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"pair": pairs}, follow=True)
    assert Allocation.objects.filter(facilitator=gil).count() == 1
    assert "has no room for another case" in response.content.decode()


def test_the_doctor_states_preferences_asks_for_an_introduction_and_changes_once(
    client, world, django_capture_on_commit_callbacks
):
    assessed(world.case, world.case_manager)  # the first conversation came before the facilitator
    login_as(client, world.doctor)
    prefs_url = reverse("facilitation:my_preferences", args=[world.case.pk])
    client.post(prefs_url, {"gender": "woman", "in_person": "yes", "trained_outside_uk": "no"})
    assert MatchingPreferences.objects.get(case=world.case).as_dict() == {"gender": "woman", "in_person": "yes"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("facilitation:ask_for_introduction", args=[world.case.pk]))
        client.post(reverse("facilitation:ask_for_introduction", args=[world.case.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.facilitator.email, world.case_manager.email])

    from supportpath.facilitation import services

    services.accept(world.allocation)
    change_url = reverse("facilitation:change_facilitator", args=[world.case.pk])
    assert "You do not need to give a reason" in client.get(change_url).content.decode()
    client.post(change_url)
    world.case.refresh_from_db()
    assert world.case.facilitator is None

    gil = facilitator(world, "Gil Second", specialisms=["career"])
    services.propose(world.case, gil.pk, by=world.case_manager)
    services.accept(Allocation.objects.get(case=world.case, facilitator=gil))
    page = client.get(reverse("facilitation:my_facilitator", args=[world.case.pk])).content.decode()
    assert "You have already changed facilitator once" in page
    client.post(change_url)
    world.case.refresh_from_db()
    assert world.case.facilitator == gil


def test_another_doctor_cannot_act_on_the_case(client, world):
    login_as(client, world.other_doctor)
    for name in ("my_preferences", "ask_for_introduction", "change_facilitator"):
        assert client.post(reverse(f"facilitation:{name}", args=[world.case.pk]), {}).status_code == 404
    world.allocation.refresh_from_db()
    assert world.allocation.intro_requested_at is None
    assert not MatchingPreferences.objects.exists()


def test_a_facilitator_edits_their_own_profile_but_not_their_capacity(client, world):
    login_as(client, world.facilitator)
    url = reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])
    page = client.get(url).content.decode()
    assert "Most active cases at once" not in page
    client.post(
        url,
        {
            "accreditation": "Accredited coach",
            "specialisms": ["career", "examinations"],
            "trained_outside_uk": "no",
            "meets_in_person": "yes",
            "capacity": "40",
            "version": "1",
        },
    )
    world.facilitator_profile.refresh_from_db()
    assert world.facilitator_profile.accreditation == "Accredited coach"
    assert world.facilitator_profile.capacity == 4


def test_a_stale_profile_save_is_shown_the_conflict_and_nothing_is_overwritten(client, world):
    login_as(client, world.case_manager)
    url = reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])
    form = {
        "role": "coach",
        "trained_outside_uk": "no",
        "meets_in_person": "yes",
        "accepting_cases": "yes",
        "capacity": "5",
        "conflicted_organisations": [world.trust.pk],
        "version": "1",
    }
    assert client.post(url, form).status_code == 302
    page = client.post(url, {**form, "capacity": "9"}).content.decode()
    assert "Someone else changed this profile" in page
    assert 'value="9"' in page
    world.facilitator_profile.refresh_from_db()
    assert world.facilitator_profile.capacity == 5
    assert list(world.facilitator_profile.conflicted_organisations.all()) == [world.trust]


def test_the_case_manager_sets_up_a_profile_for_a_new_facilitator(client, world):
    membership = f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name="Lee New")
    login_as(client, world.case_manager)
    assert "Set up" in client.get(reverse("facilitation:facilitators")).content.decode()
    url = reverse("facilitation:create_profile", args=[membership.pk])
    assert "Select the facilitator" in client.post(url, {}).content.decode()
    client.post(
        url,
        {
            "role": "mentor",
            "trained_outside_uk": "no",
            "meets_in_person": "yes",
            "accepting_cases": "yes",
            "capacity": 2,
        },
    )
    assert FacilitatorProfile.objects.get(user=membership.user).capacity == 2
    login_as(client, world.other_case_manager)
    assert client.get(reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])).status_code == 404


@pytest.mark.parametrize("name", ["facilitation:waiting_list", "facilitation:facilitators"])
def test_pool_pages_take_the_same_queries_for_few_and_many(client, world, django_assert_num_queries, name):
    facilitator(world, "First", specialisms=["career"])
    waiting_case(world, reasons=["career"])
    login_as(client, world.case_manager)
    client.get(reverse(name))  # the service's first view of its waiting list starts its record of matching runs
    # Each measured view follows a change to the list, so each one queues the work of matching again; and
    # each shows doctors not seen on the list yet today, so each writes its access records in one batch.
    waiting_case(world, reasons=["career"], doctor=f.DoctorFactory(employer=world.trust))
    expected = {"facilitation:waiting_list": pinned(32, 33), "facilitation:facilitators": pinned(9)}[name]
    with django_assert_num_queries(expected) as small:
        client.get(reverse(name))
    small_count = len(small.captured_queries)
    for n in range(12):
        facilitator(world, f"Extra {n}", specialisms=["career"])
        # Doctors not seen on the list yet today, so both pages write their access records in one batch.
        waiting_case(world, reasons=["career", "examinations"], doctor=f.DoctorFactory(employer=world.trust))
    with django_assert_num_queries(small_count) as large:
        assert client.get(reverse(name)).status_code == 200
    assert Case.objects.count() > 10 and len(large.captured_queries) == small_count
    if name == "facilitation:waiting_list":
        assert AccessRecord.objects.filter(actor=world.case_manager, object_id=name).count() == 14


def test_the_facilitators_and_doctors_pages_take_the_same_queries_for_few_and_many(
    client, world, django_assert_num_queries
):
    pages = [
        (world.facilitator, reverse("facilitation:my_allocations"), pinned(15, 16)),
        (world.doctor, reverse("facilitation:my_facilitator", args=[world.case.pk]), pinned(10)),
        (world.case_manager, reverse("facilitation:allocate_case", args=[world.case.pk]), pinned(14, 15)),
    ]
    counts = []
    for size in (1, 12):
        for _ in range(size):
            # A doctor the facilitator has not seen in their list today, so each size writes one batch.
            case = waiting_case(world, doctor=f.DoctorFactory(employer=world.trust))
            Allocation.objects.create(case=case, facilitator=world.facilitator, proposed_by=world.case_manager)
            facilitator(world, "More", specialisms=["career"])
        row = []
        for person, url, expected in pages:
            login_as(client, person)
            with django_assert_num_queries(expected) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries.captured_queries))
        counts.append(row)
    assert counts[0] == counts[1]


def test_what_the_doctor_would_like_shows_as_a_list_with_their_words_escaped(client, world):
    MatchingPreferences.objects.create(case=world.case, gender="woman", anything_else="Not <b>Dr Smith</b> please")
    world.allocation.delete()
    login_as(client, world.case_manager)
    page = client.get(reverse("facilitation:allocate_case", args=[world.case.pk])).content.decode()
    assert "<p><strong>What the doctor would like</strong></p>" in page
    assert "<li>A facilitator who is a woman</li>" in page
    assert "<li>Not &lt;b&gt;Dr Smith&lt;/b&gt; please</li>" in page
    assert "&lt;p&gt;" not in page and "&lt;li&gt;" not in page


def test_conflicts_of_interest_offer_only_the_organisations_the_service_supports(client, world):
    elsewhere = f.OrganisationFactory(name="Southern Fictional Trust", support_service=world.other_service)
    practice = f.OrganisationFactory(name="Fictional Lane Surgery", support_service=world.service)
    login_as(client, world.case_manager)
    url = reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])
    page = client.get(url).content.decode()
    assert world.trust.name in page and practice.name in page and world.service.name in page
    assert elsewhere.name not in page and world.other_service.name not in page
    form = {
        "role": "coach",
        "trained_outside_uk": "no",
        "meets_in_person": "yes",
        "accepting_cases": "yes",
        "capacity": "4",
        "version": "1",
        "conflicted_organisations": [elsewhere.pk],
    }
    page = client.post(url, form).content.decode()
    assert "Select only organisations your service supports" in page
    assert "Select a valid choice" not in page
    assert client.post(url, {**form, "conflicted_organisations": [practice.pk]}).status_code == 302
    assert list(world.facilitator_profile.conflicted_organisations.all()) == [practice]


def test_a_conflict_recorded_before_with_another_organisation_is_kept_visible(client, world):
    elsewhere = f.OrganisationFactory(name="Southern Fictional Trust", support_service=world.other_service)
    world.facilitator_profile.conflicted_organisations.add(elsewhere)
    login_as(client, world.case_manager)
    page = client.get(reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])).content.decode()
    assert elsewhere.name in page


def test_saving_a_profile_twice_from_one_form_is_not_a_conflict_but_another_persons_save_is(client, world):
    login_as(client, world.case_manager)
    url = reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])
    assert 'name="submission_token"' in client.get(url).content.decode()
    form = {
        "role": "coach",
        "trained_outside_uk": "no",
        "meets_in_person": "yes",
        "accepting_cases": "yes",
        "capacity": "5",
        "version": "1",
        "submission_token": "6f1c1f4e-7a52-4a55-9a27-5b1f0e1d2c3b",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    world.facilitator_profile.refresh_from_db()
    assert (world.facilitator_profile.capacity, world.facilitator_profile.version) == (5, 3)
    other = {**form, "capacity": "9", "submission_token": "0b7e2f5a-1111-4c2d-8e3f-aaaaaaaaaaaa"}
    assert "Someone else changed this profile" in client.post(url, other).content.decode()


def test_profile_limits_are_stated_and_bad_answers_get_our_words(client, world):
    login_as(client, world.facilitator)
    url = reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])
    page = client.get(url).content.decode()
    assert "Up to 200 characters." in page and "Up to 600 characters." in page
    page = client.post(
        url,
        {
            "accreditation": "a" * 201,
            "specialisms": ["juggling"],
            "gender": "other",
            "trained_outside_uk": "perhaps",
            "meets_in_person": "yes",
            "version": "1",
        },
    ).content.decode()
    assert "Accreditation must be 200 characters or fewer" in page
    assert "Select only the kinds of experience listed" in page
    assert "Select one of the answers listed" in page
    assert "Select yes or no: did you gain your primary medical qualification outside the UK" in page
    assert "Ensure this value" not in page and "Select a valid choice" not in page


def test_confirming_the_waiting_list_twice_asks_each_facilitator_once_with_no_false_warnings(
    client, world, django_capture_on_commit_callbacks
):
    world.allocation.delete()
    assessed(world.case, world.case_manager)
    gil = facilitator(world, "Gil Careers", specialisms=["career"], capacity=3)
    login_as(client, world.case_manager)
    url = reverse("facilitation:waiting_list")
    pairs = [f"{world.case.pk}:{gil.pk}"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"pair": pairs})
        page = client.post(url, {"pair": pairs}, follow=True).content.decode()
    assert Allocation.objects.filter(case=world.case).count() == 1
    assert "Not allocated" not in page
    assert [m.to for m in mail.outbox] == [[gil.email]]


def test_the_profile_form_speaks_to_the_facilitator_and_about_them_to_staff(client, world):
    url = reverse("facilitation:edit_profile", args=[world.facilitator_profile.pk])
    login_as(client, world.facilitator)
    own = client.get(url).content.decode()
    assert "Your facilitator profile" in own
    assert "About you, for doctors" in own and "Did you gain your primary medical qualification" in own

    for staff in (world.case_manager, world.service_admin):
        login_as(client, staff)
        page = client.get(url).content.decode()
        assert "Fay Coach's facilitator profile" in page
        assert "About Fay Coach, for doctors (optional)" in page
        assert "Did Fay Coach gain their primary medical qualification outside the UK?" in page
        assert "Can Fay Coach meet doctors in person?" in page
        for second_person in ("About you", "Did you", "Can you", "before meeting you", "Your facilitator profile"):
            assert second_person not in page, second_person

    page = client.post(url, {"role": "coach", "capacity": "4", "accepting_cases": "yes", "version": "1"})
    text = page.content.decode()
    assert "Select yes or no: did Fay Coach gain their primary medical qualification outside the UK" in text
    assert "Select yes or no: can Fay Coach meet doctors in person" in text

    membership = f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name="Lee New")
    new = client.get(reverse("facilitation:create_profile", args=[membership.pk])).content.decode()
    assert "Lee New's facilitator profile" in new and "About Lee New, for doctors" in new
    assert "About you" not in new


def test_cases_before_the_first_conversation_are_not_offered_on_the_waiting_list_and_the_page_says_why(
    client, world, django_capture_on_commit_callbacks
):
    """DESIGN.md §2: first conversation and needs, then plan, then facilitator. Matching is on needs."""
    world.allocation.delete()
    early = waiting_case(world, reasons=["career"], first_conversation_held=False)
    ready = waiting_case(world, reasons=["career"])
    gil = facilitator(world, "Gil Careers", specialisms=["career"], capacity=5)
    login_as(client, world.case_manager)
    url = reverse("facilitation:waiting_list")
    page = client.get(url).content.decode()
    assert ready.request.reference in page
    assert early.request.reference not in page and world.self_request.reference not in page
    assert "once the first conversation with the doctor has taken place" in page
    assert "2 cases are not shown yet because the first conversation has not taken place." in page

    # A page from before, or a tampered one, cannot allocate the early case either.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"pair": [f"{early.pk}:{gil.pk}", f"{ready.pk}:{gil.pk}"]}, follow=True)
    assert list(Allocation.objects.filter(facilitator=gil).values_list("case_id", flat=True)) == [ready.pk]
    assert f"{early.request.reference}: the first conversation has not taken place yet" in response.content.decode()

    assessed(early, world.case_manager)
    assert early.request.reference in client.get(url).content.decode()


def test_before_the_first_conversation_the_allocate_page_says_why_and_asks_nobody(
    client, world, django_capture_on_commit_callbacks
):
    """The same rule as the waiting list's: a facilitator is matched on needs, known after the first conversation."""
    early = waiting_case(world, reasons=["career"], first_conversation_held=False)
    gil = facilitator(world, "Gil Careers", specialisms=["career"], capacity=5)
    login_as(client, world.case_manager)
    url = reverse("facilitation:allocate_case", args=[early.pk])
    page = client.get(url).content.decode()
    assert "No facilitator can be asked yet" in page
    assert "The first conversation with the doctor has not taken place yet" in page
    assert f'href="{reverse("pathway:needs_assessment", args=[early.pk])}"' in page
    assert "Gil Careers" not in page and 'name="facilitator"' not in page

    # A page from before, or a tampered form, asks nobody.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"facilitator": gil.pk}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "No facilitator has been asked. The first conversation with the doctor has not taken place yet" in (
        response.content.decode()
    )
    assert not Allocation.objects.filter(case=early).exists() and mail.outbox == []

    assessed(early, world.case_manager)
    page = client.get(url).content.decode()
    assert "Gil Careers" in page and "No facilitator can be asked yet" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"facilitator": gil.pk})["Location"] == reverse("pathway:case_detail", args=[early.pk])
    assert Allocation.objects.filter(case=early, facilitator=gil).exists()


def test_proposing_before_the_first_conversation_is_refused_by_the_rule_itself(world):
    from supportpath.facilitation import services

    early = waiting_case(world, reasons=["career"], first_conversation_held=False)
    gil = facilitator(world, "Gil Careers", specialisms=["career"])
    with pytest.raises(services.AllocationRefused, match="The first conversation has not taken place yet"):
        services.propose(early, gil.pk, by=world.case_manager)
    assert not Allocation.objects.filter(case=early).exists()


def test_the_demos_history_is_dated_when_it_happened_and_tells_nobody(world, django_capture_on_commit_callbacks):
    from supportpath.facilitation import services
    from supportpath.facilitation.models import EndReason, IntroductionOutcome

    case = waiting_case(world, reasons=["career"])
    gil, hal, ida = (facilitator(world, name, specialisms=["career"]) for name in ("Gil One", "Hal Two", "Ida Three"))
    at = [dt.datetime(2026, 11, day, 10, 0, tzinfo=dt.UTC) for day in range(2, 10)]
    by = world.case_manager
    with django_capture_on_commit_callbacks(execute=True):
        first = services.propose(case, gil.pk, by=by, notify=False, at=at[0])
        services.decline(first, reason="No room until the spring", notify=False, at=at[1])
        second = services.propose(case, hal.pk, by=by, notify=False, at=at[2])
        services.ask_for_introduction(second, notify=False, at=at[3])
        services.record_introduction(
            second, outcome=IntroductionOutcome.NOT_GOING_AHEAD, held_on=at[4].date(), notify=False, at=at[4]
        )
        third = services.propose(case, ida.pk, by=by, notify=False, at=at[5])
        services.accept(third, notify=False, at=at[6])
        assert services.change_facilitator(case, notify=False, at=at[7])
    assert mail.outbox == []
    rows = Allocation.objects.filter(case=case).order_by("proposed_at")
    assert [
        (a.status, a.proposed_at, a.responded_at, a.intro_requested_at, a.intro_recorded_at, a.ended_at, a.end_reason)
        for a in rows
    ] == [
        (AllocationStatus.DECLINED, at[0], at[1], None, None, None, ""),
        (AllocationStatus.ENDED, at[2], None, at[3], at[4], at[4], EndReason.NOT_GOING_AHEAD),
        (AllocationStatus.ENDED, at[5], at[6], None, None, at[7], EndReason.DOCTOR_CHANGED),
    ]
