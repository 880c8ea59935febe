"""The whole pathway as the doctor sees it: each stage, where they are, what happens next and by when."""

from dataclasses import dataclass, field

from supportpath.core.dates import long_date

from .models import HandoverDestination, Status, SupportRequest

STAGES = [
    ("received", "We received your request"),
    ("first_contact", "We get in touch"),
    ("initial_conversation", "Your first conversation"),
    ("planning", "Agreeing your support plan"),
    ("support", "Support"),
    ("closed", "Looking back and closing"),
]
CASE_STAGE_ORDER = ["first_contact", "initial_conversation", "planning", "support", "closed"]


@dataclass
class StageView:
    title: str
    state: str  # done, current, to do
    detail: str = ""


@dataclass
class PathwayView:
    request: SupportRequest
    stages: list[StageView] = field(default_factory=list)
    next_step: str = ""
    handed_over_to: str = ""
    case_pk: int | None = None


def _case(support_request: SupportRequest):
    try:
        return support_request.case
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist when no case yet
        return None


def pathway_for(support_request: SupportRequest) -> PathwayView:
    view = PathwayView(request=support_request)
    case = _case(support_request)
    if support_request.status == Status.HANDED_OVER:
        view.handed_over_to = HandoverDestination(support_request.handed_over_to).label
        view.next_step = (
            f"We have passed your request to {view.handed_over_to}, with your agreement. "
            "They will contact you. You can come back to us at any time."
        )
    if case is not None:
        view.case_pk = case.pk
        current = case.stage
    elif support_request.status in (Status.CONTACTED, Status.ACCEPTED):
        current = "initial_conversation"
    else:
        current = "first_contact"
    position = CASE_STAGE_ORDER.index(current) + 1 if current in CASE_STAGE_ORDER else 1
    for index, (key, title) in enumerate(STAGES):
        if index < position:
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "to do"
        stage = StageView(title=title, state=state)
        if key == "received":
            stage.detail = long_date(support_request.submitted_at)
        elif key == "first_contact":
            stage.detail = (
                f"Contacted on {long_date(support_request.first_contact_on)}"
                if support_request.first_contact_on
                else f"By {long_date(support_request.first_contact_due)}"
            )
        elif key == "initial_conversation" and case is not None:
            stage.detail = f"By {long_date(case.initial_conversation_due)}"
        elif key == "planning" and case is not None:
            stage.detail = f"By {long_date(case.plan_agreed_due)}"
        view.stages.append(stage)
    if not view.next_step:
        if current == "first_contact" and not support_request.first_contact_on:
            view.next_step = (
                f"Someone from {support_request.service.name} will contact you by "
                f"{long_date(support_request.first_contact_due)}."
            )
        elif current == "initial_conversation":
            due = f" by {long_date(case.initial_conversation_due)}" if case else ""
            view.next_step = f"Your case manager will arrange a first conversation with you{due}."
        elif current == "planning" and case is not None:
            view.next_step = (
                f"You and your case manager will agree your support plan by {long_date(case.plan_agreed_due)}."
            )
        elif current == "support":
            view.next_step = "Your support is under way. Your facilitator will arrange sessions with you."
        elif current == "closed":
            view.next_step = "Your support has finished. You can ask for support again at any time."
    return view
