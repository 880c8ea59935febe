"""The demo shows the whole pathway: each named doctor stands where their note says and can try what is there,
every staff role's first page has something in it, and the drawn cases have what happens along the way
(declines, introductions, changes, new versions, reassessments, new dates, late notices, emergency access).

Seeded once for the package (conftest.py), with the clock stopped at ``SEEDED_AT``.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.audit.chain import verify_chain
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, Stage
from supportpath.closure.models import ExitFeedback
from supportpath.demo import insights_stage, people
from supportpath.demo.staff_stage import LEAVER_EMAIL, LEAVER_NAME
from supportpath.emergency_access.models import EmergencyAccess
from supportpath.facilitation.models import (
    Allocation,
    AllocationStatus,
    EndReason,
    FacilitatorProfile,
    IntroductionOutcome,
    MatchingPreferences,
)
from supportpath.journey import journeys as journey
from supportpath.pathway.models import SupportSession
from supportpath.peer.models import GroupMeeting, PeerGroup, PeerMatch, PeerSupporter, PracticeCheck
from supportpath.plans.models import PlanVersion, VersionStatus
from supportpath.plans.presenters import diff
from supportpath.progress import targets
from supportpath.progress.models import (
    Closure,
    ClosureReason,
    NoticeKind,
    Reassessment,
    Review,
    RevisedDate,
    TargetNotice,
)
from supportpath.referrals.models import HandoverDestination, Status, SupportRequest
from supportpath.service.models import CaseMove, ChangeKind, StaffChange
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.testing.auth import login_as

from .conftest import SEEDED_AT, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(seeded):
    # Pages and rules read "today"; keep it the day of seeding.
    with time_machine.travel(SEEDED_AT + dt.timedelta(minutes=5), tick=False):
        yield


def case_of(key: str) -> Case:
    email = next(d.email for d in people.NAMED_DOCTORS if d.key == key)
    return Case.objects.select_related("request__doctor__user").get(request__doctor__user__email=email)


def signed_in(email: str) -> Client:
    return login_as(Client(), User.objects.get(email=email))


def doctor(key: str) -> Client:
    return signed_in(next(d.email for d in people.NAMED_DOCTORS if d.key == key))


def test_no_email_is_queued_while_seeding(seeded):
    assert seeded.after_commit == []


def test_the_access_log_chain_is_intact_and_dated_before_seeding(seeded):
    assert verify_chain().intact
    assert AccessRecord.objects.exists()
    assert not AccessRecord.objects.filter(at__gt=SEEDED_AT).exists()


def test_esther_has_a_plan_shared_and_waiting_and_a_coach_to_meet_first(seeded):
    case = case_of("esther")
    assert case.stage == Stage.PLANNING
    [version] = PlanVersion.objects.filter(plan__case=case)
    assert version.status == VersionStatus.SHARED and version.agreed_at is None
    offered = case.allocations.get()
    assert offered.status == AllocationStatus.PROPOSED and offered.facilitator.email.startswith("coach@")
    assert offered.intro_requested_at and not offered.intro_outcome
    client = doctor("esther")
    assert client.get(reverse("plans:agree_plan", args=[case.pk])).status_code == 200
    assert client.get(reverse("plans:ask_for_changes", args=[case.pk])).status_code == 200


def test_kenji_asked_for_changes_and_version_2_says_what_changed(seeded):
    case = case_of("kenji")
    first, second = PlanVersion.objects.filter(plan__case=case).order_by("number")
    assert first.status == VersionStatus.SUPERSEDED and first.doctor_comment and first.changes_requested_at
    assert second.status == VersionStatus.SHARED and second.shared_at > first.changes_requested_at
    sections = {section["title"]: section["changes"] for section in diff(first.content, second.content)}
    assert sections["Milestones"] and sections["Sharing proposed"]
    page = doctor("kenji").get(reverse("plans:my_plan", args=[case.pk]))
    assert "What changed since version 1" in page.content.decode()


def test_bethan_can_ask_for_another_time_for_her_first_conversation(seeded):
    case = case_of("bethan")
    assert case.stage == Stage.INITIAL_CONVERSATION
    assert timezone.localdate(case.initial_conversation.scheduled_for) > TODAY
    assert journey.journey_for(case.request).can_ask_for_another_time
    assert doctor("bethan").get(reverse("pathway:another_time", args=[case.pk])).status_code == 200


def test_marcus_has_a_review_to_reflect_on(seeded):
    case = case_of("marcus")
    review = case.reviews.get()
    assert review.doctor_reflection == "" and review.held_on < TODAY
    assert case.allocations.filter(status=AllocationStatus.DECLINED).exists()
    accepted = case.allocations.get(status=AllocationStatus.ACCEPTED)
    assert accepted.intro_outcome == IntroductionOutcome.HELD and accepted.intro_held_on
    page = doctor("marcus").get(reverse("progress:reflect", args=[case.pk, review.pk]))
    assert page.status_code == 200


def test_ifeoma_can_give_exit_feedback_after_her_case_closed(seeded):
    case = case_of("ifeoma")
    closure = Closure.objects.get(case=case)
    assert case.stage == Stage.CLOSED and case.request.status == Status.CLOSED
    assert closure.reason == ClosureReason.GOALS_MET and closure.final_t_score is not None
    assert not ExitFeedback.objects.filter(case=case).exists()
    assert doctor("ifeoma").get(reverse("closure:exit_feedback", args=[case.pk])).status_code == 200


def test_rafael_has_a_new_date_with_a_reason_and_a_milestone_running_late(seeded):
    case = case_of("rafael")
    revised = RevisedDate.objects.get(case=case)
    assert revised.reason and revised.set_by == case.case_manager and revised.new_due > TODAY
    states = [t.state(TODAY) for t in targets.load_one(case).of_kind("milestone")]
    assert states == ["done", "upcoming", "late"] or states == ["done", "due_soon", "late"]
    late = TargetNotice.objects.filter(request=case.request, kind=NoticeKind.LATE)
    assert late.count() == 2 and all(n.sent_on <= TODAY for n in late)
    page = doctor("rafael").get(reverse("pathway:my_case", args=[case.pk])).content.decode()
    assert "new date" in page and revised.reason in page


def test_anjali_is_told_of_the_emergency_access_and_case_managers_are_alerted(seeded):
    case = case_of("anjali")
    grant = EmergencyAccess.objects.get(support_request=case.request)
    assert grant.opened_at < SEEDED_AT and not grant.is_active
    assert grant.doctor_read_at is None and grant.seen_at is None
    reads = AccessRecord.objects.filter(doctor=case.request.doctor, action=AccessRecord.Action.EMERGENCY)
    assert reads.count() == 2
    assert all(grant.opened_at <= r.at <= grant.closed_at and r.purpose == grant.stated_purpose for r in reads)
    assert "Someone used emergency access to your record" in doctor("anjali").get("/my-support/").content.decode()
    inbox = signed_in("case.manager@northmoor.example.test").get(reverse("casework:inbox")).content.decode()
    assert case.request.reference in inbox and "Emergency access" in inbox


def test_stefans_mandated_referral_shares_its_fixed_minimum_and_had_a_reassessment(seeded):
    case = case_of("stefan")
    request = case.request
    assert request.mandated
    fixed = agreement.fixed_grants(request)
    assert (Audience.RESPONSIBLE_OFFICER, Item.STAGE) in fixed <= agreement.grants_for(request)
    assert (Audience.RESPONSIBLE_OFFICER, Item.GOALS) in agreement.grants_for(request)
    assert Reassessment.objects.filter(case=case).exists()
    page = doctor("stefan").get(reverse("sharing:who_can_see_what", args=[request.reference])).content.decode()
    assert "required by the formal process" in page
    officer = signed_in("ro@royal.example.test")
    assert officer.get(reverse("sharing:officer_request", args=[request.reference])).status_code == 200


def test_lowri_was_handed_over_at_closure_and_kept_her_account_to_herself(seeded):
    case = case_of("lowri")
    closure = Closure.objects.get(case=case)
    assert closure.reason == ClosureReason.HANDED_OVER and closure.doctor_consented_to_handover
    assert case.request.status == Status.HANDED_OVER
    assert case.request.handed_over_to == closure.handed_over_to == HandoverDestination.OCCUPATIONAL_HEALTH
    assert not ExitFeedback.objects.get(case=case).team_may_read
    assert not case.allocations.filter(status__in=[AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED]).exists()


def test_every_named_doctor_signs_in_to_my_support_and_can_ask_for_erasure(seeded):
    for spec in people.NAMED_DOCTORS:
        client = signed_in(spec.email)
        assert client.get(reverse("referrals:my_support")).status_code == 200, spec.email
        assert client.get(reverse("records:erasure")).status_code == 200, spec.email


def test_named_doctors_with_support_see_who_read_their_record(seeded):
    for key in ["grace", *sorted(people.JOURNEY_KEYS - {"owen", "cerys"})]:  # those two never became a case
        case = case_of(key)
        rows = AccessRecord.objects.filter(doctor=case.request.doctor)
        assert rows.filter(actor=case.case_manager).exists(), key
        assert not rows.filter(at__lt=case.request.submitted_at).exists(), key
    facilitator = case_of("marcus").facilitator
    assert AccessRecord.objects.filter(doctor=case_of("marcus").request.doctor, actor=facilitator).exists()


def test_every_staff_role_has_something_on_their_first_page(seeded):
    coach = signed_in("coach@northmoor.example.test").get(reverse("facilitation:my_allocations")).content.decode()
    assert "Introduction asked for" in coach and case_of("esther").request.reference in coach
    admin = signed_in("admin@northmoor.example.test")
    grants = admin.get(reverse("emergency_access:my_grants")).content.decode()
    assert case_of("anjali").request.reference in grants
    assert "ER-" in admin.get(reverse("records:records_and_retention")).content.decode()
    officer = signed_in("ro@royal.example.test").get(reverse("sharing:officer_doctors")).content.decode()
    assert "Formal process" in officer and "Dr Grace Adeyemi-Marsh" in officer  # a page of doctors who share
    referrals = signed_in("supervisor@royal.example.test").get(reverse("referrals:my_referrals")).content.decode()
    for status in ("Received", "Support under way", "Closed"):
        assert status in referrals
    offers = signed_in("case.manager@northmoor.example.test").get(reverse("closure:peer_supporter_offers"))
    assert offers.status_code == 200


def test_facilitators_have_words_for_doctors_and_a_conflict_of_interest(seeded):
    profiles = FacilitatorProfile.objects.prefetch_related("conflicted_organisations")
    assert all(p.about and "fictional facilitator" not in p.about for p in profiles)
    conflicted = [p for p in profiles if p.conflicted_organisations.exists()]
    assert conflicted
    for profile in conflicted:
        organisations = profile.conflicted_organisations.all()
        assert not Allocation.objects.filter(
            facilitator=profile.user, case__request__doctor__employer__in=organisations
        ).exists()


def test_drawn_cases_have_what_happens_along_the_way(seeded):
    allocations = Allocation.objects.all()
    assert allocations.filter(status=AllocationStatus.DECLINED).exclude(decline_reason="").count() >= 5
    assert allocations.filter(end_reason=EndReason.DOCTOR_CHANGED).exists()
    assert allocations.filter(end_reason=EndReason.NOT_GOING_AHEAD, intro_outcome="not_going_ahead").exists()
    assert allocations.filter(intro_outcome=IntroductionOutcome.HELD).count() >= 5
    assert MatchingPreferences.objects.count() >= 10
    assert PlanVersion.objects.filter(number__gt=1, status=VersionStatus.AGREED).exists()
    assert PlanVersion.objects.filter(status=VersionStatus.CHANGES_REQUESTED).exists()
    assert Reassessment.objects.count() >= 3
    assert RevisedDate.objects.count() >= 5
    assert TargetNotice.objects.filter(kind=NoticeKind.LATE).count() >= 20
    assert EmergencyAccess.objects.filter(seen_at__isnull=False).exists()


def test_what_happened_along_the_way_is_in_order(seeded):
    """Earlier facilitators answered before the one who accepted was asked; new dates follow their late notice;
    feedback follows closure; nothing is dated after the moment of seeding."""
    for case in Case.objects.filter(facilitator__isnull=False).prefetch_related("allocations"):
        current = next(a for a in case.allocations.all() if a.facilitator_id == case.facilitator_id)
        for earlier in case.allocations.all():
            before = earlier.status == AllocationStatus.DECLINED or earlier.end_reason in (
                EndReason.DOCTOR_CHANGED,
                EndReason.NOT_GOING_AHEAD,
            )
            if earlier.pk != current.pk and before:
                assert (earlier.ended_at or earlier.responded_at) < current.proposed_at, case.request.reference
    for revised in RevisedDate.objects.select_related("case"):
        assert revised.noticed_at <= SEEDED_AT and revised.new_due > revised.original_due
        notice = TargetNotice.objects.get(
            request=revised.case.request_id, target=revised.target, planned=revised.original_due, kind="late"
        )
        assert notice.sent_on <= timezone.localdate(revised.noticed_at)
    for feedback in ExitFeedback.objects.select_related("case__closure"):
        assert feedback.case.closure.closed_on <= timezone.localdate(feedback.given_at)
        assert feedback.given_at <= SEEDED_AT
    assert not SupportSession.objects.filter(held_on__gte=TODAY).exists()
    assert not Review.objects.filter(held_on__gte=TODAY).exists()
    assert not Allocation.objects.filter(proposed_at__gt=SEEDED_AT).exists()
    assert not PlanVersion.objects.filter(shared_at__gt=SEEDED_AT).exists()
    for version in PlanVersion.objects.filter(number__gt=1).select_related("plan"):
        before = PlanVersion.objects.get(plan=version.plan, number=version.number - 1)
        assert before.status == VersionStatus.SUPERSEDED
        assert before.shared_at < version.shared_at


def test_every_support_request_is_unique_to_its_doctor(seeded):
    # with the insights' history: one request each for the doctors whose support ended long ago
    assert SupportRequest.objects.count() == people.DOCTOR_COUNT + insights_stage.HISTORY_DOCTOR_COUNT
    assert SupportRequest.objects.values("doctor").distinct().count() == SupportRequest.objects.count()


def test_no_demo_case_has_a_facilitator_asked_before_its_first_conversation(seeded):
    """The demo follows the pathway's rule (facilitation.pool.waiting_cases): needs first, then a facilitator."""
    assert Allocation.objects.filter(case__needs_assessment__isnull=False).exists()
    early = Allocation.objects.filter(case__needs_assessment__isnull=True)
    assert list(early.values_list("case__request__reference", flat=True)) == []


