"""What each person sees of the pathway records. Private notes reach their author and nobody else."""

from dataclasses import dataclass

from supportpath.referrals.models import Reason

from .models import Attendance, NeedsAssessment, SupportSession


@dataclass(frozen=True)
class SessionView:
    held_on: object
    mode: str
    attendance: str
    facilitator: str
    shared_summary: str
    agreed_actions: str
    private_notes: str | None  # None: the viewer may not read them
    attendance_code: str = Attendance.ATTENDED

    @property
    def attended(self) -> bool:
        return self.attendance_code == Attendance.ATTENDED

    @property
    def doctor_tag(self) -> dict | None:
        """The tag the doctor sees on a session that did not take place (none on one that did)."""
        if self.attendance_code in (Attendance.CANCELLED_BY_DOCTOR, Attendance.CANCELLED_BY_FACILITATOR):
            return {"text": "Cancelled", "classes": "nhsuk-tag--grey"}
        if self.attendance_code == Attendance.DID_NOT_ATTEND:
            return {"text": "Did not take place", "classes": "nhsuk-tag--grey"}
        return None

    @property
    def doctor_words(self) -> str:
        """Who cancelled, in the doctor's words: plain, and without blame."""
        if self.attendance_code == Attendance.CANCELLED_BY_DOCTOR:
            return "You cancelled this session."
        if self.attendance_code == Attendance.CANCELLED_BY_FACILITATOR:
            return f"{self.facilitator} cancelled this session."
        if self.attendance_code == Attendance.DID_NOT_ATTEND:
            return "This session did not go ahead."
        return ""


def session_view(session: SupportSession, viewer) -> SessionView:
    return SessionView(
        attendance_code=session.attendance,
        held_on=session.held_on,
        mode=session.get_mode_display(),
        attendance=session.get_attendance_display(),
        facilitator=session.facilitator.full_name,
        shared_summary=session.shared_summary,
        agreed_actions=session.agreed_actions,
        private_notes=session.private_notes if session.facilitator_id == viewer.pk else None,
    )


def sessions_held_words(sessions: list[SessionView]) -> str:
    """How many sessions the doctor has had: only the ones that took place count, never a cancelled one."""
    held = sum(1 for s in sessions if s.attended)
    not_held = len(sessions) - held
    words = f"{held} session{'' if held == 1 else 's'} held so far"
    if not_held:
        words += f" ({not_held} more did not take place)"
    return words + "."


def issue_labels(assessment: NeedsAssessment) -> list[str]:
    return [Reason(code).label for code in assessment.presenting_issues if code in Reason.values]


def assessment_rows(assessment: NeedsAssessment, *, for_doctor: bool) -> list[dict]:
    """Summary-list rows; the team's working notes are left out for the doctor."""
    rows = [
        ("What you would like help with" if for_doctor else "Presenting issues", ", ".join(issue_labels(assessment))),
        ("Your goals, in your words" if for_doctor else "The doctor's goals", assessment.doctor_goals),
        ("Strengths", assessment.strengths),
        ("Individual factors", assessment.individual_factors),
        ("Team factors", assessment.team_factors),
        ("Structural factors", assessment.structural_factors),
        ("Cultural factors", assessment.cultural_factors),
        ("Part of a mandated process", "Yes" if assessment.mandated else "No"),
    ]
    if not for_doctor:
        rows.append(("Notes for the support team only", assessment.staff_notes))
    return [{"key": {"text": key}, "value": {"text": value or "Not recorded"}} for key, value in rows]
