"""The pathway's part of "Download my data": the initial conversation, the needs assessment as the doctor sees
it (the team's working notes are not included, as on the doctor's own pages) and the shared parts of sessions
(private notes belong to their author alone)."""

from supportpath.accounts.models import DoctorProfile

from .models import InitialConversation, NeedsAssessment, SupportSession
from .presenters import issue_labels


def conversations_and_needs(doctor: DoctorProfile) -> list[dict]:
    rows: list[dict] = []
    for conversation in InitialConversation.objects.filter(case__request__doctor=doctor).select_related(
        "case__request"
    ):
        rows.append(
            {
                "request": conversation.case.request.reference,
                "record": "Initial conversation",
                "arranged_for": conversation.scheduled_for,
                "how": conversation.get_mode_display(),
                "you_asked_for_another_time": conversation.doctor_asked_for_another_time,
                "times_you_suggested": conversation.doctor_suggested_times,
            }
        )
    for assessment in (
        NeedsAssessment.objects.filter(case__request__doctor=doctor)
        .select_related("case__request")
        .prefetch_related("earlier_versions")
    ):
        rows.append(
            {
                "request": assessment.case.request.reference,
                "record": "Needs assessment",
                "conversation_held_on": assessment.conversation_held_on,
                "what_you_would_like_help_with": issue_labels(assessment),
                "your_goals_in_your_words": assessment.doctor_goals,
                "strengths": assessment.strengths,
                "individual_factors": assessment.individual_factors,
                "team_factors": assessment.team_factors,
                "structural_factors": assessment.structural_factors,
                "cultural_factors": assessment.cultural_factors,
                "part_of_a_mandated_process": assessment.mandated,
                "your_comment": assessment.doctor_comment,
                "your_comment_written": assessment.doctor_commented_at,
                # What it said before each correction (the team's working notes left out, as above).
                "earlier_versions": [
                    {
                        "corrected_at": version.corrected_at,
                        "conversation_held_on": version.conversation_held_on,
                        "what_you_would_like_help_with": issue_labels(version),
                        "your_goals_in_your_words": version.doctor_goals,
                        "strengths": version.strengths,
                        "individual_factors": version.individual_factors,
                        "team_factors": version.team_factors,
                        "structural_factors": version.structural_factors,
                        "cultural_factors": version.cultural_factors,
                        "part_of_a_mandated_process": version.mandated,
                    }
                    for version in assessment.earlier_versions.all()
                ],
            }
        )
    return rows


def sessions(doctor: DoctorProfile) -> list[dict]:
    return [
        {
            "request": session.case.request.reference,
            "held_on": session.held_on,
            "how": session.get_mode_display(),
            "attendance": session.get_attendance_display(),
            "facilitator": session.facilitator.full_name,
            "summary": session.shared_summary,
            "agreed_actions": session.agreed_actions,
            # What it said before each correction by its author (their private notes are theirs alone).
            "earlier_versions": [
                {
                    "corrected_at": version.corrected_at,
                    "held_on": version.held_on,
                    "how": version.get_mode_display(),
                    "attendance": version.get_attendance_display(),
                    "summary": version.shared_summary,
                    "agreed_actions": version.agreed_actions,
                }
                for version in session.earlier_versions.all()
            ],
        }
        for session in SupportSession.objects.filter(case__request__doctor=doctor)
        .select_related("case__request", "facilitator")
        .prefetch_related("earlier_versions")
        .order_by("held_on", "id")
    ]
