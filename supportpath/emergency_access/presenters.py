"""What each person sees of emergency access: the read-only record for the admin, the alert for case
managers, the notice for the doctor and the admin's own history.

The record shows what the doctor can see of their own record and no more: the team's working notes on the
needs assessment and facilitators' private session notes are never loaded, let alone shown.
"""

from dataclasses import dataclass, field

from supportpath.accounts.models import Role
from supportpath.casework.models import Case
from supportpath.core.dates import long_date, long_datetime
from supportpath.pathway.models import InitialConversation, NeedsAssessment, SupportSession
from supportpath.pathway.presenters import issue_labels
from supportpath.plans.models import PlanVersion
from supportpath.plans.presenters import plan_view
from supportpath.referrals.models import SupportRequest

from .models import EmergencyAccess, Purpose

Rows = list[dict]


def _rows(pairs: list[tuple[str, str]]) -> Rows:
    """Summary-list rows, with "Not recorded" for anything empty."""
    return [{"key": {"text": key}, "value": {"text": value or "Not recorded"}} for key, value in pairs]


@dataclass(frozen=True)
class SessionSummary:
    held_on: str
    attendance: str
    mode: str
    facilitator: str
    shared_summary: str
    agreed_actions: str


@dataclass
class RecordView:
    support_request: SupportRequest
    doctor_name: str
    reference: str
    request_rows: Rows
    case: Case | None = None
    case_rows: Rows = field(default_factory=list)
    assessment_rows: Rows = field(default_factory=list)
    assessment_comment: str = ""
    plan_version: PlanVersion | None = None
    plan: dict | None = None
    sessions: list[SessionSummary] = field(default_factory=list)

    @property
    def what_was_read(self) -> str:
        """What the access log says was seen: exactly the parts this page showed."""
        parts = ["support request"]
        if self.case:
            parts.append("case summary")
        if self.assessment_rows:
            parts.append("needs assessment")
        if self.plan:
            parts.append(f"support plan (version {self.plan_version.number})")
        if self.sessions:
            count = len(self.sessions)
            parts.append(f"{count} session summar{'y' if count == 1 else 'ies'}")
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{listed[0].upper()}{listed[1:]} ({self.reference})"


def _request_rows(r: SupportRequest) -> Rows:
    pairs = [
        ("Received", long_datetime(r.submitted_at)),
        ("Status", r.get_status_display()),
        ("Route", r.get_route_display()),
        ("Reasons", ", ".join(r.reason_labels)),
        ("Urgent", "Yes" if r.urgent else "No"),
    ]
    if r.urgent:
        pairs.append(("Why it is urgent", r.urgency_details))
    pairs.append(("In the doctor's words", r.doctor_account))
    if r.is_referral:
        pairs += [
            ("Referred by", f"{r.referrer.full_name}, {r.referrer_organisation.name}" if r.referrer else ""),
            ("Why they referred", r.referral_description),
            ("Mandated", "Yes" if r.mandated else "No"),
        ]
    pairs += [
        ("Email address", r.doctor.user.email),
        ("How they would like to be contacted", r.get_contact_method_display() if r.contact_method else ""),
        ("Phone", r.contact_phone),
        ("Good times to contact", r.contact_times),
        ("First contact due by", long_date(r.first_contact_due)),
        ("First contact made", long_date(r.first_contact_on)),
    ]
    if r.handed_over_to:
        pairs.append(("Handed over to", r.get_handed_over_to_display()))
    return _rows(pairs)


def _case_rows(case: Case, conversation: InitialConversation | None) -> Rows:
    return _rows(
        [
            ("Stage", case.get_stage_display()),
            ("Case manager", case.case_manager.full_name),
            ("Facilitator", case.facilitator.full_name if case.facilitator else "Not yet allocated"),
            (
                "Initial conversation",
                f"{long_datetime(conversation.scheduled_for)}, {conversation.get_mode_display().lower()}"
                if conversation
                else "Not arranged yet",
            ),
            ("Initial conversation due by", long_date(case.initial_conversation_due)),
            ("Plan agreed due by", long_date(case.plan_agreed_due)),
        ]
    )


def _assessment_rows(assessment: NeedsAssessment) -> Rows:
    # Deliberately not the team's working notes (staff_notes): what the doctor sees, no more.
    return _rows(
        [
            ("Conversation held on", long_date(assessment.conversation_held_on)),
            ("Presenting issues", ", ".join(issue_labels(assessment))),
            ("The doctor's goals", assessment.doctor_goals),
            ("Strengths", assessment.strengths),
            ("Individual factors", assessment.individual_factors),
            ("Team factors", assessment.team_factors),
            ("Structural factors", assessment.structural_factors),
            ("Cultural factors", assessment.cultural_factors),
            ("Part of a mandated process", "Yes" if assessment.mandated else "No"),
        ]
    )


