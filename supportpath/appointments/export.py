"""Appointments in "Download my data": when, how long, how, and what happened."""

from supportpath.accounts.models import DoctorProfile

from .models import Appointment


def appointments(doctor: DoctorProfile) -> list[dict]:
    return [
        {
            "request": a.case.request.reference,
            "what": a.get_kind_display(),
            "when": a.starts_at,
            "minutes": a.minutes,
            "how": a.get_how_display(),
            "joining_link": a.join_url,
            "place": a.place,
            "status": a.get_status_display(),
            "cancelled_by": a.get_cancelled_by_display() if a.cancelled_by else "",
        }
        for a in Appointment.objects.filter(case__request__doctor=doctor).select_related("case__request")
    ]
