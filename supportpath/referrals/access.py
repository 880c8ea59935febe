"""The only ways a view may reach a support request. Each returns the request or raises Http404, and logs
every read by someone other than the request's doctor (``supportpath.audit``).

Refusals are 404, not 403, so that nobody can learn whether a reference exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids, referring_organisation_ids
from supportpath.accounts.roles import is_doctor
from supportpath.audit.log import record_access

from .models import SupportRequest


def requests_for_doctor(user: User) -> QuerySet[SupportRequest]:
    if not is_doctor(user):
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(doctor=user.doctor_profile)


def requests_for_case_manager(user: User) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(service_id__in=current_organisation_ids(user, Role.CASE_MANAGER))


def referrals_made_by(user: User) -> QuerySet[SupportRequest]:
    """The referrals this person made on behalf of an organisation where they still refer (a referrer or a
    responsible officer there today): once their role there ends, so does their view of its referrals."""
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(
        referrer_id=user.pk, referrer_organisation_id__in=referring_organisation_ids(user)
    )


def get_own_request(user: User, reference: str) -> SupportRequest:
    """A doctor's own request. Not logged: doctors reading their own record is not an access by others."""
    try:
        return (
            requests_for_doctor(user)
            .select_related("service", "referrer", "referrer_organisation")
            .get(reference=reference)
        )
    except SupportRequest.DoesNotExist:
        raise Http404("No such request") from None


def get_request_for_case_manager(user: User, reference: str, *, purpose: str, action: str = "viewed") -> SupportRequest:
    try:
        support_request = (
            requests_for_case_manager(user)
            .select_related("doctor__user", "service", "referrer", "referrer_organisation")
            .get(reference=reference)
        )
    except SupportRequest.DoesNotExist:
        raise Http404("No such request") from None
    record_access(
        actor=user,
        role=Role.CASE_MANAGER,
        organisation=support_request.service.name,
        doctor=support_request.doctor,
        action=action,
        what=f"Support request {support_request.reference}",
        obj=support_request,
        purpose=purpose,
    )
    return support_request


def get_referral_for_referrer(user: User, reference: str, *, action: str = "viewed") -> SupportRequest:
    """A referral, for the person who made it. They see only the status the doctor agreed to share; the
    read (or, with ``action="changed"``, a change they made) is logged all the same."""
    referral = find_referral_for_referrer(user, reference)
    log_referrer_access(user, referral, action=action)
    return referral


def find_referral_for_referrer(user: User, reference: str) -> SupportRequest:
    """The referral, for the person who made it, or 404, with the read not logged yet: for a press whose
    outcome decides what the log says (``log_referrer_access`` must follow, whatever happens)."""
    try:
        return referrals_made_by(user).select_related("doctor__user", "referrer_organisation").get(reference=reference)
    except SupportRequest.DoesNotExist:
        raise Http404("No such referral") from None


def log_referrer_access(user: User, referral: SupportRequest, *, action: str) -> None:
    record_access(
        actor=user,
        role=Role.REFERRER,
        organisation=referral.referrer_organisation.name if referral.referrer_organisation else "",
        doctor=referral.doctor,
        action=action,
        what=f"Status of referral {referral.reference}",
        obj=referral,
        purpose="Following up a referral they made",
    )


def find_invitation(token: str):
    """The invitation a link's token belongs to, used or not, or None. The token itself is the credential,
    so no sign-in is needed to reach it; only its hash is stored."""
    from .models import ReferralInvitation, hash_token

    return (
        ReferralInvitation.objects.select_related(
            "request__doctor__user", "request__referrer", "request__service", "request__referrer_organisation"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
