"""The casework app's section of "Download my data": the doctor's support cases. Registered in
CaseworkConfig.ready()."""

from supportpath.accounts.models import DoctorProfile

from .models import Case


def cases(doctor: DoctorProfile) -> list[dict]:
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
