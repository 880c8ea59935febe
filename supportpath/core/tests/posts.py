"""What each page's form sends when filled in well, for the access tests: a refused persona sends exactly this
and must still change nothing (``test_access_policy.py``), and the member of staff it is for sends it and
must leave an access record of the change (``test_every_change_is_logged.py``).

Each entry takes the world and the object the URL names (the row's first object without its last attribute:
``own.supported_case.pk`` gives ``own.supported_case``). A URL with no entry is sent an empty form.
"""

import datetime as dt
import uuid
from collections.abc import Callable

from django.utils import timezone


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today() -> str:
    return _date(timezone.localdate())


def _token() -> str:
    return str(uuid.uuid4())


def _service_of(obj):
    """The support service an object belongs to (a case, a request, an allocation ...)."""
    for path in ("service", "request.service", "case.request.service", "support_request.service"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    raise AttributeError(f"No service for {obj!r}")


def _case_of(obj):
    return getattr(obj, "case", obj)


def first_contact(world, request) -> dict:
    return {"action": "first_contact", "contacted_on": _today(), "method": "phone"}


def accept(world, request) -> dict:
    return {"action": "accept"}


def hand_over(world, request) -> dict:
    return {"action": "hand_over", "destination": "gp", "reason": "Their GP can help best.", "consent": "on"}


def arrange_conversation(world, case) -> dict:
    return {
        "date": _date(timezone.localdate() + dt.timedelta(days=3)),
        "time": "14:30",
        "minutes": "60",
        "mode": "video",
        "join_url": "https://meet.example.org/abc",
    }


def needs_assessment(world, case) -> dict:
    from supportpath.pathway.models import NeedsAssessment

    current = NeedsAssessment.objects.filter(case=case).first()
    return {
        "version": str(current.version) if current else "",
        "submission_token": _token(),
        "conversation_held_on": _today(),
        "presenting_issues": ["career"],
        "doctor_goals": "To feel settled again.",
        "strengths": "",
        "individual_factors": "",
        "team_factors": "",
        "structural_factors": "",
        "cultural_factors": "",
        "mandated": "no",
        "staff_notes": "",
    }


def record_session(world, case) -> dict:
    return {
        "held_on": _today(),
        "mode": "video",
        "attendance": "attended",
        "shared_summary": "We talked.",
        "agreed_actions": "",
        "private_notes": "A note.",
        "submission_token": _token(),
    }


def edit_plan(world, case) -> dict:
    from supportpath.plans import services as plans
    from supportpath.plans.models import Intervention

    intervention = Intervention.objects.filter(service=_service_of(case)).first()
    levels = {"minus_2": "a", "minus_1": "b", "0": "c", "plus_1": "d", "plus_2": "e"}
    return {
        "edit_count": str(plans.edit_count(case)),
        "submission_token": _token(),
        "review_dates": _date(timezone.localdate() + dt.timedelta(days=40)),
        "in_my_control": "",
        "outside_my_control": "",
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-0-text": "Speak up at the huddle",
        "goals-0-importance": "2",
        "goals-0-difficulty": "2",
        "goals-0-baseline": "-1",
        **{f"goals-0-level_{key}": value for key, value in levels.items()},
        "interventions-TOTAL_FORMS": "1",
        "interventions-INITIAL_FORMS": "0",
        "interventions-0-intervention": str(intervention.pk) if intervention else "",
        "interventions-0-note": "",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-text": "Speak up once",
        "milestones-0-due": _date(timezone.localdate() + dt.timedelta(days=20)),
    }


def record_review(world, case) -> dict:
    return {"held_on": _today(), "goal_0": "1", "notes": "", "submission_token": _token()}


def mark_milestone_done(world, case) -> dict:
    return {"index": "0"}


def record_reassessment(world, case) -> dict:
    return {
        "held_on": _today(),
        "assessed_by": "The unit's panel",
        "outcome": "continue",
        "details": "",
        "submission_token": _token(),
    }


def close_case(world, case) -> dict:
    return {"reason": "goals_met", "closed_on": _today()}


def new_date(world, case) -> dict:
    from supportpath.progress import targets

    open_targets = targets.load_one(case).open_targets()
    return {
        "target": open_targets[0].ref if open_targets else "milestone-0",
        "new_due": _date(timezone.localdate() + dt.timedelta(days=30)),
        "reason": "Your facilitator is on leave that week.",
        "submission_token": _token(),
    }


def allocate_case(world, case) -> dict:
    return {"facilitator": str(_service_facilitator(world, case).pk)}


def _service_facilitator(world, case):
    return world.own.facilitator if _service_of(case) == world.service else world.other.facilitator


def waiting_list(world, _) -> dict:
    # Every case of either service waiting for a facilitator, paired with that service's facilitator.
    from supportpath.facilitation import pool

    pairs = [
        f"{case.pk}:{_service_facilitator(world, case).pk}"
        for case in pool.waiting_cases([world.service.pk, world.other_service.pk])
    ]
    return {"pair": pairs}


def respond(world, allocation) -> dict:
    return {"decision": "accept", "reason": ""}


def record_introduction(world, allocation) -> dict:
    return {"outcome": "held", "held_on": _today()}


def profile(world, thing) -> dict:
    return {
        "role": "coach",
        "accreditation": "",
        "about": "",
        "specialisms": ["career"],
        "gender": "",
        "trained_outside_uk": "no",
        "meets_in_person": "yes",
        "capacity": "5",
        "accepting_cases": "yes",
        "version": str(getattr(thing, "version", "")),
        "submission_token": _token(),
    }


def intervention(world, _) -> dict:
    return {
        "type": "mentoring",
        "name": "Mentoring by peers",
        "provider": "",
        "description": "",
        "active": "on",
        "submission_token": _token(),
    }


def open_emergency_access(world, _) -> dict:
    return {
        "reference": world.own.self_request.reference,  # the admin has no grant to it yet
        "purpose": "safety",
        "reason": "A concern for the doctor's safety was raised by phone and nobody on the case can be reached.",
        "confirm": "on",
        "submission_token": _token(),
    }


def erasure_decision(world, erasure_request) -> dict:
    return {"decision": "keep", "reason": "The record is part of a formal process."}


def referral_send_again(world, referral) -> dict:
    return {"action": "send_again", "token": _token()}


def doctor_comment_on_referral(world, referral) -> dict:
    return {"action": "comment", "text": "My own account.", "token": _token()}


def sharing_change(world, request) -> dict:
    from supportpath.sharing import agreement

    return {"items": ["stage", "attendance"], "based_on": str(agreement.current_version(request))}


COLLEAGUE_EMAIL = "lee.colleague@example.test"


def colleague_case_manager(world):
    """Another case manager of the case's service, for a case to move to (made when first needed)."""
    from supportpath.accounts.models import Membership, Role, User

    user = User.objects.filter(email=COLLEAGUE_EMAIL).first() or User.objects.create_user(
        email=COLLEAGUE_EMAIL, full_name="Lee Colleague"
    )
    Membership.objects.get_or_create(user=user, organisation=world.service, role=Role.CASE_MANAGER)
    return user


def move_case(world, case) -> dict:
    from supportpath.accounts.models import User

    colleague = User.objects.filter(email=COLLEAGUE_EMAIL).first()
    return {"takes_over": str(colleague.pk) if colleague else "0"}


def contact_attempt(world, request) -> dict:
    return {
        "action": "contact_attempt",
        "made_on": _today(),
        "attempt_method": "phone",
        "outcome": "no_answer",
        "token": _token(),
    }


def urgent_dealt_with(world, request) -> dict:
    return {"action": "urgent_dealt_with", "dealt_with_on": _today(), "urgent_action": "Spoke with them today."}


def close_request(world, request) -> dict:
    return {
        "ended_as": "not_eligible",
        "signposted_to": "practitioner_health",
        "message": "Practitioner Health is free and confidential: call them or self-refer on their website.",
        "token": _token(),
    }


def pause_case(world, case) -> dict:
    return {"action": "pause", "reason": "exams", "started_on": _today(), "explanation": "", "token": _token()}


def withdraw(world, request) -> dict:
    return {"reason": "The timing is not right for me.", "share_reason": "no"}


def message(world, request) -> dict:
    return {"text": "Could we talk on Thursday?", "token": _token()}


def _booking(**extra) -> dict:
    return {
        "date": _date(timezone.localdate() + dt.timedelta(days=4)),
        "time": "2pm",
        "minutes": "60",
        "how": "video",
        "join_url": "https://meet.example.org/abc",
        **extra,
    }


POSTS: dict[str, Callable] = {
    "messaging:thread": message,
    "messaging:work_phone": lambda world, _: {"work_phone": "0113 496 0000"},
    "pathway:correct_session": lambda world, session: {
        "held_on": session.held_on.strftime("%d/%m/%Y"),
        "mode": session.mode,
        "attendance": session.attendance,
        "shared_summary": "Corrected: we talked about the ward round and the rota.",
        "agreed_actions": session.agreed_actions,
        "private_notes": session.private_notes,
    },
    "appointments:book": lambda world, case: _booking(kind="session", submission_token=_token()),
    "appointments:change": lambda world, appointment: _booking(time="3.30pm"),
    "appointments:cancel": lambda world, appointment: {"cancelled_by": "doctor"},
    "appointments:outcome": lambda world, appointment: {"outcome": "cancelled:doctor"},
    "casework:close_request": close_request,
    "progress:pause_case": pause_case,
    "referrals:withdraw": withdraw,
    "casework:request_detail": first_contact,
    "pathway:arrange_conversation": arrange_conversation,
    "pathway:needs_assessment": needs_assessment,
    "pathway:record_session": record_session,
    "pathway:another_time": lambda world, case: {"suggested_times": "Mornings", "submission_token": _token()},
    "pathway:comment_on_assessment": lambda world, case: {"comment": "My comment."},
    "plans:edit_plan": edit_plan,
    "plans:agree_plan": lambda world, case: {"number": "1"},
    "plans:ask_for_changes": lambda world, case: {"number": "1", "comment": "Fewer goals, please."},
    "service:intervention_add": intervention,
    "service:intervention_edit": intervention,
    "facilitation:create_profile": profile,
    "facilitation:edit_profile": profile,
    "facilitation:waiting_list": waiting_list,
    "facilitation:allocate_case": allocate_case,
    "facilitation:respond": respond,
    "facilitation:record_introduction": record_introduction,
    "facilitation:my_preferences": lambda world, case: {"gender": "", "in_person": "yes", "trained_outside_uk": "no"},
    "progress:record_review": record_review,
    "progress:correct_review": lambda world, review: {
        "held_on": review.held_on.strftime("%d/%m/%Y"),
        **{
            f"goal_{index}": str(score["level"] + 1 if score["level"] < 2 else 1)
            for index, score in enumerate(review.scores)
        },
        "notes": "Corrected: the ward round went better than we said.",
    },
    "progress:mark_milestone_done": mark_milestone_done,
    "progress:record_reassessment": record_reassessment,
    "closure:close_case": close_case,
    "progress:new_date": new_date,
    "progress:reflect": lambda world, case: {"reflection": "It is going well."},
    "closure:exit_feedback": lambda world, case: {"what_changed": "A lot.", "team_may_read": "yes"},
    "emergency_access:open": open_emergency_access,
    "records:erasure": lambda world, _: {"note": "", "token": _token()},
    "records:erasure_decision": erasure_decision,
    "referrals:referral_status": referral_send_again,
    "referrals:referral_for_doctor": doctor_comment_on_referral,
    "sharing:change": sharing_change,
    "accounts:change_detail": lambda world, _: {"career_stage": "consultant"},
    "peer:offer": lambda world, _: {
        "experiences": ["examinations"],
        "about": "I have been there.",
        "how_often": "monthly",
        "most_at_once": "1",
        "boundaries": "on",
    },
    "peer:my_status": lambda world, _: {"supporter": str(world.own.peer_supporter.pk), "status": "paused"},
    "peer:ask": lambda world, _: {"experiences": ["career"], "same_employer": "no", "submission_token": _token()},
    "peer:match": lambda world, match: {"answer": "yes"},
    "peer:concern": lambda world, match: {"text": "I am worried about them.", "submission_token": _token()},
    "peer:supporter": lambda world, supporter: {"preparation_done_on": _today()},
    "peer:request": lambda world, request: {"supporter": str(world.own.peer_match.supporter_id)},
    "peer:new_group": lambda world, _: {
        "name": "Returners",
        "purpose": "Coming back to work.",
        "who_may_join": "Returners.",
        "facilitator": str(world.facilitator.pk),
        "size_limit": "6",
        "starts_on": _today(),
        "dates": "Mondays",
        "place": "Room 1",
    },
    "peer:join": lambda world, group: {"share_first_name": "yes"},
    "peer:record_meeting": lambda world, group: {"held_on": _today(), "came": [str(world.own.group_member.pk)]},
    "peer:admit": lambda world, member: {"answer": "yes"},
    "peer:start_check": lambda world, _: {"team_size": "6", "submission_token": _token()},
    "service:move_case": move_case,
    "service:invite_staff": lambda world, _: {
        "full_name": "Kit Invited",
        "email": "kit.invited@example.test",
        "role": "facilitator",
    },
    "service:change_role": lambda world, _: {"role": "evaluator"},
    "service:end_membership": lambda world, membership: {"takes_over": str(world.case_manager.pk)},
    "service:add_organisation": lambda world, _: {"kind": "gp_practice", "name": "Fictional Posted Surgery"},
    "service:edit_organisation": lambda world, _: {"kind": "acute_trust", "name": "Fictional Renamed Trust"},
    "service:invite_to_organisation": lambda world, _: {
        "full_name": "Dr Kit Referrer",
        "email": "kit.referrer@example.test",
        "role": "referrer",
    },
    "measures:question": lambda world, response: {"answer": "2"},
    "measures:start": lambda world, _: {},
    "measures:share": lambda world, _: {"share": "yes"},
    "measures:follow_up": lambda world, alert: {
        "followed_up_on": _today(),
        "what_was_done": "Phoned the doctor, who is safe and seeing their GP today.",
    },
    "measures:service_settings": lambda world, _: {"first": ["who-5"], "review": ["check-in"]},
    "measures:load_definition": lambda world, _: {"definition": '{"resourceType": "Questionnaire"}'},
    "referrals:self_referral_step": lambda world, _: {"reasons": ["exams"]},
    "referrals:self_referral_details": lambda world, _: {
        "full_name": "Dr New Person",
        "email": "new.person@example.test",
        "gmc_number": "7000001",
        "career_stage": "consultant",
        "locum": "no",
        "qualification_region": "uk",
        "employer": "not_listed",
        "submission_token": _token(),
    },
}


def post_data(url_name: str, world, obj) -> dict:
    make = POSTS.get(url_name)
    return make(world, obj) if make else {}
