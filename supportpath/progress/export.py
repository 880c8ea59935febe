"""Progress and closing in "Download my data": reviews of goals (with the doctor's reflections), milestones
reached, new dates the doctor was told, reassessments, closure and the doctor's own feedback."""

from supportpath.accounts.models import DoctorProfile

from .models import STATEMENTS, Agreement, Closure, ExitFeedback, MilestoneDone, Reassessment, Review, RevisedDate


def progress(doctor: DoctorProfile) -> list[dict]:
    mine = {"case__request__doctor": doctor}
    rows: list[dict] = []
    for review in Review.objects.filter(**mine).select_related("case__request", "recorded_by"):
        rows.append(
            {
                "request": review.case.request.reference,
                "record": "Review of goals",
                "held_on": review.held_on,
                "recorded_by": review.recorded_by.full_name,
                "goal_scores": [f"{s['goal']}: {s['level']:+d}" for s in review.scores],
                "goal_attainment_t_score": round(review.t_score, 1),
                "notes": review.notes,
                "your_reflection": review.doctor_reflection,
            }
        )
    for done in MilestoneDone.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": done.case.request.reference,
                "record": "Milestone reached",
                "milestone": done.text,
                "due": done.due,
                "reached_on": done.done_on,
            }
        )
    for revised in RevisedDate.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": revised.case.request.reference,
                "record": "New date you were told",
                "what": revised.label,
                "first_due": revised.original_due,
                "new_date": revised.new_due,
            }
        )
    for reassessment in Reassessment.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": reassessment.case.request.reference,
                "record": "Reassessment",
                "held_on": reassessment.held_on,
                "carried_out_by": reassessment.assessed_by,
                "outcome": reassessment.get_outcome_display(),
                "details": reassessment.details,
            }
        )
    for closure in Closure.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": closure.case.request.reference,
                "record": "Closure",
                "closed_on": closure.closed_on,
                "reason": closure.get_reason_display(),
                "other_reason": closure.other_reason,
                "handed_over_to": closure.get_handed_over_to_display() if closure.handed_over_to else "",
                "final_goal_attainment_t_score": closure.final_t_score,
            }
        )
    for feedback in ExitFeedback.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": feedback.case.request.reference,
                "record": "Your feedback",
                "given": feedback.given_at,
                "what_changed_in_your_words": feedback.what_changed,
                "your_answers": [
                    f"{STATEMENTS[key]}: {Agreement(value).label}"
                    for key, value in feedback.answers.items()
                    if key in STATEMENTS
                ],
                "becoming_a_peer_supporter": feedback.get_peer_supporter_display(),
            }
        )
    return rows
