"""Progress and closing in "Download my data": reviews of goals (with the doctor's reflections), milestones
reached, new dates the doctor was told and why, the honest updates sent when something was late,
pauses, reassessments and closure (the doctor's own feedback is ``closure.export``)."""

from supportpath.accounts.models import DoctorProfile

from .models import (
    Closure,
    MilestoneDone,
    NoticeKind,
    Pause,
    Reassessment,
    Review,
    RevisedDate,
    TargetNotice,
)


def progress(doctor: DoctorProfile) -> list[dict]:
    mine = {"case__request__doctor": doctor}
    rows: list[dict] = []
    for review in (
        Review.objects.filter(**mine)
        .select_related("case__request", "recorded_by")
        .prefetch_related("earlier_versions")
    ):
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
                # What it said before each correction by its author.
                "earlier_versions": [
                    {
                        "corrected_at": version.corrected_at,
                        "held_on": version.held_on,
                        "goal_scores": [f"{s['goal']}: {s['level']:+d}" for s in version.scores],
                        "goal_attainment_t_score": round(version.t_score, 1),
                        "notes": version.notes,
                    }
                    for version in review.earlier_versions.all()
                ],
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
                "what": revised.label or revised.get_target_display(),
                "first_due": revised.original_due,
                "new_date": revised.new_due,
                "why": revised.reason,
            }
        )
    for notice in TargetNotice.objects.filter(request__doctor=doctor, kind=NoticeKind.LATE).select_related("request"):
        rows.append(
            {
                "request": notice.request.reference,
                "record": "We told you this was late",
                "what": notice.label or notice.get_target_display(),
                "was_due": notice.due,
                "told_on": notice.sent_on,
            }
        )
    for pause in Pause.objects.filter(**mine).select_related("case__request"):
        rows.append(
            {
                "request": pause.case.request.reference,
                "record": "Support paused",
                "why": pause.get_reason_display(),
                "what_you_were_told": pause.explanation,
                "from": pause.started_on,
                "until": pause.ended_on,
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
                "handed_over_to": closure.handed_over_to_label,
                "why_that_service": closure.handover_reason,
                "final_goal_attainment_t_score": closure.final_t_score,
            }
        )
    return rows
