"""The doctor's exit feedback in "Download my data", in the same file as their reviews, milestones and closing."""

from supportpath.accounts.models import DoctorProfile
from supportpath.progress import export as progress_export

from .models import STATEMENTS, Agreement, ExitFeedback


def feedback(doctor: DoctorProfile) -> list[dict]:
    mine = {"case__request__doctor": doctor}
    rows: list[dict] = []
    for feedback in ExitFeedback.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": feedback.case.request.reference,
                "record": "Your feedback",
                "given": feedback.given_at,
                "what_changed_in_your_words": feedback.what_changed,
                "your_case_manager_may_read_it": "Yes" if feedback.team_may_read else "No",
                "your_answers": [
                    f"{STATEMENTS[key]}: {Agreement(value).label}"
                    for key, value in feedback.answers.items()
                    if key in STATEMENTS
                ],
                "becoming_a_peer_supporter": feedback.get_peer_supporter_display(),
            }
        )
    return rows


def progress_and_feedback(doctor: DoctorProfile) -> list[dict]:
    return progress_export.progress(doctor) + feedback(doctor)
