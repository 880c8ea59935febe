"""Every form by which staff (or the person who referred) change a doctor's record leaves an access record
of the change, for the doctor to see in "who has seen my record": who, and that it was a change.

Each change is made in the access world (``build_access_world``) as the page's own form sends it
(``posts.py``), inside a savepoint rolled back afterwards, so every change starts from the same world.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from supportpath.audit.models import AccessRecord
from supportpath.testing import factories as f
from supportpath.testing.access_table import access_world_for_module, rolled_back

from . import posts

CHANGED = [AccessRecord.Action.CHANGED, AccessRecord.Action.CREATED]


@dataclass(frozen=True)
class Change:
    name: str
    persona: str
    url_name: str
    target: Callable  # (world, prepared) -> the object the URL names, or None
    arg: str | None  # the object's attribute in the URL ("pk", "reference"), or None for no argument
    data: Callable  # (world, object) -> the form
    done: Callable  # (world, object) -> whether the change was made
    prepare: Callable = lambda world: None  # run first, inside the same savepoint
    doctor: Callable = lambda world: world.doctor  # whose record it is


def _contacted(world):
    from supportpath.casework import services

    services.record_first_contact(world.own.referral, by=world.case_manager, on=timezone.localdate(), method="phone")


def _waiting_case(world):
    """A new case of the doctor's at the North service, accepted, with nobody asked to facilitate yet."""
    request = f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service, status="accepted")
    return f.CaseFactory(request=request, case_manager=world.case_manager)


def _waiting_after_first_conversation(world):
    """A waiting case whose first conversation has taken place: only such cases are on the waiting list."""
    from supportpath.pathway.models import NeedsAssessment

    case = _waiting_case(world)
    NeedsAssessment.objects.create(case=case, conversation_held_on=timezone.localdate(), recorded_by=world.case_manager)
    return case


def _draft(world):
    from supportpath.plans import services

    case = world.own.supported_case
    content = {**world.own.plan_version.content, "in_my_control": "How I prepare."}
    services.save_draft(case, by=world.case_manager, data=content, based_on=services.edit_count(case))


def _own(path: str) -> Callable:
    def target(world, prepared):
        value = world
        for part in path.split("."):
            value = getattr(value, part)
        return value

    return target


def _status(obj) -> str:
    obj.refresh_from_db()
    return obj.status