def record_view(support_request: SupportRequest, case: Case | None) -> RecordView:
    """Everything the emergency-access page shows of a request and its case (``access.record_under`` reads
    both), read in a fixed number of queries."""
    view = RecordView(
        support_request=support_request,
        doctor_name=support_request.doctor.user.display_name,
        reference=support_request.reference,
        request_rows=_request_rows(support_request),
    )
    if case is None:
        return view
    view.case = case
    view.case_rows = _case_rows(case, InitialConversation.objects.filter(case=case).first())
    assessment = NeedsAssessment.objects.defer("staff_notes").filter(case=case).first()
    if assessment is not None:
        view.assessment_rows = _assessment_rows(assessment)
        view.assessment_comment = assessment.doctor_comment
    # The latest version the doctor has been shown; a draft in progress is the team's work, not the record.
    version = PlanVersion.objects.filter(plan__case=case, shared_at__isnull=False).order_by("-number").first()
    if version is not None:
        view.plan_version = version
        view.plan = plan_view(version.content)
    sessions = (
        SupportSession.objects.filter(case=case)
        .defer("private_notes")  # never even loaded
        .select_related("facilitator")
        .order_by("-held_on", "-id")
    )
    view.sessions = [
        SessionSummary(
            held_on=long_date(s.held_on),
            attendance=s.get_attendance_display(),
            mode=s.get_mode_display(),
            facilitator=s.facilitator.full_name,
            shared_summary=s.shared_summary,
            agreed_actions=s.agreed_actions,
        )
        for s in sessions
    ]
    return view


def state(grant: EmergencyAccess) -> tuple[str, str]:
    """A short tag for a grant, and its NHS tag colour."""
    if grant.is_active:
        return "Open now", "nhsuk-tag--orange"
    if grant.ended_at:
        return "Ended", "nhsuk-tag--grey"
    return "Expired", "nhsuk-tag--grey"


@dataclass(frozen=True)
class GrantRow:
    pk: int
    reference: str
    purpose: str
    reason: str
    opened: str
    closed: str
    state: str
    state_classes: str
    is_active: bool
    reads: int
    last_read: str


def grant_row(grant: EmergencyAccess, reads: list) -> GrantRow:
    """``reads``: the access-log rows written under this grant, newest first."""
    tag, classes = state(grant)
    return GrantRow(
        pk=grant.pk,
        reference=grant.support_request.reference,
        purpose=grant.get_purpose_display(),
        reason=grant.reason,
        opened=long_datetime(grant.opened_at),
        closed=long_datetime(grant.closed_at),
        state=tag,
        state_classes=classes,
        is_active=grant.is_active,
        reads=len(reads),
        last_read=long_datetime(reads[0].at) if reads else "",
    )


@dataclass(frozen=True)
class AlertRow:
    pk: int
    who: str
    reference: str
    opened: str
    until: str
    is_active: bool
    # Only on the alert's own page, whose opening is logged: the inbox shows neither (docs/emergency-access.md).
    purpose: str = ""
    reason: str = ""


def alert_row(grant: EmergencyAccess, *, with_reason: bool = False) -> AlertRow:
    """An alert for case managers: that emergency access happened, who, when and the record's reference;
    ``with_reason`` adds the purpose and the admin's own words, for the page whose opening is logged."""
    return AlertRow(
        pk=grant.pk,
        who=grant.admin.full_name,
        reference=grant.support_request.reference,
        opened=long_datetime(grant.opened_at),
        until=long_datetime(grant.closed_at),
        is_active=grant.is_active,
        purpose=grant.get_purpose_display() if with_reason else "",
        reason=grant.reason if with_reason else "",
    )


@dataclass(frozen=True)
class NoticeRow:
    pk: int
    who: str
    role: str
    service: str
    opened: str
    until: str
    purpose: str
    reason: str


# The purposes as the doctor reads them on My support (the access log keeps the admin's own choice of words).
PURPOSE_FOR_DOCTOR = {
    Purpose.SAFETY: "a concern for your safety, or someone else's",
    Purpose.URGENT_REQUEST: "you needed something urgently and nobody working on your support could be reached",
    Purpose.COMPLAINT: "looking into a complaint or incident about how your support was handled",
    Purpose.LEGAL_DUTY: "a legal duty, such as a court order",
}


def notice_row(grant: EmergencyAccess) -> NoticeRow:
    return NoticeRow(
        pk=grant.pk,
        who=grant.admin.full_name,
        role=Role.SERVICE_ADMIN.label.lower(),
        service=grant.service.name,
        opened=long_datetime(grant.opened_at),
        until=long_datetime(grant.closed_at),
        purpose=PURPOSE_FOR_DOCTOR.get(grant.purpose, grant.get_purpose_display().lower()),
        reason=grant.reason,
    )
