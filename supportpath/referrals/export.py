"""The referrals app's sections of "Download my data": the doctor's requests and referrals, and their consents to
handovers. Registered in ReferralsConfig.ready()."""

from supportpath.accounts.models import DoctorProfile

from .models import SupportRequest


def support_requests(doctor: DoctorProfile) -> list[dict]:
    requests = (
        SupportRequest.objects.filter(doctor=doctor)
        .select_related("service", "referrer", "referrer_organisation")
        .prefetch_related("reasons", "doctor_comments", "contact_attempts")
        .order_by("submitted_at")
    )
    return [
        {
            "reference": r.reference,
            "service": r.service.name,
            "route": r.get_route_display(),
            "reasons": r.reason_labels,
            "your_account": r.doctor_account,
            "referred_by": r.referrer.full_name if r.referrer else "",
            "referrer_organisation": r.referrer_organisation.name if r.referrer_organisation else "",
            "referral_description": r.referral_description,
            "discussed_with_you": r.discussed_with_doctor,
            "mandated": r.mandated,
            "your_comments": [{"written": c.created_at, "text": c.text} for c in r.doctor_comments.all()],
            "contact_method": r.get_contact_method_display() if r.contact_method else "",
            "contact_phone": r.contact_phone,
            "contact_times": r.contact_times,
            "urgent": r.urgent,
            "urgency_details": r.urgency_details,
            "urgency_dealt_with_on": r.urgent_dealt_with_on,
            "what_was_done_about_the_urgency": r.urgent_action,
            "status": r.get_status_display(),
            "submitted": r.submitted_at,
            "first_contact_due": r.first_contact_due,
            "first_contact_on": r.first_contact_on,
            "handed_over_to": r.get_handed_over_to_display() if r.handed_over_to else "",
            "handover_reason": r.handover_reason,
            "attempts_to_contact_you": [
                {"on": a.made_on, "how": a.get_method_display(), "what_happened": a.get_outcome_display()}
                for a in r.contact_attempts.all()
            ],
            "how_it_ended": r.get_ended_as_display() if r.ended_as else "",
            "ended": r.ended_at,
            "your_reason_for_ending_it": r.ending_reason,
            "your_reason_shared_with_the_person_who_referred_you": r.ending_reason_shared,
            "service_suggested_instead": r.get_signposted_to_display() if r.signposted_to else "",
            "message_from_the_service": r.ending_message,
        }
        for r in requests
    ]


def consents(doctor: DoctorProfile) -> list[dict]:
    """Consents other than sharing (who may see what is the sharing app's section, "sharing")."""
    rows = []
    for r in SupportRequest.objects.filter(doctor=doctor).order_by("submitted_at"):
        if r.handed_over_to:
            rows.append({"request": r.reference, "choice": "You agreed to the handover", "value": r.handover_consent})
    return rows