def test_closed_cases_keep_their_former_facilitators_who_reach_nothing_of_them_but_their_own_notes(seeded):
    """As in the access-policy table's world (docs/access-policy.md, "When the relationship has ended"): a closed
    or handed-over case still names who supported the doctor, and their allocation ended with it; the case is
    closed to them, GET and POST, and their own private notes stay theirs."""
    closed = Case.objects.filter(stage=Stage.CLOSED, facilitator__isnull=False).select_related("facilitator")
    assert closed.count() >= 5
    assert not Allocation.objects.filter(case__in=closed, status__in=["proposed", "accepted"]).exists()
    for case in closed[:5]:
        facilitator = signed_in(case.facilitator.email)
        for name in ("pathway:case_detail", "plans:plan_detail", "pathway:record_session", "progress:record_review"):
            url = reverse(name, args=[case.pk])
            assert facilitator.get(url).status_code == 404, url
            assert facilitator.post(url, {}).status_code == 404, url
        notes = reverse("pathway:own_private_notes", args=[case.pk])
        wrote_notes = case.sessions.filter(facilitator=case.facilitator).exclude(private_notes="").exists()
        assert facilitator.get(notes).status_code == (200 if wrote_notes else 404)


def test_peer_support_has_supporters_a_match_a_group_and_a_practices_two_checks(seeded):
    assert PeerSupporter.objects.filter(status="approved").count() >= 2
    assert PeerSupporter.objects.filter(status="offered").exists()
    match = PeerMatch.objects.select_related("supporter__doctor__user").get()
    assert match.both_agreed
    grace = doctor("grace").get(reverse("peer:match", args=[match.pk])).content.decode()
    assert match.supporter.doctor.user.full_name in grace
    group = PeerGroup.objects.get()
    assert group.members.filter(status="admitted").count() >= 5
    assert GroupMeeting.objects.filter(group=group).count() == 2
    checks = list(PracticeCheck.objects.order_by("number"))
    assert [c.number for c in checks] == [1, 2] and all(c.answers >= 5 and not c.is_open for c in checks)
    lead = signed_in("practice.manager@kestrel.example.test")
    page = lead.get(reverse("peer:check", args=[checks[1].pk])).content.decode()
    assert "Since check 1" in page and "Happens for most people" in page
    supporters = signed_in("case.manager@northmoor.example.test").get(reverse("peer:supporters"))
    assert supporters.status_code == 200


