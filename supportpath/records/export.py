"""The doctor's erasure requests, as a section of "Download my data"."""

from supportpath.accounts.models import DoctorProfile


def erasure_requests(doctor: DoctorProfile) -> list[dict]:
    from .models import ErasureRequest

    return [
        {
            "reference": r.reference,
            "service": r.service.name,
            "asked": r.asked_at,
            "what_you_told_us": r.doctor_note,
            "status": r.get_status_display(),
            "decided": r.decided_at,
            "why_the_record_is_kept": r.decline_reason,
        }
        for r in ErasureRequest.objects.filter(doctor=doctor).select_related("service").order_by("asked_at", "id")
    ]
