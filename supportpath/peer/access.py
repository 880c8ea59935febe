"""The only ways a view reaches a peer-support record. Each raises Http404 for anyone it is not for.

- A doctor reaches their own offer, requests, matches and group memberships.
- A peer supporter reaches a match only once the doctor who asked has said yes to them (the doctor chose them),
  and sees of that doctor only what the doctor chose to tell; names only when both said yes; nothing after the
  match ends.
- Case managers of the service reach its peer supporters, requests, matches and concerns; each read of a named
  doctor is logged for that doctor.
- A group's facilitator (and the service's case managers) reach the group and its members.
- An organisation lead reaches their own practice's checks, which hold counts only.
- Nobody else: referrers, responsible officers, employers, evaluators and service admins reach none of it.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from supportpath.accounts.models import DoctorProfile, OrganisationKind, Role, User
from supportpath.accounts.roles import is_doctor, memberships, organisation_ids_for
from supportpath.audit.log import record_access
from supportpath.audit.models import AccessRecord

from .models import (
    Answer,
    GroupMember,
    PeerConcern,
    PeerGroup,
    PeerMatch,
    PeerRequest,
    PeerSupporter,
    PracticeCheck,
)


def doctor_of(user: User) -> DoctorProfile:
    if not is_doctor(user):
        raise Http404("Doctors only")
    return user.doctor_profile


def case_manager_services(user: User) -> set[int]:
    return organisation_ids_for(user, Role.CASE_MANAGER)


def is_case_manager(user: User) -> bool:
    return bool(case_manager_services(user))


def _log(user: User, doctor: DoctorProfile, service_name: str, what: str, obj, *, changed: bool = False) -> None:
    record_access(
        actor=user,
        role=Role.CASE_MANAGER,
        organisation=service_name,
        doctor=doctor,
        action=AccessRecord.Action.CHANGED if changed else AccessRecord.Action.VIEWED,
        what=what,
        obj=obj,
        purpose="Arranging peer support",
    )


# Peer supporters


def supporters_for_case_manager(user: User) -> QuerySet[PeerSupporter]:
    return PeerSupporter.objects.filter(service_id__in=case_manager_services(user))


def get_supporter_for_case_manager(user: User, pk: int, *, changed: bool = False) -> PeerSupporter:
    supporter = (
        supporters_for_case_manager(user).select_related("doctor__user", "doctor__employer", "service").filter(pk=pk)
    ).first()
    if supporter is None:
        raise Http404("No such peer supporter")
    _log(
        user, supporter.doctor, supporter.service.name, "Their offer to be a peer supporter", supporter, changed=changed
    )
    return supporter


# Requests and matches


def requests_for_case_manager(user: User) -> QuerySet[PeerRequest]:
    return PeerRequest.objects.filter(service_id__in=case_manager_services(user))


def get_request_for_case_manager(user: User, pk: int, *, changed: bool = False) -> PeerRequest:
    peer_request = (
        requests_for_case_manager(user).select_related("doctor__user", "doctor__employer", "service").filter(pk=pk)
    ).first()
    if peer_request is None:
        raise Http404("No such request")
    _log(
        user,
        peer_request.doctor,
        peer_request.service.name,
        "Their request to talk with a peer supporter",
        peer_request,
        changed=changed,
    )
    return peer_request


def concerns_for_case_manager(user: User) -> QuerySet[PeerConcern]:
    """Concerns raised about peer matches of this case manager's services."""
    return PeerConcern.objects.filter(match__request__service_id__in=case_manager_services(user))


def get_own_request(user: User, pk: int) -> PeerRequest:
    peer_request = PeerRequest.objects.filter(doctor=doctor_of(user), pk=pk).first()
    if peer_request is None:
        raise Http404("No such request")
    return peer_request


def matches_seen_by_supporter(user: User) -> QuerySet[PeerMatch]:
    """Matches where this doctor is the peer supporter and the doctor who asked has said yes to them."""
    if not is_doctor(user):
        return PeerMatch.objects.none()
    return PeerMatch.objects.filter(supporter__doctor=user.doctor_profile, doctor_answer=Answer.YES)


def get_match_for(user: User, pk: int) -> tuple[PeerMatch, str]:
    """A match and which side ``user`` is on ("doctor" or "supporter")."""
    match = (
        PeerMatch.objects.select_related(
            "request__doctor__user", "supporter__doctor__user", "request__service", "supporter__service"
        )
        .filter(pk=pk)
        .first()
    )
    if match is None or not is_doctor(user):
        raise Http404("No such match")
    profile = user.doctor_profile
    if match.request.doctor_id == profile.pk:
        return match, "doctor"
    if match.supporter.doctor_id == profile.pk and match.doctor_answer == Answer.YES:
        return match, "supporter"
    raise Http404("No such match")


# Groups


def groups_for_doctor(user: User) -> QuerySet[PeerGroup]:
    """Groups of the services that support this doctor (a service that has any request of theirs)."""
    if not is_doctor(user):
        return PeerGroup.objects.none()
    return PeerGroup.objects.filter(service__in=_services_of(user.doctor_profile))


def _services_of(doctor: DoctorProfile) -> set[int]:
    from_requests = set(doctor.support_requests.values_list("service_id", flat=True))
    if doctor.employer_id:
        employer = doctor.employer
        from_requests.add(employer.serving_service.pk)
    return from_requests


def groups_for_staff(user: User) -> QuerySet[PeerGroup]:
    return PeerGroup.objects.filter(Q(service_id__in=case_manager_services(user)) | Q(facilitator=user))


def get_group_for(user: User, pk: int) -> tuple[PeerGroup, str]:
    """A group and how ``user`` sees it: "staff" (its facilitator or a case manager), or "doctor"."""
    group = groups_for_staff(user).select_related("facilitator", "service").filter(pk=pk).first()
    if group is not None:
        return group, "staff"
    group = groups_for_doctor(user).select_related("facilitator", "service").filter(pk=pk).first()
    if group is not None:
        return group, "doctor"
    raise Http404("No such group")


def get_member_for_facilitator(user: User, pk: int) -> GroupMember:
    member = GroupMember.objects.filter(group__facilitator=user, pk=pk).select_related("group", "doctor__user").first()
    if member is None:
        raise Http404("No such member")
    return member


# Practice checks


def lead_practices(user: User) -> set[int]:
    return organisation_ids_for(user, Role.ORGANISATION_LEAD)


def lead_gp_practices(user: User) -> list:
    return [
        m.organisation
        for m in memberships(user)
        if m.role == Role.ORGANISATION_LEAD and m.organisation.kind == OrganisationKind.GP_PRACTICE
    ]


def checks_for_lead(user: User) -> QuerySet[PracticeCheck]:
    return PracticeCheck.objects.filter(practice_id__in=lead_practices(user))


def get_check_for_lead(user: User, pk: int) -> PracticeCheck:
    check = checks_for_lead(user).select_related("practice").filter(pk=pk).first()
    if check is None:
        raise Http404("No such check")
    return check
