"""The sections of "Download my data" for the records that exist today. Registered in AuditConfig.ready()."""

from supportpath.accounts.models import DoctorProfile

from .data_export import register_section
from .models import AccessRecord
from .presenters import action_label


def profile(doctor: DoctorProfile) -> dict:
    user = doctor.user
    data = {
        "name": user.full_name,
        "email": user.email,
        "gmc_reference_number": doctor.gmc_number,
        "career_stage": doctor.get_career_stage_display(),
        "contract": doctor.get_contract_type_display(),
        "specialty": doctor.specialty,
        "primary_medical_qualification": doctor.get_qualification_region_display(),
        "employer": doctor.employer.name if doctor.employer else "",
        "phone": doctor.phone,
        "preferred_times_to_be_contacted": doctor.preferred_contact_times,
        "account_created": user.date_joined,
    }
    equality = getattr(doctor, "equality", None)
    if equality is not None:
        from supportpath.accounts.equality import AGE_BANDS, DISABILITY, ETHNIC_GROUPS, GENDERS

        def label(choices, value: str) -> str:
            return dict(choices).get(value, value)

        data["equality_monitoring"] = {
            "your_age": label(AGE_BANDS, equality.age_band),
            "your_gender": label(GENDERS, equality.gender),
            "your_ethnic_group": label(ETHNIC_GROUPS, equality.ethnic_group),
            "disability_or_long_term_condition": label(DISABILITY, equality.disability),
        }
    return data


def support_requests(doctor: DoctorProfile) -> list[dict]:
    from supportpath.referrals.models import SupportRequest

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
    from supportpath.referrals.models import SupportRequest

    rows = []
    for r in SupportRequest.objects.filter(doctor=doctor).order_by("submitted_at"):
        if r.handed_over_to:
            rows.append({"request": r.reference, "choice": "You agreed to the handover", "value": r.handover_consent})
    return rows


def cases(doctor: DoctorProfile) -> list[dict]:
    from supportpath.casework.models import Case

    return [
        {
            "reference": c.request.reference,
            "opened": c.opened_at,
            "stage": c.get_stage_display(),
            "case_manager": c.case_manager.full_name,
            "facilitator": c.facilitator.full_name if c.facilitator else "",
            "initial_conversation_due": c.initial_conversation_due,
            "plan_agreed_due": c.plan_agreed_due,
        }
        for c in Case.objects.filter(request__doctor=doctor).select_related("request", "case_manager", "facilitator")
    ]


def access_log(doctor: DoctorProfile) -> list[dict]:
    return [
        {
            "when": record.at,
            "who": record.actor_name,
            "role": record.actor_role,
            "organisation": record.actor_organisation,
            "action": action_label(record),
            "what": record.what,
            "why": record.purpose,
        }
        for record in AccessRecord.objects.filter(doctor=doctor).order_by("at", "id").iterator()
    ]


def register_all() -> None:
    register_section("profile", "Your details", profile, order=10)
    register_section("support-requests", "Your requests and referrals", support_requests, order=20)
    register_section("cases", "Your support cases", cases, order=30)
    register_section("consents", "Your consents to handovers", consents, order=90)
    register_section("access-log", "Who has seen your record", access_log, order=100)
