"""The doctor's whole path, told one way on every page that shows it ("My support" and the doctor's case
page): each stage with its planned date, a new date and its reason if one was given, and when it actually
happened; and what happens next, with a by-when that is true. Where we do not know a date (finding a
facilitator, say), it says so rather than inventing one; where a date has passed, it says so, and sorry.

Built from ``targets.load``, so a list of requests takes a fixed number of queries (``journeys_for``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from supportpath.casework.models import Case, Stage
from supportpath.casework.services import HANDOVER_CONTACTS
from supportpath.closure.models import ExitFeedback
from supportpath.core.dates import long_date, long_datetime
from supportpath.facilitation.models import OPEN_STATUSES, Allocation, AllocationStatus
from supportpath.pathway.services import another_time_refusal_for
from supportpath.plans.models import VersionStatus
from supportpath.progress import targets
from supportpath.progress.models import Target
from supportpath.progress.targets import CaseProgress, TargetState
from supportpath.referrals.models import EndedAs, HandoverDestination, Status, SupportRequest

SORRY = "We are sorry."


@dataclass
class Step:
    key: str
    title: str
    state: str = "to_come"  # done, current, to_come, not_needed
    planned: dt.date | None = None
    new_date: dt.date | None = None
    new_date_reason: str = ""
    late: bool = False  # its date has passed, it has not happened, and no new date has been given yet
    late_words: str = ""
    actual: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    main: bool = True  # a stage of the path (shown on "My support" too), rather than a review within support

    @property
    def tag(self) -> dict:
        if self.state == "done":
            return {"text": "Done", "classes": "nhsuk-tag--green"}
        if self.state == "not_needed":
            return {"text": "Not needed", "classes": "nhsuk-tag--grey"}
        if self.late:
            return {"text": "Running late", "classes": "nhsuk-tag--yellow"}
        if self.state == "current":
            return {"text": "Now", "classes": "nhsuk-tag--blue"}
        return {"text": "To come", "classes": "nhsuk-tag--grey"}


@dataclass
class NextStep:
    text: str
    by: dt.date | dt.datetime | None = None  # the true by-when, when there is one
    # The page where the doctor does what the text names, when it is theirs to do (text, url).
    action: tuple[str, str] | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class MilestoneView:
    index: int
    text: str
    planned: dt.date
    new_date: dt.date | None
    new_date_reason: str
    done_on: dt.date | None
    state: str  # done, late, due_soon, upcoming, not_needed


@dataclass
class Journey:
    request: SupportRequest
    case: Case | None = None
    steps: list[Step] = field(default_factory=list)
    next_step: NextStep = field(default_factory=lambda: NextStep(""))
    milestones: list[MilestoneView] = field(default_factory=list)
    handed_over_to: str = ""
    can_ask_for_another_time: bool = False
    closed: bool = False

    @property
    def stages(self) -> list[Step]:
        return [s for s in self.steps if s.main]

    @property
    def conversation_words(self) -> str:
        """For a case page with no conversation arranged: when it happened, or who arranges it by when."""
        step = next((s for s in self.steps if s.key == "initial_conversation"), None)
        if step is None:
            return ""
        if step.actual:
            return f"It took place on {long_date(step.actual)}."
        if step.state == "not_needed":
            return "It was not needed: your support ended first."
        if step.late:
            return step.late_words
        return f"Your case manager will arrange it with you by {long_date(step.new_date or step.planned)}."

    @property
    def case_pk(self) -> int | None:
        return self.case.pk if self.case else None


def _case_of(support_request: SupportRequest) -> Case | None:
    try:
        return support_request.case
    except Case.DoesNotExist:
        return None


def journeys_for(requests: list[SupportRequest], *, today: dt.date | None = None) -> list[Journey]:
    """A journey for each request, in a fixed number of queries however many requests and cases."""
    today = today or timezone.localdate()
    # Whoever the journey names: one query each for the lot (none where the caller has joined them already).
    prefetch_related_objects(requests, "service", "case")
    cases = [c for c in (_case_of(r) for r in requests) if c is not None]
    prefetch_related_objects(cases, "case_manager", "facilitator")
    loaded = targets.load(cases)
    ids = [c.pk for c in cases]
    allocations = (
        {
            a.case_id: a
            for a in Allocation.objects.filter(case_id__in=ids, status__in=OPEN_STATUSES)
            .select_related("facilitator")
            .only("case_id", "status", "facilitator__full_name")  # all a journey reads of an offer
        }
        if ids
        else {}
    )
    feedback = set(ExitFeedback.objects.filter(case_id__in=ids).values_list("case_id", flat=True)) if ids else set()
    result = []
    for r in requests:
        case = _case_of(r)
        progress = loaded.get(case.pk) if case else None
        result.append(
            build(
                r,
                progress,
                allocation=allocations.get(case.pk) if case else None,
                feedback_given=bool(case and case.pk in feedback),
                today=today,
            )
        )
    return result


def journey_for(support_request: SupportRequest, *, today: dt.date | None = None) -> Journey:
    return journeys_for([support_request], today=today)[0]


def build(
    request: SupportRequest,
    progress: CaseProgress | None,
    *,
    allocation: Allocation | None,
    feedback_given: bool,
    today: dt.date,
) -> Journey:
    case = progress.case if progress else None
    journey = Journey(request=request, case=case)
    journey.steps.append(
        Step(
            "received",
            # A referred doctor did not ask: the words must not put a request in their mouth.
            "We received the referral" if request.is_referral else "We received your request",
            state="done",
            actual=timezone.localdate(request.submitted_at),
        )
    )
    contact = Step(
        "first_contact", "We get in touch", planned=request.first_contact_due, actual=request.first_contact_on
    )
    if case is not None and contact.actual is None:
        contact.actual = timezone.localdate(case.opened_at)
    if contact.actual is None and request.first_contact_due < today and request.status == Status.RECEIVED:
        contact.late = True
        contact.late_words = f"This is later than we said. {SORRY} Someone will be in touch as soon as they can."
    journey.steps.append(contact)

    if case is None:
        _without_case(journey, today)
    else:
        _with_case(journey, progress, allocation, today)
    _set_states(journey)
    journey.next_step = _next_step(journey, progress, allocation, feedback_given, today)
    return journey


def _without_case(journey: Journey, today: dt.date) -> None:
    request = journey.request
    contact = journey.steps[-1]
    if request.status == Status.HANDED_OVER:
        contact.state = "done"
        contact.actual = contact.actual or (
            timezone.localdate(request.handed_over_at) if request.handed_over_at else None
        )
        journey.handed_over_to = HandoverDestination(request.handed_over_to).label if request.handed_over_to else ""
        journey.steps.append(
            Step(
                "handed_over",
                f"Passed to {journey.handed_over_to or 'another service'}",
                state="done",
                actual=timezone.localdate(request.handed_over_at) if request.handed_over_at else None,
            )
        )
        journey.closed = True
        return
    if request.status == Status.CLOSED:
        contact.state = "done" if contact.actual else "not_needed"
        journey.steps.append(Step("closed", "Closed", state="done"))
        journey.closed = True
        return
    journey.steps += [
        Step("initial_conversation", "Your first conversation"),
        Step("planning", "Agreeing your support plan"),
        Step("support", "Support"),
        Step("closed", "Looking back and closing"),
    ]


def _from_target(step: Step, target: TargetState, today: dt.date, *, who: str) -> Step:
    step.planned = target.planned
    if target.revised:
        step.new_date = target.revised.new_due
        step.new_date_reason = target.revised.reason
    if target.paused_days:
        step.new_date = target.due
        paused_words = (
            "Moved on by the time your support has been paused so far"
            if target.paused
            else ("Moved on by the time your support was paused")
        )
        step.new_date_reason = f"{step.new_date_reason}. {paused_words}" if step.new_date_reason else paused_words
    step.actual = target.done_on
    state = target.state(today)
    if state == "paused":
        step.notes.append("Waiting while your support is paused.")
    elif state == "not_needed":
        step.state = "not_needed"
        step.notes.append("Not needed: your support ended first.")
    elif state == "late":
        step.late = True
        if target.kind == Target.MILESTONE:
            step.late_words = (
                f"The date has passed. That is all right: plans change. {who} will agree a new date with you."
            )
        else:
            step.late_words = f"This is later than we planned. {SORRY} {who} will confirm a new date with you."
    return step


def _with_case(journey: Journey, progress: CaseProgress, allocation: Allocation | None, today: dt.date) -> None:
    case = progress.case
    manager = case.case_manager.full_name
    conversation_target = progress.target(Target.INITIAL_CONVERSATION)
    conversation = _from_target(
        Step("initial_conversation", "Your first conversation"), conversation_target, today, who=manager
    )
    if conversation_target.arranged_for and progress.conversation is not None:
        conversation.notes.append(
            f"Arranged for {long_datetime(conversation_target.arranged_for)} "
            f"({progress.conversation.get_mode_display().lower()})."
        )
        if conversation_target.arranged_after_due:
            conversation.notes.append(f"That is later than we planned. {SORRY}")
    elif (
        progress.conversation is not None
        and progress.conversation.doctor_asked_for_another_time
        and not conversation.actual
    ):
        conversation.notes.append(f"You asked for another time. {manager} will be in touch to arrange it.")
    journey.steps.append(conversation)
    journey.steps.append(
        _from_target(
            Step("planning", "Agreeing your support plan"), progress.target(Target.PLAN_AGREED), today, who=manager
        )
    )
    support = Step("support", "Support", actual=progress.first_agreed_on)
    if case.facilitator_id:
        support.notes.append(f"With {case.facilitator.full_name}, your facilitator.")
    elif allocation is not None and allocation.status == AllocationStatus.PROPOSED:
        support.notes.append(f"We have asked {allocation.facilitator.full_name} to be your facilitator.")
    elif progress.first_agreed_on and not progress.closure:
        support.notes.append("We are finding a facilitator for you.")
    journey.steps.append(support)
    facilitator = case.facilitator.full_name if case.facilitator_id else manager
    for review in progress.of_kind(Target.REVIEW):
        journey.steps.append(
            _from_target(Step(f"review-{review.index}", review.label, main=False), review, today, who=facilitator)
        )
    planned_reviews = len(progress.of_kind(Target.REVIEW))
    for n, held in enumerate(progress.reviews[planned_reviews:], start=planned_reviews + 1):
        journey.steps.append(Step(f"review-extra-{n}", f"Review {n}", state="done", actual=held.held_on, main=False))
    closing = Step("closed", "Looking back and closing")
    closure = progress.closure
    if closure is not None:
        closing.state = "done"
        closing.actual = closure.closed_on
        closing.notes.append(closure.get_reason_display() + ".")
        journey.closed = True
        if closure.handed_over_to:
            journey.handed_over_to = closure.handed_over_to_label
            closing.notes.append(f"{journey.handed_over_to} will carry on supporting you, with your agreement.")
        # A support stage that ended without a plan ever being agreed did not happen: say so, not "Done".
        support.state = "done" if support.actual else "not_needed"
    journey.steps.append(closing)
    journey.milestones = [
        MilestoneView(
            index=m.index,
            text=m.label,
            planned=m.planned,
            new_date=m.due if (m.revised or m.paused_days) else None,
            new_date_reason=m.revised.reason
            if m.revised
            else ("Moved on while your support was paused" if m.paused_days else ""),
            done_on=m.done_on,
            state=m.state(today) if m.state(today) != "arranged" else "upcoming",
        )
        for m in progress.of_kind(Target.MILESTONE)
    ]
    conversation_record = progress.conversation
    # Offered while the one rule allows it (pathway.services.another_time_refusal_for) and the doctor has not
    # asked already (then the page says so instead; a fresh form may still ask again).
    journey.can_ask_for_another_time = (
        conversation_record is not None
        and not conversation_record.doctor_asked_for_another_time
        and not another_time_refusal_for(
            request_status=journey.request.status,
            closed=closure is not None or case.stage == Stage.CLOSED,
            conversation=conversation_record,
            assessed=progress.assessment_on is not None,
        )
    )


def _set_states(journey: Journey) -> None:
    """Main stages: done up to the first one still to happen, which is "current"; reviews within support
    are done or to come by themselves."""
    found_current = False
    for step in journey.stages:
        if step.state in ("done", "not_needed"):
            continue
        if step.actual and step.key != "support":
            step.state = "done"
            continue
        if not found_current:
            step.state = "current"
            found_current = True
        else:
            step.state = "to_come"
    for step in journey.steps:
        if not step.main and step.state == "to_come" and step.actual:
            step.state = "done"


def _by(due: dt.date) -> str:
    return long_date(due)


def ending_words(request: SupportRequest) -> str:
    """What the doctor reads about a request that ended before it became a case, kindly."""
    again = "You can ask for support again at any time."
    if request.ended_as == EndedAs.WITHDRAWN:
        return f"You withdrew this request on {_by(request.ended_at)}. That is your choice to make. {again}"
    if request.ended_as == EndedAs.DECLINED:
        return f"You declined this referral on {_by(request.ended_at)}. That is your choice to make. {again}"
    if request.ended_as == EndedAs.NO_RESPONSE:
        words = (
            f"We tried to reach you a few times and could not, so {request.service.name} closed this request on "
            f"{_by(request.ended_at)}. That is all right: it may not be the moment."
        )
    elif request.ended_as == EndedAs.NOT_ELIGIBLE:
        where = HANDOVER_CONTACTS[HandoverDestination(request.signposted_to)] if request.signposted_to else ""
        words = (
            f"{request.service.name} closed this request on {_by(request.ended_at)}: we think "
            f"{where or 'another service'} is better placed to help you than we are. This is not a judgement about "
            "you or about what you asked for."
        )
    else:
        closed = "The referral" if request.is_referral else "Your request"
        return f"{closed} is closed. {again}"
    message = f" Their message: “{request.ending_message}”" if request.ending_message else ""
    return f"{words}{message} {again}"


def _next_step(
    journey: Journey, progress: CaseProgress | None, allocation: Allocation | None, feedback_given: bool, today: dt.date
) -> NextStep:
    request = journey.request
    if journey.handed_over_to:
        return NextStep(
            f"We have passed your request to {journey.handed_over_to}, with your agreement. They will contact you. "
            "You can come back to us at any time."
        )
    if progress is None:
        if request.status == Status.CLOSED:
            return NextStep(ending_words(request))
        if request.status == Status.RECEIVED and not request.first_contact_on:
            if request.first_contact_due < today:
                return NextStep(
                    f"We said someone from {request.service.name} would contact you by "
                    f"{_by(request.first_contact_due)}, and we have not managed it yet. {SORRY} Someone will be in "
                    "touch as soon as they can."
                )
            return NextStep(
                f"Someone from {request.service.name} will contact you by {_by(request.first_contact_due)}.",
                request.first_contact_due,
            )
        return NextStep(
            f"{request.service.name} has been in touch. Next, they will arrange a first conversation with you."
        )
    case = progress.case
    manager = case.case_manager.full_name
    pause = progress.pause if progress.closure is None else None
    if pause is not None:
        why = pause.get_reason_display().lower()
        explanation = f" {pause.explanation}" if pause.explanation else ""
        return NextStep(
            f"Your support is paused, since {_by(pause.started_on)} ({why}).{explanation} Nothing is late while it "
            f"is paused: when it starts again, every date still to come moves on by the time it was paused. "
            f"{manager}, your case manager, will pick it up with you when you are ready."
        )
    if progress.closure is not None:
        if feedback_given:
            return NextStep("Your support has ended. You can ask for support again at any time.")
        return NextStep(
            "Your support has ended. When you are ready, tell us what changed for you and how the support felt. "
            "You can ask for support again at any time.",
            action=("Tell us what changed for you", reverse("closure:exit_feedback", args=[case.pk])),
        )
    conversation = progress.target(Target.INITIAL_CONVERSATION)
    if conversation.is_open:
        if conversation.arranged_for:
            mode = progress.conversation.get_mode_display().lower()
            return NextStep(
                f"Your first conversation, with {manager}, is on {long_datetime(conversation.arranged_for)} ({mode}).",
                conversation.arranged_for,
            )
        asked = progress.conversation is not None and progress.conversation.doctor_asked_for_another_time
        if conversation.due < today:
            return NextStep(
                f"Your first conversation was planned by {_by(conversation.due)}, and it has not happened yet. "
                f"{SORRY} {manager}, your case manager, will confirm a new date with you."
            )
        if asked:
            return NextStep(
                f"You asked for another time for your first conversation. {manager} will be in touch to arrange it, "
                f"by {_by(conversation.due)}.",
                conversation.due,
            )
        return NextStep(
            f"{manager}, your case manager, will arrange your first conversation with you, by {_by(conversation.due)}.",
            conversation.due,
        )
    plan = progress.target(Target.PLAN_AGREED)
    if plan.is_open:
        latest = progress.latest_version
        if plan.due < today:
            lead = (
                "Your support plan is ready for you to read: you can agree it or ask for changes. "
                if latest is not None and latest.status == VersionStatus.SHARED
                else ""
            )
            return NextStep(
                f"{lead}We planned to agree your support plan by {_by(plan.due)}, and we have not managed it yet. "
                f"{SORRY} {manager} will confirm a new date with you.",
                action=("Read your support plan", reverse("plans:my_plan", args=[case.pk])) if lead else None,
            )
        if latest is not None and latest.status == VersionStatus.SHARED:
            return NextStep(
                "Your support plan is ready for you to read. You can agree it, or ask for changes, "
                f"by {_by(plan.due)}.",
                plan.due,
                action=("Read your support plan", reverse("plans:my_plan", args=[case.pk])),
            )
        if latest is not None and latest.status == VersionStatus.CHANGES_REQUESTED:
            return NextStep(
                f"{manager} is changing your support plan as you asked, so that you can agree it by {_by(plan.due)}.",
                plan.due,
            )
        return NextStep(f"You and {manager} will agree your support plan by {_by(plan.due)}.", plan.due)
    upcoming = sorted(
        (t for t in progress.targets if t.kind in (Target.MILESTONE, Target.REVIEW) and t.is_open),
        key=lambda t: t.due,
    )
    soonest = upcoming[0] if upcoming else None
    if not case.facilitator_id:
        if allocation is not None and allocation.status == AllocationStatus.PROPOSED:
            text = (
                f"We have asked {allocation.facilitator.full_name} to be your facilitator, and are waiting for their "
                "answer. We will tell you as soon as they reply."
            )
        else:
            text = f"We are finding a facilitator for you. {manager} will tell you as soon as someone has said yes."
        return NextStep(text)
    facilitator = case.facilitator.full_name
    if soonest is None:
        return NextStep(
            f"{facilitator} will arrange your sessions with you. When you are ready to finish, {manager} will talk "
            "it through with you."
        )
    if soonest.due < today:
        what = "Your review" if soonest.kind == Target.REVIEW else f"Your milestone \u201c{soonest.label}\u201d"
        return NextStep(
            f"{what} was planned for {_by(soonest.due)}. {facilitator} will agree a new date with you. "
            f"Meanwhile, {facilitator} will arrange your sessions with you."
        )
    if soonest.kind == Target.REVIEW:
        text = f"Your next review, with {facilitator}, is planned for {_by(soonest.due)}."
    else:
        text = f"Your next milestone, \u201c{soonest.label}\u201d, is planned for {_by(soonest.due)}."
    return NextStep(f"{text} {facilitator} will arrange your sessions with you.", soonest.due)