def test_a_leaver_whose_cases_moved_and_staff_the_admin_can_manage(seeded):
    ended = StaffChange.objects.get(kind=ChangeKind.ENDED, person_email=LEAVER_EMAIL)
    rowan = User.objects.get(email=people.STAFF_BY_KEY["case_manager"].email)
    assert (ended.cases_to, ended.cases_moved) == (rowan, 2)
    assert not User.objects.get(email=LEAVER_EMAIL).is_active
    moved_to_rowan = CaseMove.objects.filter(to_user=rowan, from_user__email=LEAVER_EMAIL)
    assert moved_to_rowan.count() == 2 and all(m.case.case_manager == rowan for m in moved_to_rowan)
    page = signed_in(people.STAFF_BY_KEY["service_admin"].email).get(reverse("service:staff")).content.decode()
    assert f"{LEAVER_NAME}&#39;s membership as case manager ended by Pat Quillon; 2 open cases moved to" in page
    assert "Dr Priya Lindqvist" in page  # invited, not joined yet


def test_the_demo_shows_an_urgent_request_dealt_with_a_paused_case_and_requests_that_ended(seeded):
    from supportpath.progress.models import Pause
    from supportpath.referrals.models import EndedAs, SupportRequest

    hana = case_of("hana")
    assert hana.request.urgent and hana.request.urgent_dealt_with_on and hana.request.urgent_action
    assert Pause.objects.filter(case=hana, ended_on__isnull=True).exists()
    assert "Your support is paused" in doctor("hana").get(reverse("referrals:my_support")).content.decode()

    def request_of(key):
        email = next(d.email for d in people.NAMED_DOCTORS if d.key == key)
        return SupportRequest.objects.get(doctor__user__email=email)

    owen, cerys = request_of("owen"), request_of("cerys")
    assert owen.ended_as == EndedAs.DECLINED and owen.ending_reason and not owen.ending_reason_shared
    assert cerys.ended_as == EndedAs.NO_RESPONSE and cerys.contact_attempts.count() == 2
    assert "We tried to reach you" in doctor("cerys").get(reverse("referrals:my_support")).content.decode()
    assert "You declined this referral" in doctor("owen").get(reverse("referrals:my_support")).content.decode()
    open_urgent = SupportRequest.objects.filter(urgent=True, urgent_dealt_with_on__isnull=True)
    assert not open_urgent.exclude(status="received").exists(), "only requests still waiting are urgent"


