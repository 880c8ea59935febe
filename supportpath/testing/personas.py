"""The people every access test is written for (healthchecks' alice/bob/charlie, in our domain).

``world`` builds two support services, a trust served by the first, and one person in each role, plus a
self-referral and a third-party referral for ``doctor``. Access tests log in as each persona in turn.

``build_access_world`` (the access-policy table's world, ``docs/access-policy.md``) adds, for ``doctor`` and for
``other_doctor`` alike, the records the pages take, each made by the service functions the pages use: a case at
every point on the path, a plan, sessions, a review, a closure with feedback, allocations, an emergency grant,
an erasure request. ``other_doctor``'s records are at the South service, with its own case manager,
facilitator and admin, so every persona can be tried against their own object and someone else's.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from supportpath.accounts.models import Membership, OrganisationKind, Role
from supportpath.culture import services as culture
from supportpath.facilitation.models import Allocation, FacilitatorProfile
from supportpath.peer import services as peer
from supportpath.peer.models import PeerMatch, PeerRequest, PeerSupporter, SupporterStatus
from supportpath.referrals.models import Route
from supportpath.theory import export as theory_export
from supportpath.theory import registry as theory_registry
from supportpath.theory.models import Cmoc

from . import factories as f


@dataclass
class World:
    service: object
    other_service: object
    trust: object
    doctor: object  # a User with a doctor_profile
    other_doctor: object
    referrer: object
    case_manager: object
    other_case_manager: object
    facilitator: object
    self_request: object
    referral: object
    case: object  # the self_request, accepted: managed by case_manager, no facilitator yet
    facilitator_membership: object
    facilitator_profile: object  # facilitator's profile with the North service
    allocation: object  # case offered to facilitator, not answered yet
    service_admin: object = None  # of the North service
    responsible_officer: object = None  # at the trust that employs doctor (and other_doctor)
    evaluator: object = None  # of the North service
    other_facilitator: object = None  # a facilitator of the South service

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "anonymous",
    "doctor",
    "other_doctor",
    "referrer",
    "case_manager",
    "other_case_manager",
    "facilitator",
    "other_facilitator",
    "service_admin",
    "responsible_officer",
    "evaluator",
]


def build_world() -> World:
    service = f.ServiceFactory(name="North Fictional Professional Support Unit")
    other_service = f.ServiceFactory(name="South Fictional Professional Support Unit")
    trust = f.OrganisationFactory(name="Fictional General Hospital NHS Trust", support_service=service)

    doctor = f.DoctorFactory(employer=trust, user__full_name="Dr Ada Example").user
    other_doctor = f.DoctorFactory(employer=trust, user__full_name="Dr Ben Example").user
    referrer = f.MembershipFactory(
        organisation=trust, role=Role.REFERRER, job_title="Educational supervisor", user__full_name="Dr Cara Supervisor"
    ).user
    case_manager = f.MembershipFactory(organisation=service, role=Role.CASE_MANAGER, user__full_name="Dan Manager").user
    other_case_manager = f.MembershipFactory(
        organisation=other_service, role=Role.CASE_MANAGER, user__full_name="Eve Elsewhere"
    ).user
    facilitator_membership = f.MembershipFactory(
        organisation=service, role=Role.FACILITATOR, user__full_name="Fay Coach"
    )
    facilitator = facilitator_membership.user
    other_facilitator = f.MembershipFactory(
        organisation=other_service, role=Role.FACILITATOR, user__full_name="Gil Southcoach"
    ).user
    service_admin = f.MembershipFactory(
        organisation=service, role=Role.SERVICE_ADMIN, user__full_name="Hal Northadmin"
    ).user
    responsible_officer = f.MembershipFactory(
        organisation=trust,
        role=Role.RESPONSIBLE_OFFICER,
        job_title="Medical director and responsible officer",
        user__full_name="Dr Ria Officer",
    ).user
    evaluator = f.MembershipFactory(organisation=service, role=Role.EVALUATOR, user__full_name="Vic Evaluator").user

    self_request = f.SupportRequestFactory(doctor=doctor.doctor_profile, service=service, reasons=["career"])
    referral = f.SupportRequestFactory(
        doctor=doctor.doctor_profile,
        service=service,
        route=Route.SUPERVISOR,
        referrer=referrer,
        referrer_organisation=trust,
        referral_description="Dr Example has told me she is finding the rota exhausting.",
        doctor_account="",
        reasons=["mental_health", "confidence"],
    )
    case = f.CaseFactory(request=self_request, case_manager=case_manager)
    facilitator_profile = FacilitatorProfile.objects.create(
        user=facilitator, service=service, role="coach", specialisms=["career"], capacity=4
    )
    allocation = Allocation.objects.create(case=case, facilitator=facilitator, proposed_by=case_manager)
    return World(
        service=service,
        other_service=other_service,
        trust=trust,
        doctor=doctor,
        other_doctor=other_doctor,
        referrer=referrer,
        case_manager=case_manager,
        other_case_manager=other_case_manager,
        facilitator=facilitator,
        self_request=self_request,
        referral=referral,
        case=case,
        facilitator_membership=facilitator_membership,
        facilitator_profile=facilitator_profile,
        allocation=allocation,
        service_admin=service_admin,
        responsible_officer=responsible_officer,
        evaluator=evaluator,
        other_facilitator=other_facilitator,
    )


# The access world


@dataclass
class Records:
    """One doctor's records, every kind a page takes. ``doctor``'s are ``world.own``, ``other_doctor``'s are
    ``world.other``; the names are the same, so the access table reads ``own.case.pk`` beside
    ``other.case.pk``."""

    doctor: object
    service: object
    case_manager: object
    facilitator: object
    admin: object  # a service admin of the service
    referrer: object  # who made ``referral``
    self_request: object
    case: object  # accepted, first conversation held and its needs recorded; offered to the facilitator
    allocation: object  # ``case`` offered to the facilitator, not answered yet; an introduction asked for
    early_request: object
    early_case: object  # accepted, first conversation arranged (still to come); nobody asked to facilitate
    referral: object  # received, not contacted yet; with a sharing agreement
    supported_request: object
    supported_case: object  # in support: needs assessed, plan agreed, facilitator accepted, a session, a review
    accepted_allocation: object
    plan_version: object  # the supported case's agreed plan
    session: object  # with private notes by the facilitator
    review: object
    closed_request: object
    closed_case: object  # closed, with the doctor's feedback (a peer-supporter offer); it had a facilitator
    closed_allocation: object  # the closed case's facilitator's allocation, ended when the case closed
    grant: object  # emergency access by ``admin`` to ``supported_request``, open now
    erasure_request: object  # the doctor's request that the service erase their record, waiting
    intervention: object  # an entry in the service's catalogue
    facilitator_membership: object
    facilitator_profile: object
    new_facilitator_membership: object  # a facilitator of the service with no profile yet
    # Peer support (supportpath/peer): the doctor is an approved peer supporter (``peer_supporter``); they asked
    # for a peer supporter and both said yes (``peer_match``, with another doctor of the service); another doctor
    # chose them and both said yes (``supporting_match``); a group run by the facilitator that the doctor is a
    # member of (``peer_group``, ``group_member``); and a GP practice served by the service, whose lead (not a
    # persona) has started a check (``peer_check``).
    peer_supporter: object = None
    peer_request: object = None
    peer_match: object = None
    supporting_match: object = None
    peer_group: object = None
    group_member: object = None
    peer_check: object = None
    # The service admin's pages about people and organisations (``supportpath/service/``):
    invitation: object = None  # a staff invitation of the service, not yet accepted
    served_organisation: object = None  # an organisation the service serves (``own``: the trust)
    referrer_membership: object = None  # ``referrer``'s membership at the served organisation
    lead_membership: object = None  # the organisation lead's membership there (``culture_records``)
    case_manager_membership: object = None  # the case manager's membership of the service
    # Measures: the check-in answered at the supported case's review (the point open now, ``measure_point_key``),
    # and a PHQ-9 at its first conversation whose question 9 raised a safety alert, not yet followed up.
    measure_response: object = None
    measure_point_key: str = ""
    safety_alert: object = None
    # A support session the facilitator arranged ahead on ``supported_case`` (``supportpath/appointments``).
    appointment: object = None
    # The service's programme theory (``supportpath/theory``): its CMOC 4.7 and a research export.
    cmoc: object = None
    research_export: object = None


# The personas of the second table, "When the relationship has ended": ``case_manager`` and ``facilitator`` are
# the same people as in the first table (the facilitator of a closed or handed-over case, and of a declined or
# ended offer); the former ones held a role at North that has ended (their Membership row deleted).
ENDED_PERSONAS = ["case_manager", "facilitator", "former_facilitator", "former_case_manager", "former_referrer"]


@dataclass
class Ended:
    """``doctor``'s records at North where someone's relationship has ended (``docs/access-policy.md``, "When
    the relationship has ended"). ``own.closed_case`` (closed, with ``facilitator`` as its former facilitator)
    belongs with them."""

    handed_over_case: object  # ``facilitator`` accepted and held a session; closed, handed over to the doctor's GP
    handed_over_allocation: object  # ended when the case was handed over
    declined_case: object  # needs recorded, offered to ``facilitator``, who declined; nobody else asked yet
    declined_allocation: object
    changed_case: object  # ``facilitator`` accepted and held a session; then the doctor changed facilitator
    changed_allocation: object  # ended: the doctor chose someone else
    former_facilitator_case: object  # open, in support with ``former_facilitator``, whose role then ended
    former_facilitator_allocation: object  # still "accepted": the role ended, not the allocation
    former_manager_case: object  # open, accepted by ``former_case_manager``, whose role then ended
    former_referral: object  # made by ``former_referrer``, who shares its stage; their role then ended


@dataclass
class AccessWorld(World):
    own: Records = None
    other: Records = None
    other_admin: object = None  # the South service's admin (not a persona: the table's someone else)
    other_referrer: object = None  # a supervisor elsewhere, who referred other_doctor
    ended: Ended = None
    former_facilitator: object = None  # was a facilitator of North (no membership now)
    former_case_manager: object = None  # was a case manager of North (no membership now)
    former_referrer: object = None  # was a supervisor at the trust (no membership now)


def _plan_content(catalogue, milestone_due: dt.date, review_due: dt.date) -> dict:
    from supportpath.plans import content as plan_content

    body = plan_content.empty()
    body["goals"] = [
        {
            "text": "Lead the ward round with confidence",
            "levels": {str(level): f"Ward round, level {level}" for level in (-2, -1, 0, 1, 2)},
            "importance": 2,
            "difficulty": 2,
            "baseline": -1,
        }
    ]
    body["interventions"] = [
        {
            "intervention_id": catalogue.pk,
            "type": catalogue.type,
            "name": catalogue.name,
            "provider": catalogue.provider,
            "description": catalogue.description,
            "note": "",
        }
    ]
    body["milestones"] = [{"text": "Lead one ward round alone", "due": milestone_due.isoformat()}]
    body["review_dates"] = [review_due.isoformat()]
    return plan_content.validate(body)


def _accepted(request, by):
    """A request contacted and accepted as a case, as the case manager does it on the request page."""
    from supportpath.casework import services as casework

    casework.record_first_contact(request, by=by, on=timezone.localdate(), method="phone")
    return casework.accept(request, by=by)


def _needs_recorded(case, by, *, held_on: dt.date, issues: list[str]) -> None:
    """The first conversation's needs assessment, as the case manager records it on the needs page."""
    from supportpath.pathway import services as pathway

    pathway.save_needs_assessment(
        case,
        by=by,
        data={
            "conversation_held_on": held_on,
            "presenting_issues": issues,
            "individual_factors": "Finds speaking up hard.",
            "team_factors": "",
            "structural_factors": "",
            "cultural_factors": "",
            "strengths": "Kind and careful.",
            "doctor_goals": "Lead the ward round.",
            "mandated": False,
            "staff_notes": "Working note for the team.",
        },
        based_on_version=None,
    )


def _facilitated(case, case_manager, facilitator, *, held_on: dt.date):
    """A case's needs recorded, a facilitator asked who accepted, and a session they held with private notes of
    their own: as the case manager, the facilitator and their pages do it. Returns the allocation."""
    from supportpath.facilitation import services as facilitation
    from supportpath.pathway import services as pathway

    _needs_recorded(case, case_manager, held_on=held_on, issues=["career"])
    allocation = facilitation.propose(case, facilitator.pk, by=case_manager)
    facilitation.accept(allocation)
    case.refresh_from_db()
    pathway.record_session(
        case,
        facilitator=facilitator,
        data={
            "held_on": held_on + dt.timedelta(days=7),
            "mode": "video",
            "attendance": "attended",
            "shared_summary": "We talked about what comes next.",
            "agreed_actions": "Try one thing before we meet again.",
            "private_notes": "Private note: only its author may read it.",
            "submission_token": uuid.uuid4(),
        },
    )
    allocation.refresh_from_db()
    return allocation


def build_records(
    *,
    doctor,
    service,
    case_manager,
    facilitator,
    admin,
    referrer,
    referrer_organisation,
    self_request=None,
    case=None,
    allocation=None,
    referral=None,
    facilitator_membership=None,
    facilitator_profile=None,
) -> Records:
    """Every kind of record a page takes, for one doctor at one service (made as the pages make them)."""
    from supportpath.appointments import services as appointments
    from supportpath.closure import services as closing
    from supportpath.emergency_access import services as emergency
    from supportpath.facilitation import services as facilitation
    from supportpath.pathway import services as pathway
    from supportpath.plans import services as plans
    from supportpath.plans.models import Intervention
    from supportpath.progress import services as progress
    from supportpath.records import erasure
    from supportpath.sharing import agreement
    from supportpath.sharing.choices import Audience, Item

    profile = doctor.doctor_profile
    today = timezone.localdate()
    now = timezone.now()

    intervention = Intervention.objects.create(
        service=service, type="coaching", name="Coaching", provider="The unit's coaches", description="Coaching."
    )
    if facilitator_membership is None:
        facilitator_membership = Membership.objects.get(user=facilitator, organisation=service, role=Role.FACILITATOR)
    if facilitator_profile is None:
        facilitator_profile = FacilitatorProfile.objects.create(
            user=facilitator, service=service, role="coach", specialisms=["career", "confidence"], capacity=6
        )
    new_facilitator_membership = f.MembershipFactory(
        organisation=service, role=Role.FACILITATOR, user__full_name=f"New Coach of {service.name[:5]}"
    )

    # A case after its first conversation (needs recorded), and a facilitator asked, who has not answered.
    # A facilitator is asked only once the needs are known (facilitation.pool.waiting_cases says why).
    if self_request is None:
        self_request = f.SupportRequestFactory(doctor=profile, service=service, reasons=["career"])
        case = _accepted(self_request, case_manager)
    pathway.arrange_conversation(case, by=case_manager, scheduled_for=now - dt.timedelta(days=2), mode="video")
    _needs_recorded(case, case_manager, held_on=today - dt.timedelta(days=2), issues=["career"])
    if allocation is None:
        allocation = facilitation.propose(case, facilitator.pk, by=case_manager)
    facilitation.ask_for_introduction(allocation)
    allocation.refresh_from_db()

    # An early case: the first conversation is arranged (still to come), nobody asked to facilitate yet.
    early_request = f.SupportRequestFactory(doctor=profile, service=service, reasons=["career"])
    early_case = _accepted(early_request, case_manager)
    pathway.arrange_conversation(early_case, by=case_manager, scheduled_for=now + dt.timedelta(days=7), mode="video")

    # A referral, not contacted yet, with what the doctor chose to share.
    if referral is None:
        referral = f.SupportRequestFactory(
            doctor=profile,
            service=service,
            route=Route.SUPERVISOR,
            referrer=referrer,
            referrer_organisation=referrer_organisation,
            referral_description="They have told me they are finding the rota exhausting.",
            doctor_account="",
            reasons=["confidence"],
        )
    agreement.set_audience(referral, Audience.REFERRER, [Item.STAGE], by=doctor, based_on=0)

    # A case in support: assessed, a plan agreed, a facilitator who accepted, a session and a review.
    supported_request = f.SupportRequestFactory(doctor=profile, service=service, reasons=["confidence"])
    supported_case = _accepted(supported_request, case_manager)
    pathway.arrange_conversation(
        supported_case, by=case_manager, scheduled_for=now - dt.timedelta(days=20), mode="in_person"
    )
    _needs_recorded(supported_case, case_manager, held_on=today - dt.timedelta(days=20), issues=["confidence"])
    plans.save_draft(
        supported_case,
        by=case_manager,
        data=_plan_content(intervention, today + dt.timedelta(days=10), today + dt.timedelta(days=30)),
        based_on=0,
    )
    plans.share_with_doctor(supported_case, by=case_manager)
    plan_version = plans.agree(supported_case, number=1)
    accepted_allocation = facilitation.propose(supported_case, facilitator.pk, by=case_manager)
    facilitation.accept(accepted_allocation)
    accepted_allocation.refresh_from_db()
    supported_case.refresh_from_db()
    session = pathway.record_session(
        supported_case,
        facilitator=facilitator,
        data={
            "held_on": today - dt.timedelta(days=3),
            "mode": "video",
            "attendance": "attended",
            "shared_summary": "We talked about the ward round.",
            "agreed_actions": "Lead one round with support.",
            "private_notes": "Private note: only its author may read it.",
            "submission_token": uuid.uuid4(),
        },
    )
    review = progress.record_review(
        supported_case, by=facilitator, held_on=today - dt.timedelta(days=1), levels=[0], notes="", token=uuid.uuid4()
    )

    # A closed case, with the doctor's feedback. As in life, it had a facilitator: they accepted, held a session
    # (with private notes of their own), and their allocation ended when the case closed.
    closed_request = f.SupportRequestFactory(doctor=profile, service=service, reasons=["examinations"])
    closed_case = _accepted(closed_request, case_manager)
    closed_allocation = _facilitated(closed_case, case_manager, facilitator, held_on=today - dt.timedelta(days=30))
    closing.close_case(
        closed_case, by=case_manager, data={"reason": "goals_met", "closed_on": today - dt.timedelta(days=2)}
    )
    closing.save_exit_feedback(
        closed_case,
        {"what_changed": "I passed.", "team_may_read": True, "peer_supporter": "yes", "safe_to_be_open": "5"},
        {"safe_to_be_open": "I felt safe to be open"},
    )
    closed_case.refresh_from_db()
    closed_allocation.refresh_from_db()

    grant, _ = emergency.open_grant(
        admin=admin,
        support_request=supported_request,
        purpose="urgent_request",
        reason="The doctor asked urgently to move a session and the case manager is away.",
        submission_token=uuid.uuid4(),
    )
    [erasure_request] = erasure.ask(profile, note="Please erase my record.", token=uuid.uuid4())
    peer_records = _peer_records(profile, service, case_manager, facilitator)
    appointment = appointments.book(
        supported_case,
        kind="session",
        by=facilitator,
        starts_at=now + dt.timedelta(days=5),
        minutes=60,
        how="video",
        join_url="https://meet.example.org/session",
    )
    case.refresh_from_db()
    measure_response, measure_point_key, safety_alert = _measures(profile, supported_request.reference)
    return Records(
        appointment=appointment,
        doctor=doctor,
        service=service,
        case_manager=case_manager,
        facilitator=facilitator,
        admin=admin,
        referrer=referrer,
        self_request=self_request,
        case=case,
        allocation=allocation,
        early_request=early_request,
        early_case=early_case,
        referral=referral,
        supported_request=supported_request,
        supported_case=supported_case,
        accepted_allocation=accepted_allocation,
        plan_version=plan_version,
        session=session,
        review=review,
        closed_request=closed_request,
        closed_case=closed_case,
        closed_allocation=closed_allocation,
        grant=grant,
        erasure_request=erasure_request,
        intervention=intervention,
        facilitator_membership=facilitator_membership,
        facilitator_profile=facilitator_profile,
        new_facilitator_membership=new_facilitator_membership,
        **peer_records,
        measure_response=measure_response,
        measure_point_key=measure_point_key,
        safety_alert=safety_alert,
    )


PEER_OFFER = {
    "experiences": ["examinations", "career"],
    "about": "I passed my exams on the second attempt and changed specialty.",
    "how_often": "monthly",
    "most_at_once": "2",
}


def _peer_records(profile, service, case_manager, facilitator) -> dict:
    """The doctor's peer-support records (see ``Records``), made as the pages make them."""
    now = timezone.now()
    today = timezone.localdate()
    tag = service.name[:5]
    peer_supporter = peer.approve(peer.offer(profile, service, PEER_OFFER), by=case_manager, preparation_done_on=today)
    elsewhere = f.OrganisationFactory(name=f"Fictional Peer Employer of {tag}", support_service=service)
    colleague = PeerSupporter.objects.create(
        doctor=f.DoctorFactory(employer=elsewhere, user__full_name=f"Dr Peer of {tag}"),
        service=service,
        status=SupporterStatus.APPROVED,
        experiences=["examinations"],
        about="I have been there.",
        how_often="monthly",
        most_at_once=2,
        boundaries_agreed_at=now,
        preparation_done_on=today,
        approved_at=now,
        approved_by=case_manager,
    )
    peer_request = peer.ask(
        profile, service, {"experiences": ["examinations"], "to_tell": "An exam soon."}, token=uuid.uuid4()
    )
    peer_match = peer.propose(peer_request, colleague.pk, by=case_manager)
    peer.answer(peer_match, "doctor", True)
    peer.answer(peer_match, "supporter", True)
    asker = f.DoctorFactory(employer=elsewhere, user__full_name=f"Dr Asker of {tag}")
    asker_request = PeerRequest.objects.create(
        doctor=asker,
        service=service,
        experiences=["career"],
        to_tell="Thinking of changing.",
        submission_token=uuid.uuid4(),
    )
    supporting_match = PeerMatch.objects.create(
        request=asker_request, supporter=peer_supporter, proposed_by=case_manager
    )
    peer.answer(supporting_match, "doctor", True)
    peer.answer(supporting_match, "supporter", True)
    peer_group = peer.create_group(
        service,
        {
            "name": f"Exams group of {tag}",
            "purpose": "Preparing for exams together.",
            "who_may_join": "Doctors with an exam this year.",
            "facilitator": facilitator,
            "size_limit": 8,
            "starts_on": today + dt.timedelta(days=14),
            "dates": "Every second Monday, 7pm",
            "place": "Video call",
        },
        by=case_manager,
    )
    group_member = peer.admit(peer.ask_to_join(peer_group, profile, share_first_name=True), yes=True)
    practice = f.OrganisationFactory(
        name=f"Fictional Surgery of {tag}", kind=OrganisationKind.GP_PRACTICE, support_service=service
    )
    lead = f.MembershipFactory(
        organisation=practice, role=Role.ORGANISATION_LEAD, user__full_name=f"Practice Manager of {tag}"
    ).user
    peer_check, _ = peer.start_check(practice, by=lead, team_size=5, token=uuid.uuid4())
    for record in (peer_match, supporting_match):
        record.refresh_from_db()
    return {
        "peer_supporter": peer_supporter,
        "peer_request": peer_request,
        "peer_match": peer_match,
        "supporting_match": supporting_match,
        "peer_group": peer_group,
        "group_member": group_member,
        "peer_check": peer_check,
    }


def _measures(profile, reference: str):
    """The doctor's answers on the supported case, made as the doctor's pages make them."""
    from supportpath.measures import catalogue, offers, services
    from supportpath.measures.models import Point, SafetyAlert

    [offer] = [o for o in offers.offers_for(profile) if o.request.reference == reference]
    check_in = catalogue.ensure_shipped()["check-in"]
    response = services.start(offer, check_in)
    for question, score in zip(services.questions(response), [4, 4, 3, 5, 4], strict=True):
        services.answer(response, question, score)
    first = offers.Offer(
        request=offer.request,
        case=offer.case,
        reached=offers.Reached(Point.FIRST_CONVERSATION, Point.FIRST_CONVERSATION),
    )
    phq9 = services.start(first, catalogue.ensure_shipped()["phq-9"])
    services.answer(phq9, services.questions(phq9)[8], 1)
    return response, offer.reached.point_key, SafetyAlert.objects.get(response=phq9)


def culture_records(records, organisation, signposter) -> None:
    """An organisation's culture pages (its lead is not a persona, so every persona is refused them: the lead's
    own access is tested in supportpath/culture/tests), a pulse wave, an action, and a signpost ``signposter``
    made."""
    records.lead_membership = f.MembershipFactory(
        organisation=organisation, role=Role.ORGANISATION_LEAD, user__full_name=f"Lead of {organisation.name[:20]}"
    )
    lead = records.lead_membership.user
    records.lead = lead
    records.lead_organisation = organisation
    records.pulse_wave = culture.open_wave(organisation, by=lead, title="Culture pulse", staff_groups=[])
    culture.rate(organisation, "routes-published", "partly", "Our intranet page is out of date.", by=lead)
    records.guide_action = culture.add_action(
        organisation,
        statement="routes-published",
        description="Rewrite the intranet page on support",
        owner_name="Sam Owner",
        owner_email="sam.owner@example.test",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        by=lead,
    )
    records.signpost = culture.make_signpost(signposter, "supervisor")


def theory_records(records, service, by) -> None:
    """The service's programme theory, loaded from the paper (``cmoc``: its 4.7) and a research export (of no
    facts: the access table tries who reaches it, not what is in it), made by ``by``."""
    theory_registry.ship_paper(service, by=by)
    records.cmoc = Cmoc.objects.get(service=service, reference="4.7")
    records.research_export = theory_export.make_export(
        service, [], by=by, role=Role.SERVICE_ADMIN, purpose="A study of routes in", approval_reference="REF-1"
    )


def build_access_world() -> AccessWorld:
    """The world, with every kind of record for ``doctor`` (North) and for ``other_doctor`` (South)."""
    from supportpath.sharing import agreement
    from supportpath.sharing.choices import Audience, Item

    base = build_world()
    world = AccessWorld(**base.__dict__)
    world.other_admin = f.MembershipFactory(
        organisation=world.other_service, role=Role.SERVICE_ADMIN, user__full_name="Ivy Southadmin"
    ).user
    south_hospital = f.OrganisationFactory(name="Fictional South Hospital", support_service=world.other_service)
    world.other_referrer = f.MembershipFactory(
        organisation=south_hospital,
        role=Role.REFERRER,
        job_title="Clinical supervisor",
        user__full_name="Dr Jay Elsewhere",
    ).user
    world.own = build_records(
        doctor=world.doctor,
        service=world.service,
        case_manager=world.case_manager,
        facilitator=world.facilitator,
        admin=world.service_admin,
        referrer=world.referrer,
        referrer_organisation=world.trust,
        self_request=world.self_request,
        case=world.case,
        allocation=world.allocation,
        referral=world.referral,
        facilitator_membership=world.facilitator_membership,
        facilitator_profile=world.facilitator_profile,
    )
    # The doctor shares their referral's stage with their responsible officer too, so the officer has
    # something of the doctor's to open; other_doctor shares nothing with anyone at the trust.
    agreement.set_audience(
        world.referral,
        Audience.RESPONSIBLE_OFFICER,
        [Item.STAGE],
        by=world.doctor,
        based_on=agreement.current_version(world.referral),
    )
    world.other = build_records(
        doctor=world.other_doctor,
        service=world.other_service,
        case_manager=world.other_case_manager,
        facilitator=world.other_facilitator,
        admin=world.other_admin,
        referrer=world.other_referrer,
        referrer_organisation=south_hospital,
    )
    build_ended(world)
    _add_people_records(world.own, world.trust)
    _add_people_records(world.other, south_hospital)
    culture_records(world.own, world.trust, world.referrer)
    culture_records(world.other, south_hospital, world.other_referrer)
    theory_records(world.own, world.service, world.evaluator)
    theory_records(world.other, world.other_service, world.other_admin)
    world.case.refresh_from_db()
    world.allocation.refresh_from_db()
    return world


def build_ended(world: AccessWorld) -> None:
    """The records of ``world.ended``, and the former staff: each made as the pages make it, then each former
    person's membership ended by deleting its row (as the service's pages do)."""
    from supportpath.closure import services as closing
    from supportpath.facilitation import services as facilitation
    from supportpath.sharing import agreement
    from supportpath.sharing.choices import Audience, Item

    profile = world.doctor.doctor_profile
    service, case_manager, facilitator = world.service, world.case_manager, world.facilitator
    today = timezone.localdate()

    def new_case(reason: str, by=case_manager):
        return _accepted(f.SupportRequestFactory(doctor=profile, service=service, reasons=[reason]), by)

    # A case handed over to another service after the facilitator had started.
    handed_over_case = new_case("career")
    handed_over_allocation = _facilitated(
        handed_over_case, case_manager, facilitator, held_on=today - dt.timedelta(days=40)
    )
    closing.close_case(
        handed_over_case,
        by=case_manager,
        data={
            "reason": "handed_over",
            "handed_over_to": "gp",
            "handover_reason": "Their GP can help best now.",
            "doctor_consented": True,
            "closed_on": today - dt.timedelta(days=5),
        },
    )

    # An offer the facilitator declined.
    declined_case = new_case("confidence")
    _needs_recorded(declined_case, case_manager, held_on=today - dt.timedelta(days=6), issues=["confidence"])
    declined_allocation = facilitation.propose(declined_case, facilitator.pk, by=case_manager)
    facilitation.decline(declined_allocation, reason="I know the doctor's consultant well.")

    # An offer that ended: accepted, a session held, then the doctor chose someone else.
    changed_case = new_case("career")
    changed_allocation = _facilitated(changed_case, case_manager, facilitator, held_on=today - dt.timedelta(days=25))
    facilitation.change_facilitator(changed_case)

    # A facilitator whose role at North ended while they supported a doctor.
    former_facilitator_membership = f.MembershipFactory(
        organisation=service, role=Role.FACILITATOR, user__full_name="Kit Formercoach"
    )
    former_facilitator = former_facilitator_membership.user
    FacilitatorProfile.objects.create(
        user=former_facilitator, service=service, role="coach", specialisms=["career"], capacity=3
    )
    former_facilitator_case = new_case("career")
    former_facilitator_allocation = _facilitated(
        former_facilitator_case, case_manager, former_facilitator, held_on=today - dt.timedelta(days=15)
    )

    # A case manager whose role at North ended after accepting a case.
    former_case_manager_membership = f.MembershipFactory(
        organisation=service, role=Role.CASE_MANAGER, user__full_name="Lou Formermanager"
    )
    former_case_manager = former_case_manager_membership.user
    former_manager_case = new_case("confidence", by=former_case_manager)

    # A supervisor at the trust whose role ended after referring the doctor.
    former_referrer_membership = f.MembershipFactory(
        organisation=world.trust,
        role=Role.REFERRER,
        job_title="Clinical supervisor",
        user__full_name="Dr Mo Formersupervisor",
    )
    former_referrer = former_referrer_membership.user
    former_referral = f.SupportRequestFactory(
        doctor=profile,
        service=service,
        route=Route.SUPERVISOR,
        referrer=former_referrer,
        referrer_organisation=world.trust,
        referral_description="They told me the nights are hard.",
        doctor_account="",
        reasons=["confidence"],
    )
    agreement.set_audience(former_referral, Audience.REFERRER, [Item.STAGE], by=world.doctor, based_on=0)

    for membership in (former_facilitator_membership, former_case_manager_membership, former_referrer_membership):
        membership.delete()
    for record in (
        handed_over_case,
        handed_over_allocation,
        declined_case,
        declined_allocation,
        changed_case,
        changed_allocation,
        former_facilitator_case,
        former_facilitator_allocation,
    ):
        record.refresh_from_db()
    world.former_facilitator = former_facilitator
    world.former_case_manager = former_case_manager
    world.former_referrer = former_referrer
    world.ended = Ended(
        handed_over_case=handed_over_case,
        handed_over_allocation=handed_over_allocation,
        declined_case=declined_case,
        declined_allocation=declined_allocation,
        changed_case=changed_case,
        changed_allocation=changed_allocation,
        former_facilitator_case=former_facilitator_case,
        former_facilitator_allocation=former_facilitator_allocation,
        former_manager_case=former_manager_case,
        former_referral=former_referral,
    )


def _add_people_records(records: Records, served_organisation) -> None:
    """What the service admin's staff and organisation pages take, made by the service functions they use."""
    from supportpath.service import services as staff_services

    records.invitation = staff_services.invite(
        service=records.service,
        organisation=records.service,
        email=f"new.coach.{records.service.pk}@example.test",
        full_name="Kim Newcoach",
        role=Role.FACILITATOR,
        by=records.admin,
    )
    records.served_organisation = served_organisation
    records.referrer_membership = Membership.objects.get(
        user=records.referrer, organisation=served_organisation, role=Role.REFERRER
    )
    records.case_manager_membership = Membership.objects.get(
        user=records.case_manager, organisation=records.service, role=Role.CASE_MANAGER
    )