CHANGES = [
    Change(
        "first contact",
        "case_manager",
        "casework:request_detail",
        _own("own.referral"),
        "reference",
        posts.first_contact,
        lambda world, r: _status(r) == "contacted",
    ),
    Change(
        "accepting a request",
        "case_manager",
        "casework:request_detail",
        _own("own.referral"),
        "reference",
        posts.accept,
        lambda world, r: _status(r) == "accepted",
        prepare=_contacted,
    ),
    Change(
        "handing a request over",
        "case_manager",
        "casework:request_detail",
        _own("own.referral"),
        "reference",
        posts.hand_over,
        lambda world, r: _status(r) == "handed_over",
        prepare=_contacted,
    ),
    Change(
        "sending the referral to the doctor again",
        "case_manager",
        "casework:request_detail",
        _own("own.referral"),
        "reference",
        lambda world, r: {"action": "send_again", "token": str(uuid.uuid4())},
        lambda world, r: r.resends.exists(),
    ),
    Change(
        "recording an attempt to make contact",
        "case_manager",
        "casework:request_detail",
        _own("own.referral"),
        "reference",
        posts.contact_attempt,
        lambda world, r: r.contact_attempts.exists(),
    ),
    Change(
        "closing a request as not for this service",
        "case_manager",
        "casework:close_request",
        _own("own.referral"),
        "reference",
        posts.close_request,
        lambda world, r: _status(r) == "closed",
    ),
    Change(
        "pausing support",
        "case_manager",
        "progress:pause_case",
        _own("own.supported_case"),
        "pk",
        posts.pause_case,
        lambda world, case: case.pauses.exists(),
    ),
    Change(
        "arranging the first conversation",
        "case_manager",
        "pathway:arrange_conversation",
        _own("own.case"),
        "pk",
        posts.arrange_conversation,
        lambda world, case: case.initial_conversation.scheduled_for.time().hour == 14,
    ),
    Change(
        "the needs assessment",
        "case_manager",
        "pathway:needs_assessment",
        _own("own.supported_case"),
        "pk",
        posts.needs_assessment,
        lambda world, case: case.needs_assessment.__class__.objects.get(case=case).version == 2,
    ),
    Change(
        "a session",
        "facilitator",
        "pathway:record_session",
        _own("own.supported_case"),
        "pk",
        posts.record_session,
        lambda world, case: case.sessions.count() == 2,
    ),
    Change(
        "saving the plan",
        "case_manager",
        "plans:edit_plan",
        _own("own.supported_case"),
        "pk",
        posts.edit_plan,
        lambda world, case: case.support_plan.versions.count() == 2,
    ),
    Change(
        "sharing the plan with the doctor",
        "case_manager",
        "plans:share_plan",
        _own("own.supported_case"),
        "pk",
        lambda world, case: {},
        lambda world, case: case.support_plan.versions.order_by("-number").first().status == "shared",
        prepare=_draft,
    ),
    Change(
        "a review",
        "facilitator",
        "progress:record_review",
        _own("own.supported_case"),
        "pk",
        posts.record_review,
        lambda world, case: case.reviews.count() == 2,
    ),
    Change(
        "a milestone met",
        "case_manager",
        "progress:mark_milestone_done",
        _own("own.supported_case"),
        "pk",
        posts.mark_milestone_done,
        lambda world, case: case.milestones_done.exists(),
    ),
    Change(
        "a reassessment",
        "case_manager",
        "progress:record_reassessment",
        _own("own.supported_case"),
        "pk",
        posts.record_reassessment,
        lambda world, case: case.reassessments.exists(),
    ),
    Change(
        "a new date",
        "case_manager",
        "progress:new_date",
        _own("own.supported_case"),
        "pk",
        posts.new_date,
        lambda world, case: case.revised_dates.filter(set_by=world.case_manager).exists(),
    ),
    Change(
        "closing the case",
        "case_manager",
        "closure:close_case",
        _own("own.supported_case"),
        "pk",
        posts.close_case,
        lambda world, case: hasattr(case.__class__.objects.get(pk=case.pk), "closure"),
    ),
    Change(
        "asking a facilitator to take the case",
        "case_manager",
        "facilitation:allocate_case",
        lambda world, prepared: prepared,
        "pk",
        posts.allocate_case,
        lambda world, case: case.allocations.filter(facilitator=world.facilitator).exists(),
        prepare=_waiting_after_first_conversation,
    ),
    Change(
        "allocating the waiting list",
        "case_manager",
        "facilitation:waiting_list",
        lambda world, prepared: prepared,
        None,
        posts.waiting_list,
        lambda world, case: case.allocations.filter(facilitator=world.facilitator).exists(),
        prepare=_waiting_after_first_conversation,
    ),
    Change(
        "the facilitator accepting the case",
        "facilitator",
        "facilitation:respond",
        _own("own.allocation"),
        "pk",
        posts.respond,
        lambda world, allocation: _status(allocation) == "accepted",
    ),
    Change(
        "the facilitator declining the case",
        "facilitator",
        "facilitation:respond",
        _own("own.allocation"),
        "pk",
        lambda world, allocation: {"decision": "decline", "reason": "My list is full."},
        lambda world, allocation: _status(allocation) == "declined",
    ),
    Change(
        "the introductory conversation",
        "facilitator",
        "facilitation:record_introduction",
        _own("own.allocation"),
        "pk",
        posts.record_introduction,
        lambda world, allocation: allocation.__class__.objects.get(pk=allocation.pk).intro_outcome == "held",
    ),
    Change(
        "opening emergency access",
        "service_admin",
        "emergency_access:open",
        lambda world, prepared: world.own.self_request,
        None,
        posts.open_emergency_access,
        lambda world, request: request.emergency_accesses.exists(),
    ),
    Change(
        "deciding a request to erase the record",
        "service_admin",
        "records:erasure_decision",
        _own("own.erasure_request"),
        "pk",
        posts.erasure_decision,
        lambda world, erasure_request: _status(erasure_request) == "declined",
    ),
    Change(
        "the person who referred sending the referral again",
        "referrer",
        "referrals:referral_status",
        _own("own.referral"),
        "reference",
        posts.referral_send_again,
        lambda world, r: r.resends.exists(),
    ),
    Change(
        "moving a case to another case manager",
        "case_manager",
        "service:move_case",
        _own("own.case"),
        "pk",
        posts.move_case,
        lambda world, case: type(case).objects.get(pk=case.pk).case_manager_id != world.case_manager.pk,
        prepare=posts.colleague_case_manager,
    ),
    Change(
        "following up a safety answer",
        "case_manager",
        "measures:follow_up",
        _own("own.safety_alert"),
        "pk",
        posts.POSTS["measures:follow_up"],
        lambda world, alert: alert.__class__.objects.get(pk=alert.pk).followed_up_at is not None,
    ),
    Change(
        "a case manager sending the doctor a message",
        "case_manager",
        "messaging:thread",
        _own("own.self_request"),
        "reference",
        posts.message,
        lambda world, r: r.messages.exists(),
    ),
]