def test_the_named_doctors_have_measures_that_fit_their_stories(seeded):
    from supportpath.measures.models import Response as MeasureResponse
    from supportpath.measures.models import SafetyAlert

    rafael, esther = case_of("rafael"), case_of("esther")
    followed = SafetyAlert.objects.get(request=rafael.request)
    assert followed.followed_up_at is not None and followed.what_was_done
    waiting = SafetyAlert.objects.get(request=esther.request)
    assert waiting.followed_up_at is None and waiting.escalated_at is None
    assert SafetyAlert.objects.count() == 2  # the generated doctors never start the safety net
    inbox = signed_in("case.manager@northmoor.example.test").get(reverse("casework:inbox")).content.decode()
    assert "Safety answers waiting" in inbox and esther.request.reference in inbox
    # Baseline and reviews for a doctor in support; the results page draws them.
    assert {"first", "review"} <= set(
        MeasureResponse.objects.filter(request=rafael.request).values_list("point", flat=True)
    )
    assert "<svg" in doctor("rafael").get(reverse("measures:my_results")).content.decode()
    # Ifeoma answered at closure; Marcus's latest check-in waits for him.
    assert MeasureResponse.objects.filter(request=case_of("ifeoma").request, point="closure").exists()
    assert (
        "Questionnaires for you to answer (1)" in doctor("marcus").get(reverse("referrals:my_support")).content.decode()
    )


