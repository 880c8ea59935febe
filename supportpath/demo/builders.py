"""The fictional demo, built in stages: organisations, staff, doctors, support requests, cases.

Each stage is one function in ``STAGES`` and is idempotent on its own: it finds what it made before by a
stable key (a name, an email address, a GMC number, a request's submission token) and makes only what is
missing. So running ``seed_demo`` again changes nothing, and a stage added later (conversations, plans,
facilitator allocation, sessions, closure) fills in its part on a database seeded before it existed.

What the demo contains is decided in ``people`` (who) and ``planning`` (drawn from the paper's Table 2, with
random generators seeded from fixed strings, so it is the same every time); dates are counted back from the
day it is first seeded.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from supportpath.accounts import equality
from supportpath.accounts.models import DoctorProfile, Organisation, Role, User
from supportpath.accounts.services import register_doctor, update_doctor_detail
from supportpath.casework import services as casework
from supportpath.casework.models import Case, Stage
from supportpath.core.encryption import lookup_hash
from supportpath.core.working_days import is_working_day, working_days_between
from supportpath.insights import writer as insights_writer
from supportpath.progress import targets, worklist
from supportpath.referrals import referral_services
from supportpath.referrals.models import (
    ContactMethod,
    DoctorComment,
    EndedAs,
    HandoverDestination,
    Route,
    Status,
    SupportRequest,
)
from supportpath.referrals.services import SelfReferral, submit_self_referral
from supportpath.service import services as staff_services

from . import (
    access_history,
    appointments_stage,
    culture_stage,
    history_stages,
    invitations,
    journeys,
    later_stages,
    measures_stage,
    messages_stage,
    pathway_stages,
    peer_stage,
    records_stage,
    sharing_stage,
    staff_stage,
    wording,
)
from .demo_state import Demo, DrawnCase
from .people import (
    CASE_MANAGERS_BY_SERVICE,
    FACILITATOR_FOR_REASON,
    JOURNEY_KEYS,
    NAMED_DOCTORS,
    ORGANISATIONS,
    REFERRERS_BY_ROUTE,
    STAFF,
    STAFF_BY_KEY,
    STAFF_NOTES,
    DoctorSpec,
    PersonSpec,
    RequestSpec,
)
from .planning import plan_doctors, plan_requests, rng_for, weighted
from .two_step import give_demo_authenticator

TOKEN_NAMESPACE = uuid.UUID("5b0c3f4e-6d0a-4d1e-9a51-0d3c2f9e7a10")
CONTACT_METHODS = [(ContactMethod.EMAIL, 45), (ContactMethod.PHONE, 25), (ContactMethod.EITHER, 30)]


@dataclass
class SignIn:
    email: str
    full_name: str
    role: str
    organisation: str
    note: str = ""


def _first_person(service_key: str) -> PersonSpec:
    """Who set the service up on supportpath (``manage.py add_staff``): its service admin, or its only staff."""
    at_service = [spec for spec in STAFF if spec.organisation == service_key]
    return next((spec for spec in at_service if spec.role == Role.SERVICE_ADMIN), at_service[0])


def seed_organisations(demo: Demo) -> None:
    """The support services as a fresh installation makes them (``add_staff``, which invites the service's first
    person: ``seed_staff`` accepts), then the organisations each serves, added by its service admin
    (``save_organisation``). Nobody told."""
    existing = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(name__in=[spec.name for spec in ORGANISATIONS])
    }
    for spec in ORGANISATIONS:
        organisation = existing.get(spec.name)
        if organisation is None:
            if spec.served_by is None:
                first = _first_person(spec.key)
                invitation, _ = staff_services.add_staff(
                    email=first.email,
                    organisation_name=spec.name,
                    role=first.role,
                    full_name=first.full_name,
                    job_title=first.job_title,
                    tell=False,
                )
                organisation = invitation.organisation
            else:
                organisation = staff_services.save_organisation(
                    demo.organisations[spec.served_by], {"name": spec.name, "kind": spec.kind}
                )
            demo.created["organisations"] += 1
        demo.organisations[spec.key] = organisation


def _join(demo: Demo, spec: PersonSpec) -> User:
    """One of the demo's staff joins as staff do: invited by their service's admin (or, the service's first
    person, by ``add_staff``) and accepting the link with the demo's password, hashed once for everyone. The
    people of an organisation the service serves (an organisation lead) are invited by its admin in the same way."""
    organisation = demo.organisations[spec.organisation]
    service = organisation.serving_service
    invitation = staff_services.pending_invitations(service).filter(email=spec.email, role=spec.role).first()
    if invitation is None:
        admin = _first_person(next(key for key, value in demo.organisations.items() if value == service))
        invitation = staff_services.invite(
            service=service,
            organisation=organisation,
            email=spec.email,
            full_name=spec.full_name,
            role=spec.role,
            by=demo.staff.get(admin.key),
            job_title=spec.job_title,
            tell=False,
        )
    user = staff_services.accept(invitation, password_hash=demo.password_hash)
    assert user is not None  # noqa: S101 # nosec B101 # a link just made, accepted once
    return user


def seed_staff(demo: Demo) -> None:
    existing = {user.email: user for user in User.objects.filter(email__in=[spec.email for spec in STAFF])}
    # The services' first people first: they invite the rest.
    firsts = {_first_person(spec.key).key for spec in ORGANISATIONS if spec.served_by is None}
    for spec in sorted(STAFF, key=lambda spec: spec.key not in firsts):
        user = existing.get(spec.email)
        if user is None:
            user = _join(demo, spec)
            demo.created["staff"] += 1
        demo.staff[spec.key] = user
    demo.staff = {spec.key: demo.staff[spec.key] for spec in STAFF}  # in STAFF's order, as the stages expect
    demo.created["staff authenticator apps"] += give_demo_authenticator(list(demo.staff.values()))
    # Everything after this is dated from the moment the demo was first seeded, so running it again on a
    # later day finds exactly what it made then (and a stage added later dates its records the same way).
    demo.now = demo.staff[STAFF[0].key].date_joined


def seed_doctors(demo: Demo) -> None:
    demo.doctor_specs = plan_doctors()
    demo.doctors, made = make_doctors(demo, demo.doctor_specs)
    demo.created["doctors"] += made


def make_doctors(demo: Demo, specs: list[DoctorSpec]) -> tuple[dict[str, DoctorProfile], int]:
    """The doctors of ``specs`` that are not there yet, each registered as the product registers a doctor
    (``register_doctor``: account, profile, membership of the employer) with the demo's password hashed once for
    all (or, for one who cannot sign in, no usable password), then their phone number on their details page and
    their equality answers through their own services. Returns every spec's profile by its key, and how many
    were made."""
    by_gmc = {spec.gmc_number: spec for spec in specs}
    existing = set(DoctorProfile.objects.with_gmc_numbers(by_gmc).values_list("gmc_number_hash", flat=True))
    new = [spec for spec in specs if lookup_hash(spec.gmc_number) not in existing]
    taken = set(User.objects.filter(email__in=[spec.email for spec in new]).values_list("email", flat=True))
    new = [spec for spec in new if spec.email not in taken]  # never take over someone else's account

    for spec in new:
        user = register_doctor(
            full_name=spec.full_name,
            email=spec.email,
            password=None,
            password_hash=demo.password_hash if spec.can_sign_in else "",
            gmc_number=spec.gmc_number,
            career_stage=spec.career_stage,
            contract_type=spec.contract_type,
            specialty=spec.specialty,
            qualification_region=spec.qualification_region,
            employer=demo.organisations[spec.employer],
        )
        profile = user.doctor_profile
        if spec.phone:
            update_doctor_detail(profile, "phone", spec.phone)
        if spec.equality is not None:
            equality.save_answers(profile, spec.equality)
    profiles = DoctorProfile.objects.with_gmc_numbers(by_gmc).select_related("user")
    doctors = {by_gmc[profile.gmc_number].key: profile for profile in profiles}
    return doctors, len(new)


def _token(doctor: DoctorProfile) -> uuid.UUID:
    # Keyed on the doctor alone (each has one request in the demo), so a change to how requests are drawn
    # can never give a doctor a second one on a database seeded before the change.
    return uuid.uuid5(TOKEN_NAMESPACE, f"request/{doctor.gmc_number}")


def _reference(token: uuid.UUID) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    rng = rng_for("reference", token)
    body = "".join(rng.choice(alphabet) for _ in range(8))
    return f"SP-{body[:4]}-{body[4:]}"


def _first_contact_on(demo: Demo, submitted: dt.date, rng: random.Random) -> dt.date:
    # Most first contacts are within the target; a few are late, as in real life.
    working_days = weighted(rng, [(1, 30), (2, 25), (3, 20), (4, 12), (5, 8), (7, 5)])[0]
    return demo.working_days_after(submitted, working_days)


@dataclass
class DrawnRequest:
    """A request as the demo draws it: what the doctor or the person who referred gave (``make_request`` makes
    it through referrals' services) and what happened next, recorded afterwards (``hold_back_triage``)."""

    reference: str
    submission_token: uuid.UUID
    doctor: DoctorProfile
    service: Organisation
    route: str
    reasons: list[str]
    contact_method: str
    contact_phone: str
    contact_times: str
    urgent: bool
    urgency_details: str
    submitted_at: dt.datetime
    doctor_account: str = ""
    referrer: User | None = None
    referrer_organisation: Organisation | None = None
    referral_description: str = ""
    discussed_with_doctor: str = ""
    mandated: bool = False
    doctor_seen_referral_at: dt.datetime | None = None
    first_contact_on: dt.date | None = None
    first_contact_method: str = ""
    first_contact_by: User | None = None
    handed_over_to: str = ""
    handover_reason: str = ""
    handed_over_at: dt.datetime | None = None


def _build_request(demo: Demo, spec: RequestSpec, doctor: DoctorProfile, doctor_spec: DoctorSpec) -> DrawnRequest:
    token = _token(doctor)
    rng = rng_for("request", token)
    service_key = "southfen" if doctor_spec.employer == "southfen_trust" else "psu"
    submitted_day = demo.today - dt.timedelta(days=spec.days_ago)
    if spec.working_days_ago is not None:
        submitted_day = demo.working_days_before(spec.working_days_ago)
    elif spec.route != Route.SELF:
        # Doctors ask for support at any hour of any day; supervisors and appraisers refer on working days.
        while not is_working_day(submitted_day):
            submitted_day -= dt.timedelta(days=1)
    submitted_at = demo.at(submitted_day, rng.randint(7, 21), rng.randint(0, 59))
    submitted_day = timezone.localdate(submitted_at)
    first_reason = spec.reasons[0]
    contact_method = weighted(rng, CONTACT_METHODS)[0]
    request = DrawnRequest(
        reference=_reference(token),
        submission_token=token,
        doctor=doctor,
        service=demo.organisations[service_key],
        route=spec.route,
        reasons=list(spec.reasons),
        contact_method=contact_method,
        contact_phone=doctor_spec.phone if contact_method != ContactMethod.EMAIL else "",
        contact_times=rng.choice(wording.CONTACT_TIMES),
        urgent=spec.urgent,
        urgency_details=rng.choice(wording.URGENCY_DETAILS) if spec.urgent else "",
        submitted_at=submitted_at,
    )
    surname = doctor_spec.full_name.split()[-1]
    if spec.route == Route.SELF:
        request.doctor_account = rng.choice(wording.DOCTOR_ACCOUNTS[first_reason])
        rng.random()  # once chose the employer answer; kept so every later draw stays the same (see sharing_stage.py)
    else:
        referrer_key = spec.referrer or REFERRERS_BY_ROUTE[spec.route][0]
        request.referrer = demo.staff[referrer_key]
        request.referrer_organisation = demo.organisations[STAFF_BY_KEY[referrer_key].organisation]
        request.referral_description = rng.choice(wording.REFERRAL_DESCRIPTIONS[first_reason]).format(surname=surname)
        request.discussed_with_doctor = rng.choice(wording.DISCUSSED_WITH_DOCTOR)
        request.mandated = spec.route == Route.RESPONSIBLE_OFFICER
        seen = spec.seen_by_doctor if spec.seen_by_doctor is not None else rng.random() < 0.6
        if spec.status != Status.RECEIVED or seen:
            request.doctor_seen_referral_at = min(submitted_at + dt.timedelta(hours=rng.randint(1, 48)), demo.now)
            rng.random()  # once chose the referrer's view; kept, as above (sharing_stage.py draws it now)

    if spec.status != Status.RECEIVED:
        case_managers = CASE_MANAGERS_BY_SERVICE[service_key]
        request.first_contact_on = _first_contact_on(demo, submitted_day, rng)
        if spec.first_contact_after is not None:
            request.first_contact_on = demo.working_days_after(submitted_day, spec.first_contact_after)
        request.first_contact_method = (
            ContactMethod.EMAIL if contact_method == ContactMethod.EMAIL else ContactMethod.PHONE
        )
        request.first_contact_by = demo.staff[rng.choice(case_managers)]
    if spec.status == Status.HANDED_OVER:
        destination = spec.handed_over_to or HandoverDestination.GP
        request.handed_over_to = destination
        request.handover_reason = wording.HANDOVER_REASONS[destination]
        handed_over_day = demo.working_days_after(request.first_contact_on, rng.randint(0, 5))
        request.handed_over_at = demo.at(handed_over_day, rng.randint(9, 16))
    return request


@dataclass
class Triage:
    """What happened to a request after it was made, recorded through the casework services once it exists."""

    first_contact_on: dt.date
    first_contact_method: str
    first_contact_by: User
    handover: dict | None  # hand_over's keywords, for a request handed over before it became a case


def hold_back_triage(request: DrawnRequest) -> Triage | None:
    """What ``_build_request`` drew for the triage: the request is made as the doctor or the referrer left it
    (received), and ``triage`` records this afterwards as the case manager would."""
    if request.first_contact_on is None or request.first_contact_by is None:
        return None
    handover = None
    if request.handed_over_to:
        handover = {
            "destination": request.handed_over_to,
            "reason": request.handover_reason,
            "consent": True,
            "at": request.handed_over_at,
        }
    return Triage(request.first_contact_on, request.first_contact_method, request.first_contact_by, handover)


def triage(request: SupportRequest, triage: Triage) -> None:
    """First contact, and a handover, through ``casework.services`` as history (nobody told). Accepting as a
    case is ``seed_cases``'s (or a journey's), and a request that closed before it became a case is closed
    there too."""
    casework.record_first_contact(
        request, by=triage.first_contact_by, on=triage.first_contact_on, method=triage.first_contact_method
    )
    if triage.handover is not None:
        casework.hand_over(request, by=triage.first_contact_by, notify=False, **triage.handover)


def make_request(
    drawn: DrawnRequest, *, employer_may_be_told: bool = False, signposted: bool = False
) -> SupportRequest:
    """Make a drawn request as the doctor or the person who referred left it (received), through referrals'
    services, as history: dated when it was made, with its fixed reference (the stages that follow take their
    cases in order of reference), nobody told and, for a doctor not registered yet, no invitation (the demo issues
    its own: ``invitations``); ``signposted``: a self-referral that came through a signpost's link (its route
    says so). A referral is logged as the referrer's, as the product logs it. What the product
    keeps of a request is what its routes ask for: a referral has no contact preferences (the drawn ones are
    still drawn, so every later draw stays the same)."""
    if drawn.route == Route.SELF:
        answers = SelfReferral(
            reasons=drawn.reasons,
            other_reason="",
            account=drawn.doctor_account,
            contact_method=drawn.contact_method,
            phone=drawn.contact_phone,
            contact_times=drawn.contact_times,
            employer_may_be_told=employer_may_be_told,
            urgent=drawn.urgent,
            urgency_details=drawn.urgency_details,
            signposted=signposted,
        )
        return submit_self_referral(
            drawn.doctor,
            drawn.service,
            answers,
            drawn.submission_token,
            submitted_at=drawn.submitted_at,
            reference=drawn.reference,
            notify=False,
        )
    assert drawn.referrer is not None  # noqa: S101 # nosec B101 # every demo referral has a referrer
    user = drawn.doctor.user
    referral = referral_services.make_referral(
        referrer=drawn.referrer,
        doctor={"gmc_number": drawn.doctor.gmc_number, "full_name": user.full_name, "email": user.email},
        details={
            "route": drawn.route,
            "reasons": drawn.reasons,
            "description": drawn.referral_description,
            "discussed": drawn.discussed_with_doctor,
            "mandated": "yes" if drawn.mandated else "no",
            "urgent": "yes" if drawn.urgent else "no",
            "urgency_details": drawn.urgency_details,
        },
        token=drawn.submission_token,
        submitted_at=drawn.submitted_at,
        reference=drawn.reference,
        notify=False,
        invite=False,
    )
    if drawn.doctor_seen_referral_at is not None:
        # Set when the doctor first opens the referral's page (referrals.third_party.for_doctor), as here.
        SupportRequest.objects.filter(pk=referral.pk).update(doctor_seen_referral_at=drawn.doctor_seen_referral_at)
        referral.doctor_seen_referral_at = drawn.doctor_seen_referral_at
    return referral


def seed_support_requests(demo: Demo) -> None:
    specs_by_key = {spec.key: spec for spec in demo.doctor_specs}
    for spec in plan_requests(demo.doctor_specs):
        if spec.doctor_key in demo.doctors:
            demo.request_specs[spec.doctor_key] = spec
    tokens = {_token(demo.doctors[key]): key for key in demo.request_specs}
    existing = set(
        SupportRequest.objects.filter(submission_token__in=tokens).values_list("submission_token", flat=True)
    )
    new = [
        _build_request(demo, spec, demo.doctors[key], specs_by_key[key])
        for key, spec in demo.request_specs.items()
        if _token(demo.doctors[key]) not in existing
    ]
    triages = {request.submission_token: hold_back_triage(request) for request in new}
    new_keys = [tokens[request.submission_token] for request in new]
    signposted = _signposted(demo, specs_by_key)
    for key, drawn in zip(new_keys, new, strict=True):
        # The self-referring doctor's answer about telling their employer, drawn as it always was (a journey's
        # doctor says no: its sharing is written out step by step).
        told = key not in JOURNEY_KEYS and rng_for("sharing", drawn.submission_token).random() < 0.4
        make_request(drawn, employer_may_be_told=told, signposted=key in signposted)
    load_requests(demo, tokens)
    for key in new_keys:
        if not demo.request_specs[key].comment:
            continue
        # The referred doctor's own account, through the product's service; created_at is set on insert, so it
        # is moved afterwards to when the doctor would have written it.
        request = demo.requests[key]
        comment = referral_services.add_doctor_comment(request, text=demo.request_specs[key].comment, token=None)
        seen = request.doctor_seen_referral_at or request.submitted_at
        DoctorComment.objects.filter(pk=comment.pk).update(created_at=min(seen + dt.timedelta(hours=2), demo.now))
    for key in new_keys:
        request = demo.requests[key]
        if (held_back := triages[request.submission_token]) is not None:
            triage(request, held_back)
    load_requests(demo, tokens)
    demo.created["support requests"] += len(new)


SIGNPOSTED_REQUESTS = 3


def _signposted(demo: Demo, specs_by_key: dict[str, DoctorSpec]) -> set[str]:
    """The unit's self-referrals that came through a signpost (culture_stage gives the Kestrel Lane appraiser's):
    the first three by reference, leaving out the journeys' (nothing links a request to the signpost it came
    through: the route is all that is kept)."""
    drawn = [
        key
        for key, spec in demo.request_specs.items()
        if spec.route == Route.SELF and key not in JOURNEY_KEYS and specs_by_key[key].employer != "southfen_trust"
    ]
    return set(sorted(drawn, key=lambda key: _reference(_token(demo.doctors[key])))[:SIGNPOSTED_REQUESTS])


def load_requests(demo: Demo, tokens: dict[uuid.UUID, str] | None = None) -> None:
    """The demo's requests as they are now, by their doctor's key."""
    tokens = tokens or {request.submission_token: key for key, request in demo.requests.items()}
    demo.requests = {
        tokens[request.submission_token]: request
        for request in SupportRequest.objects.filter(submission_token__in=tokens).select_related("doctor__user")
    }
    demo.request_keys = {request.pk: key for key, request in demo.requests.items()}


def _case_stage(rng: random.Random, working_days_open: int) -> str:
    if working_days_open < 5:
        return Stage.INITIAL_CONVERSATION
    if working_days_open < 20:
        return weighted(rng, [(Stage.INITIAL_CONVERSATION, 30), (Stage.PLANNING, 70)])[0]
    return weighted(rng, [(Stage.PLANNING, 25), (Stage.SUPPORT, 75)])[0]


def seed_cases(demo: Demo) -> None:
    """A case for every accepted request, and for most closed ones (the rest closed before acceptance), accepted
    through ``casework.services.accept`` as history (nobody told). The stage each case reaches, and its
    facilitator, are drawn here (``demo.drawn_cases``, drawn again on every run) and reached through the services
    of the stages that follow: the needs assessment (planning), the facilitator's acceptance, the agreed plan
    (support) and the closure."""
    candidates = {}
    for key, request in demo.drawn_requests.items():
        status = demo.request_specs[key].status
        if status == Status.ACCEPTED or (
            status == Status.CLOSED and rng_for("closed", request.submission_token).random() < 0.7
        ):
            candidates[key] = request
        elif status == Status.CLOSED and request.status == Status.CONTACTED:
            # Closed before it became a case: the doctor was pointed to another service.
            _close_before_a_case(demo, request)
    existing = {
        case.request_id: case
        for case in Case.objects.filter(request__in=candidates.values()).select_related("facilitator")
    }
    made = 0
    for key, request in candidates.items():
        rng = rng_for("case", request.submission_token)
        opened_day = demo.working_days_after(request.first_contact_on, rng.randint(0, 3))
        opened_at = demo.at(opened_day, rng.randint(9, 16), rng.randint(0, 59))
        spec = demo.request_specs[key]
        if spec.status == Status.CLOSED:
            stage = Stage.CLOSED
        else:
            stage = spec.case_stage or _case_stage(rng, working_days_between(opened_day, demo.today))
        facilitator = None
        if stage in (Stage.SUPPORT, Stage.CLOSED) and request.service == demo.organisations["psu"]:
            facilitator = demo.staff[FACILITATOR_FOR_REASON.get(spec.reasons[0], "coach")]
        case = existing.get(request.pk)
        if case is None:
            case = casework.accept(request, by=request.first_contact_by, at=opened_at, notify=False)
            made += 1
        demo.drawn_cases[case.pk] = DrawnCase(stage=stage, facilitator=facilitator)
    load_requests(demo)
    demo.created["cases"] += made


def _close_before_a_case(demo: Demo, request: SupportRequest) -> None:
    """Through ``casework.services.close_request`` as history (nobody told): after the first contact, not for
    this service, and the doctor pointed to their GP; closed the working day after the contact."""
    closed_on = demo.working_days_after(request.first_contact_on, 1)
    casework.close_request(
        request,
        by=request.first_contact_by,
        ended_as=EndedAs.NOT_ELIGIBLE,
        message=wording.CLOSED_BEFORE_A_CASE,
        signposted_to=HandoverDestination.GP,
        notify=False,
        at=demo.at(closed_on, 16),
    )


# Each stage receives the Demo with everything above it already made or found.
def refresh_work_list_dates(demo: Demo) -> None:
    """The work lists' dates of every open case, as the daily checks keep them: the stages above made cases in
    bulk and dated some records afterwards, so they are worked out once everything is in place."""
    for chunk in _chunks(Case.objects.exclude(stage=Stage.CLOSED).order_by("pk")):
        worklist.store(targets.load(chunk, full_reviews=False))


def _chunks(queryset, size: int = 500):
    chunk = []
    for case in queryset.iterator(chunk_size=size):
        chunk.append(case)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


STAGES: list[Callable[[Demo], None]] = [
    seed_organisations,
    seed_staff,
    seed_doctors,
    seed_support_requests,
    seed_cases,
    pathway_stages.seed_conversations_and_needs,  # the needs assessment moves a case into planning
    later_stages.seed_facilitator_profiles,
    later_stages.seed_allocations,  # the facilitator's acceptance makes them the case's facilitator
    pathway_stages.seed_sessions,  # with the facilitator, so after the allocations
    sharing_stage.seed_sharing,  # before the plans: agreeing a plan adds what it proposes to the agreement
    later_stages.seed_plans_and_reviews,  # agreeing the plan moves a case into support
    invitations.seed_pending_invitation,
    history_stages.seed_facilitator_details,
    history_stages.seed_matching_preferences,
    history_stages.seed_allocation_history,  # proposed again while the case is open, so before the closures
    later_stages.seed_closures,  # closing moves a case to closed
    history_stages.seed_plan_versions,
    history_stages.seed_reassessments,
    history_stages.seed_late_notices_and_new_dates,
    history_stages.seed_feedback_dates,
    history_stages.seed_earlier_emergency_access,
    journeys.seed_journeys,
    peer_stage.seed_peer_support,
    access_history.seed_access_history,
    records_stage.seed_erasure_requests_and_a_retention_run,
    staff_stage.seed_people_changes,
    measures_stage.seed_measures,
    culture_stage.seed_culture,
    messages_stage.seed_messages,
    appointments_stage.seed_appointments,
    refresh_work_list_dates,
]  # and, added by DemoConfig.ready(), the insights' history (insights_stage.STAGES), which builds on these, then
# the programme theory (theory_stage.seed_theory), whose report reads the whole history


def build_demo(now: dt.datetime | None = None, stages: list[Callable[[Demo], None]] | None = None) -> Demo:
    """Run every stage (or only ``stages``, as the tests do to play an earlier version of the demo)."""
    demo = Demo(now=now or timezone.now())
    # The fact record is written once, by the last stage, rather than after every record the stages save.
    with transaction.atomic(), insights_writer.pause():
        for stage in STAGES if stages is None else stages:
            stage(demo)
    return demo


def sign_ins(demo: Demo) -> list[SignIn]:
    """Who a newcomer can sign in as, one row per persona, all with DEMO_PASSWORD."""
    rows = []
    for spec in STAFF:
        role = Role(spec.role).label
        if spec.job_title and spec.role != Role.RESPONSIBLE_OFFICER:
            role = f"{role} ({spec.job_title.lower()})"
        organisation = demo.organisations[spec.organisation].name
        rows.append(SignIn(spec.email, spec.full_name, role, organisation, STAFF_NOTES.get(spec.key, "")))
    for spec in NAMED_DOCTORS:
        rows.append(
            SignIn(spec.email, spec.full_name, Role.DOCTOR.label, demo.organisations[spec.employer].name, spec.note)
        )
    return rows
