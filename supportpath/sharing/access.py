"""The only ways a responsible officer reaches a doctor's support request: the doctors employed by their
organisation who share something with their responsible officer or employer, or whose referral is part of a
formal process. Anything else is 404, and every read of a request is logged for the doctor to see.

The person who referred reaches a referral through ``supportpath.referrals.access``; the doctor their own
requests through the same module.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.audit.log import record_access
from supportpath.referrals.models import SupportRequest

from .choices import Audience
from .models import Grant


def requests_for_responsible_officer(user: User) -> QuerySet[SupportRequest]:
    organisations = current_organisation_ids(user, Role.RESPONSIBLE_OFFICER)
    if not organisations:
        return SupportRequest.objects.none()
    # The employer kept on the request (equal to the doctor's: ``referrals.employer_copy``), so the list reads the
    # employer's requests by its index rather than every doctor the employer has; and the requests that share
    # are looked for among that employer's only, not among every grant in the country (docs/scale.md).
    sharing = Grant.objects.filter(
        agreement__request__doctor_employer_id__in=organisations,
        audience__in=[Audience.RESPONSIBLE_OFFICER, Audience.EMPLOYER],
    ).values("agreement__request_id")
    return SupportRequest.objects.filter(doctor_employer_id__in=organisations).filter(
        Q(mandated=True) | Q(pk__in=sharing)
    )


def get_request_for_responsible_officer(user: User, reference: str) -> SupportRequest:
    try:
        support_request = (
            requests_for_responsible_officer(user)
            .select_related("doctor__user", "doctor__employer", "service", "referrer")
            .get(reference=reference)
        )
    except SupportRequest.DoesNotExist:
        raise Http404("No such request") from None
    record_access(
        actor=user,
        role=Role.RESPONSIBLE_OFFICER,
        organisation=support_request.doctor.employer.name,
        doctor=support_request.doctor,
        action="viewed",
        what=f"What is shared with the responsible officer and employer, request {support_request.reference}",
        obj=support_request,
        purpose=(
            "Following a formal process the referral is part of"
            if support_request.mandated
            else "Reading what the doctor chose to share with their responsible officer and employer"
        ),
    )
    return support_request