def test_nia_answered_the_well_being_follow_ups_3_and_6_months_after_her_support_ended(seeded):
    """A named doctor whose support ended about seven months ago: her WHO-5 at 3 and 6 months after closure is
    on her results page and on her case for her case manager."""
    from supportpath.measures.models import Response as MeasureResponse

    case = case_of("nia")
    assert case.stage == "closed"
    follow_ups = MeasureResponse.objects.filter(request=case.request, questionnaire__key="who-5")
    assert {"after_3_months", "after_6_months"} <= set(follow_ups.values_list("point", flat=True))
    assert all(r.total is not None for r in follow_ups.filter(point__startswith="after_"))
    results = doctor("nia").get(reverse("measures:my_results")).content.decode()
    assert "<svg" in results
    assert "Three months after the support ended" in results and "Six months after the support ended" in results
    staff = signed_in("case.manager@northmoor.example.test")
    on_case = staff.get(reverse("measures:case_results", args=[case.pk])).content.decode()
    assert "Three months after the support ended" in on_case and "Six months after the support ended" in on_case


def test_generated_doctors_have_plausible_measures_and_check_ins(seeded):
    from supportpath.measures.models import Response as MeasureResponse

    answered = MeasureResponse.objects.exclude(request__doctor__user__email__in=[d.email for d in people.NAMED_DOCTORS])
    assert answered.filter(questionnaire__key="check-in", point="review").count() >= 20
    for response in answered.filter(questionnaire__key="phq-9"):
        assert response.total is None or 0 <= response.total < 20
        assert response.answers.get("9", 0) == 0
    totals = list(answered.filter(questionnaire__key="who-5").values_list("total", flat=True))
    assert totals and all(0 <= t <= 25 for t in totals if t is not None)
