"""What each person sees of the pathway records. Private notes reach their author and nobody else."""

from dataclasses import dataclass, field

from supportpath.casework.models import Case
from supportpath.core.dates import long_date
from supportpath.core.written_out import records
from supportpath.referrals.models import Reason

from .models import Attendance, Mode, NeedsAssessment, NeedsAssessmentVersion, SessionVersion, SupportSession


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
    pk: int = 0
    may_correct: bool = False
    # Each correction, oldest first: {"number", "corrected_at", "changes": [(label, before, after), ...]}
    corrections: list = field(default_factory=list)

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


SESSION_LABELS = {
    "held_on": "Date",
    "mode": "How you met",
    "attendance": "Attendance",
    "shared_summary": "Summary for the doctor",
    "agreed_actions": "Actions agreed",
    "private_notes": "Private notes",
}


def _words(name: str, value) -> str:
    if name == "held_on":
        return long_date(value)
    if name == "mode":
        return Mode(value).label if value in Mode.values else str(value)
    if name == "attendance":
        return Attendance(value).label if value in Attendance.values else str(value)
    return value or "(nothing)"


def what_changed(before, after, *, with_private_notes: bool) -> list[tuple[str, str, str]]:
    """(what, before, after) for each field that differs between two versions of a session."""
    changes = []
    for name, label in SESSION_LABELS.items():
        if name == "private_notes" and not with_private_notes:
            continue
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append((label, _words(name, old), _words(name, new)))
    return changes


def corrections_of(session: SupportSession, viewer, versions: list[SessionVersion] | None = None) -> list[dict]:
    """What each correction changed, oldest first: version n against the one after it (or the session).
    ``versions``: the session's earlier versions, oldest first, when the page read them already."""
    if versions is None:
        versions = list(session.earlier_versions.all())
    author = session.facilitator_id == viewer.pk
    rows = []
    for index, version in enumerate(versions):
        after = versions[index + 1] if index + 1 < len(versions) else session
        rows.append(
            {
                "number": version.number,
                "corrected_at": version.corrected_at,
                "changes": what_changed(version, after, with_private_notes=author),
            }
        )
    return rows


_FROM_SESSION = object()


def earlier_versions_of(sessions: list[SupportSession]) -> dict[int, list[SessionVersion]]:
    """Every earlier version of these sessions, oldest first, by session: one query (none for no sessions), read
    as rows (``core.written_out``), as the case page does on every load."""
    found: dict[int, list[SessionVersion]] = {s.pk: [] for s in sessions}
    if sessions:
        for version in records(SessionVersion, "session_id IN ({ids})", list(found), order_by="number"):
            found[version.session_id].append(version)
    return found


def private_notes_of(case: Case, sessions: list[SupportSession], viewer) -> dict[int, str]:
    """The viewer's own private notes on these sessions (loaded with ``defer("private_notes")``), in one query and
    only when the viewer wrote any of them: nobody else's notes are read, let alone decrypted."""
    mine = [s.pk for s in sessions if s.facilitator_id == viewer.pk]
    if not mine:
        return {}
    return dict(case.sessions.filter(pk__in=mine).order_by().values_list("pk", "private_notes"))


def session_view(
    session: SupportSession,
    viewer,
    *,
    may_correct: bool = False,
    with_corrections: bool = False,
    private_notes=_FROM_SESSION,
    earlier_versions: list[SessionVersion] | None = None,
) -> SessionView:
    """``with_corrections`` reads ``session.earlier_versions``, unless ``earlier_versions`` gives them (for a
    list: ``earlier_versions_of``). ``private_notes``: the viewer's own notes when the list was loaded without
    them (``own_private_notes``)."""
    if private_notes is _FROM_SESSION:
        private_notes = session.private_notes if session.facilitator_id == viewer.pk else None
    elif session.facilitator_id == viewer.pk:
        session.private_notes = private_notes  # so a correction's comparison does not load them again
    return SessionView(
        pk=session.pk,
        may_correct=may_correct and session.facilitator_id == viewer.pk,
        corrections=corrections_of(session, viewer, earlier_versions) if with_corrections else [],
        attendance_code=session.attendance,
        held_on=session.held_on,
        mode=session.get_mode_display(),
        attendance=session.get_attendance_display(),
        facilitator=session.facilitator.full_name,
        shared_summary=session.shared_summary,
        agreed_actions=session.agreed_actions,
        private_notes=private_notes if session.facilitator_id == viewer.pk else None,
    )


def sessions_held_words(sessions: list[SessionView]) -> str:
    """How many sessions the doctor has had: only the ones that took place count, never a cancelled one."""
    held = sum(1 for s in sessions if s.attended)
    not_held = len(sessions) - held
    words = f"{held} session{'' if held == 1 else 's'} held so far"
    if not_held:
        words += f" ({not_held} more did not take place)"
    return words + "."


def issue_labels(assessment: NeedsAssessment | NeedsAssessmentVersion) -> list[str]:
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


ASSESSMENT_LABELS = {
    "conversation_held_on": "Date of the conversation",
    "presenting_issues": "Presenting issues",
    "doctor_goals": "The doctor's goals",
    "strengths": "Strengths",
    "individual_factors": "Individual factors",
    "team_factors": "Team factors",
    "structural_factors": "Structural factors",
    "cultural_factors": "Cultural factors",
    "mandated": "Part of a mandated process",
    "staff_notes": "Notes for the support team only",
}


def _assessment_words(name: str, value) -> str:
    if name == "conversation_held_on":
        return long_date(value)
    if name == "presenting_issues":
        return ", ".join(Reason(code).label for code in value if code in Reason.values) or "(nothing)"
    if name == "mandated":
        return "Yes" if value else "No"
    return value or "(nothing)"


def assessment_corrections(assessment: NeedsAssessment) -> list[dict]:
    """What each correction of the needs assessment changed, oldest first, for the staff's case page:
    {"number", "corrected_at", "corrected_by", "changes": [(label, before, after), ...]}. Reads
    ``assessment.earlier_versions`` (one query), unless it is the first version: every correction keeps what it
    said before and makes a new version (``services.save_needs_assessment``), so version 1 has none."""
    if assessment.version == 1:
        return []
    versions: list[NeedsAssessmentVersion] = list(assessment.earlier_versions.select_related("corrected_by"))
    rows = []
    for index, version in enumerate(versions):
        after = versions[index + 1] if index + 1 < len(versions) else assessment
        changes = [
            (label, _assessment_words(name, getattr(version, name)), _assessment_words(name, getattr(after, name)))
            for name, label in ASSESSMENT_LABELS.items()
            if getattr(version, name) != getattr(after, name)
        ]
        rows.append(
            {
                "number": version.number,
                "corrected_at": version.corrected_at,
                "corrected_by": version.corrected_by.full_name,
                "changes": changes,
            }
        )
    return rows
