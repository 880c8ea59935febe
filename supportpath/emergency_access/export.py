""" "Download my data": the emergency accesses to the doctor's record (each read is in the access log too)."""

from supportpath.accounts.models import DoctorProfile, Role

from .models import EmergencyAccess


def emergency_accesses(doctor: DoctorProfile) -> list[dict]:
    grants = (
        EmergencyAccess.objects.filter(support_request__doctor=doctor)
        .select_related("admin", "service", "support_request")
        .order_by("opened_at", "id")
    )
    return [
        {
            "record": g.support_request.reference,
            "who": g.admin.full_name,
            "role": Role.SERVICE_ADMIN.label,
            "organisation": g.service.name,
            "opened": g.opened_at,
            "access_ended": g.closed_at,
            "why": g.get_purpose_display(),
            "reason_given": g.reason,
            "seen_by_a_case_manager": g.seen_at,
        }
        for g in grants
    ]
