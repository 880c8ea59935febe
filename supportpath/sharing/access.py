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

from .agreement import grants_for, shares_with_officer
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


def officer_list(user: User) -> QuerySet[SupportRequest]:
    """The responsible officer's list: the requests ``requests_for_responsible_officer`` gives, read by the flag
    the sharing agreement keeps on each request (``visible_to_officer``) and its index, in the list's order
    (docs/scale.md). The flag only narrows what the employer gives: each row shown is checked again against
    its own grants (``officer_may_see``) before it is shown or logged."""
    organisations = current_organisation_ids(user, Role.RESPONSIBLE_OFFICER)
    if not organisations:
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(doctor_employer_id__in=organisations, visible_to_officer=True)


def officer_may_see(support_request: SupportRequest) -> bool:
    """The rule ``requests_for_responsible_officer`` applies in SQL, for one row of ``officer_list`` (its grants
    prefetched): mandated, or shared with the responsible officer or the employer."""
    return support_request.mandated or shares_with_officer(grants_for(support_request))


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
