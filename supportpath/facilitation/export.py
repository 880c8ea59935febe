"""Facilitation in "Download my data": the facilitators offered and who supported the doctor, and the
preferences the doctor gave. A facilitator's reason for declining is about their own availability and is
left out."""

from supportpath.accounts.models import DoctorProfile

from .models import Allocation, MatchingPreferences


def facilitators(doctor: DoctorProfile) -> list[dict]:
    rows: list[dict] = []
    for prefs in MatchingPreferences.objects.filter(case__request__doctor=doctor).select_related("case__request"):
        rows.append(
            {
                "request": prefs.case.request.reference,
                "record": "What you would like in a facilitator",
                "gender": prefs.get_gender_display() if prefs.gender else "No preference",
                "meets_in_person": prefs.in_person,
                "trained_outside_the_uk": prefs.trained_outside_uk,
                "anything_else": prefs.anything_else,
            }
        )
    for allocation in (
        Allocation.objects.filter(case__request__doctor=doctor)
        .select_related("case__request", "facilitator")
        .order_by("proposed_at", "id")
    ):
        rows.append(
            {
                "request": allocation.case.request.reference,
                "record": "Facilitator",
                "facilitator": allocation.facilitator.full_name,
                "status": allocation.get_status_display(),
                "proposed": allocation.proposed_at,
                "answered": allocation.responded_at,
                "you_asked_for_an_introduction": allocation.intro_requested_at,
                "ended": allocation.ended_at,
                "why_it_ended": allocation.get_end_reason_display() if allocation.end_reason else "",
            }
        )
    return rows
