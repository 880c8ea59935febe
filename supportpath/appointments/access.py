"""The only way a view reaches an appointment: through its case, by the person who arranges that kind (the
case manager for the first conversation, the case's facilitator for sessions and reviews), on an open case.
404 otherwise; the read is logged through ``casework.access.get_case_for``."""

from django.http import Http404

from supportpath.accounts.models import User
from supportpath.casework.access import CASE_MANAGER_ONLY, FACILITATOR_ONLY, get_case_for

from .models import Appointment, Kind


def get_appointment_for(user: User, pk: int, *, purpose: str, action: str = "viewed") -> Appointment:
    if not user.is_authenticated:
        raise Http404("No such appointment")
    appointment = Appointment.objects.filter(pk=pk).only("pk", "case_id", "kind").first()
    if appointment is None:
        raise Http404("No such appointment")
    only = CASE_MANAGER_ONLY if appointment.kind == Kind.FIRST_CONVERSATION else FACILITATOR_ONLY
    case = get_case_for(
        user,
        appointment.case_id,
        purpose=purpose,
        action=action,
        what=f"An appointment arranged ahead ({appointment.get_kind_display().lower()})",
        only=only,
        writes=True,
    )
    appointment = Appointment.objects.get(pk=pk)
    appointment.case = case
    return appointment