@pytest.fixture(scope="module")
def access(django_db_setup, django_db_blocker):
    with access_world_for_module(django_db_blocker) as world_and_clients:
        yield world_and_clients


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_every_change_to_a_doctors_record_is_in_their_access_log(access, change, settings, tmp_path):
    settings.ERASURE_LEDGER_DIR = tmp_path / "erasure-ledger"
    world, signed = access
    user = world.persona(change.persona)
    with signed.using(change.persona) as client, rolled_back():
        prepared = change.prepare(world)
        obj = change.target(world, prepared)
        url = reverse(change.url_name, args=[getattr(obj, change.arg)] if change.arg else [])
        last = AccessRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.post(url, change.data(world, obj))
        assert response.status_code == 302, f"{change.name}: the form was not accepted ({response.status_code})"
        assert change.done(world, obj), f"{change.name}: the change was not made"
        logged = AccessRecord.objects.filter(
            id__gt=last, actor=user, doctor=change.doctor(world).doctor_profile, action__in=CHANGED
        )
        assert logged.exists(), f"{change.name}: no access record of the change for the doctor"


@pytest.mark.django_db
def test_a_referral_is_in_the_doctors_access_log_as_made_by_the_person_who_referred(access):
    world, signed = access
    doctor = world.other_doctor.doctor_profile
    with signed.using("referrer") as client, rolled_back():
        client.post(
            reverse("referrals:referral_doctor"),
            {"gmc_number": doctor.gmc_number, "full_name": "Dr Ben Example", "email": world.other_doctor.email},
        )
        client.post(
            reverse("referrals:referral_details"),
            {
                "route": "supervisor",
                "reasons": ["career"],
                "description": "They would like to talk about their next steps.",
                "discussed": "We talked about it at supervision.",
                "urgent": "no",
                "mandated": "no",
            },
        )
        response = client.post(reverse("referrals:referral_check"))
        assert response.status_code == 302 and "/refer/sent/" in response["Location"]
        record = AccessRecord.objects.get(actor=world.referrer, doctor=doctor, action=AccessRecord.Action.CREATED)
        assert record.what.startswith("Referral SP-") and record.actor_organisation == world.trust.name
