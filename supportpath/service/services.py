"""The rules for a service's people and organisations: inviting someone, changing a role, ending a membership
(and handing its open work to a colleague), resetting two-step sign-in, moving a case to another case manager,
the organisations a service serves, and its interventions catalogue. Views call these; nothing here knows
about pages."""

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts import second_factor
from supportpath.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from supportpath.accounts.services import end_all_sessions
from supportpath.appointments import services as appointments
from supportpath.casework.models import Case, Stage
from supportpath.facilitation.models import OPEN_STATUSES, Allocation, AllocationStatus
from supportpath.notifications.tasks import queue_email
from supportpath.plans.models import Intervention
from supportpath.referrals.emails import email_doctor

from .models import CaseMove, ChangeKind, MoveReason, StaffChange, StaffInvitation

# The roles a service admin gives the people of their own service, and those of the organisations it serves.
STAFF_ROLES = (Role.CASE_MANAGER, Role.FACILITATOR, Role.SERVICE_ADMIN, Role.EVALUATOR)
# An organisation lead (a medical director, practice manager or a trust's well-being lead) runs their
# organisation's culture pages and, at a GP practice, its peer-support check; they hold no doctor's case.
ORGANISATION_ROLES = (Role.REFERRER, Role.RESPONSIBLE_OFFICER, Role.ORGANISATION_LEAD)
# The roles whose open work someone must take over when they go.
WORK_ROLES = (Role.CASE_MANAGER, Role.FACILITATOR)
# What the organisations a service serves may be (a support service is set up with ``add_staff``).
SERVED_KINDS = (
    OrganisationKind.ACUTE_TRUST,
    OrganisationKind.MENTAL_HEALTH_TRUST,
    OrganisationKind.COMMUNITY_TRUST,
    OrganisationKind.GP_PRACTICE,
    OrganisationKind.OTHER_EMPLOYER,
)


class Refused(Exception):
    """The change cannot be made; the message says why, in words for the page."""


def with_article(words: str) -> str:
    """A role's name as a sentence needs it: "a facilitator", "an organisation lead"."""
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def roles_at(organisation: Organisation) -> tuple[str, ...]:
    return STAFF_ROLES if organisation.runs_support_service else ORGANISATION_ROLES


# Invitations


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "ignore")).hexdigest()


def invite(
    *,
    service: Organisation,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    by: User | None,
    job_title: str = "",
    tell: bool = True,
) -> StaffInvitation:
    """Email someone a link to join ``organisation`` in ``role``. Inviting the same address to the same place
    again replaces the earlier link (it stops working). Refused if they already hold the role there."""
    email = email.strip().lower()
    if role not in roles_at(organisation):
        raise Refused("Choose a role from the list")
    if Membership.objects.filter(user__email__iexact=email, organisation=organisation, role=role).exists():
        raise Refused(f"{email} is already {with_article(Role(role).label.lower())} at {organisation.name}")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        StaffInvitation.objects.filter(
            email=email, organisation=organisation, role=role, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        invitation = StaffInvitation.objects.create(
            service=service,
            organisation=organisation,
            email=email,
            full_name=full_name.strip(),
            role=role,
            job_title=job_title.strip(),
            token_hash=hash_token(token),
            invited_by=by,
            expires_at=now + dt.timedelta(days=settings.STAFF_INVITATION_DAYS),
        )
        _record(service, organisation, ChangeKind.INVITED, role=role, by=by, name=invitation.full_name, email=email)
        if not tell:  # the fictional demo emails nobody
            return invitation
        queue_email(
            key=f"staff-invitation:{invitation.pk}",
            to=email,
            subject=f"You are invited to join {organisation.name} on supportpath",
            template="service/email/invitation.txt",
            context={
                "name": invitation.full_name,
                "organisation": organisation.name,
                "role": with_article(Role(role).label.lower()),
                "invited_by": by.full_name if by else "",
                "link": settings.SITE_URL + reverse("service:accept_invitation", args=[token]),
                "days": settings.STAFF_INVITATION_DAYS,
                "staff": role in STAFF_ROLES,
                "help_email": settings.HELP_EMAIL,
            },
        )
    return invitation


def invitation_for_token(token: str | None) -> StaffInvitation | None:
    """The invitation a link is for, if it is ours, unexpired, not replaced and not yet used."""
    if not token:
        return None
    return (
        StaffInvitation.objects.select_related("organisation", "service")
        .filter(
            token_hash=hash_token(token),
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def account_for(invitation: StaffInvitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email, erased_at__isnull=True).first()


def joins_with_a_password(invitation: StaffInvitation) -> bool:
    """A new person, or one whose account closed when they left, chooses a password; an open account signs in."""
    account = account_for(invitation)
    return account is None or not account.is_active


def accept(
    invitation: StaffInvitation, *, user: User | None = None, password: str = "", password_hash: str = ""
) -> User | None:
    """Join from the link: with a new account (``password``, or ``password_hash``, one hashed already: the
    fictional demo hashes its one password once for all its people) or the account already signed in, which must
    be the one the invitation was sent to. Returns None if the link was used meanwhile (two clicks race)."""
    with transaction.atomic():
        invitation = (
            StaffInvitation.objects.select_for_update()
            .filter(pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True)
            .first()
        )
        if invitation is None:
            return None
        if user is not None:
            if user.email.lower() != invitation.email:
                return None
        else:
            user = _account_from_password(invitation, password, password_hash)
            if user is None:
                return None
        Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            defaults={"job_title": invitation.job_title},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _record(invitation.service, invitation.organisation, ChangeKind.JOINED, role=invitation.role, person=user)
    user._memberships_cache = None
    return user


def _account_from_password(invitation: StaffInvitation, password: str, password_hash: str = "") -> User | None:
    """A new account; or the closed account of someone who left and is coming back, opened again with the new
    password. An open account is never taken over by setting a password here: it joins once signed in."""
    account = account_for(invitation)
    if account is not None and account.is_active:
        return None
    if account is not None:
        if password_hash:
            account.password = password_hash
        else:
            account.set_password(password)
        account.is_active = True
        account.save(update_fields=["password", "is_active"])
        return account
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=invitation.email, password=password, password_hash=password_hash, full_name=invitation.full_name
            )
    except IntegrityError:
        return None  # someone made an account with the address a moment ago


def withdraw(invitation: StaffInvitation) -> None:
    StaffInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(withdrawn_at=timezone.now())


def pending_invitations(service: Organisation):
    return StaffInvitation.objects.filter(
        service=service, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organisation")


# The work someone holds, and who can take it over


def open_cases(user: User, service: Organisation):
    return Case.objects.filter(case_manager=user, request__service=service).exclude(stage=Stage.CLOSED)


def open_allocations(user: User, service: Organisation):
    return Allocation.objects.filter(facilitator=user, status__in=OPEN_STATUSES, case__service=service)


def open_work(membership: Membership) -> int:
    """How many open cases (a case manager) or open offers and allocations (a facilitator) the membership holds."""
    service = membership.organisation
    if membership.role == Role.CASE_MANAGER:
        return open_cases(membership.user, service).count()
    if membership.role == Role.FACILITATOR:
        return open_allocations(membership.user, service).count()
    return 0


def open_work_of(service: Organisation, memberships: list[Membership]) -> dict[int, int]:
    """Open cases per case manager and open offers or allocations per facilitator, in two queries."""
    case_managers = [m.user_id for m in memberships if m.role == Role.CASE_MANAGER]
    facilitators = [m.user_id for m in memberships if m.role == Role.FACILITATOR]
    cases = dict(
        # By the service kept on the case (the partial index ``case_service_open``), not a join to each request.
        Case.objects.filter(service=service, case_manager_id__in=case_managers)
        .exclude(stage=Stage.CLOSED)
        .values_list("case_manager_id")
        .annotate(n=Count("id"))
    )
    allocations = dict(
        Allocation.objects.filter(case__service=service, facilitator_id__in=facilitators, status__in=OPEN_STATUSES)
        .values_list("facilitator_id")
        .annotate(n=Count("id"))
    )
    return {
        m.pk: (cases if m.role == Role.CASE_MANAGER else allocations).get(m.user_id, 0)
        for m in memberships
        if m.role in (Role.CASE_MANAGER, Role.FACILITATOR)
    }


def colleagues(service: Organisation, role: str, *, besides: User | None = None) -> list[User]:
    """The people who hold ``role`` at the service now, by name (who can take over)."""
    people = User.objects.filter(memberships__organisation=service, memberships__role=role, is_active=True)
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    return list(people.order_by("full_name", "pk").distinct())


def _check_taker(service: Organisation, role: str, leaver: User, taker: User | None) -> User:
    if taker is None or taker.pk == leaver.pk or taker not in colleagues(service, role, besides=leaver):
        raise Refused(f"Choose who takes over, from the {Role(role).label.lower()}s of the service")
    return taker


def hand_over(membership: Membership, *, to: User | None, by: User | None, reason: str, tell: bool = True) -> int:
    """Move the membership's open work to ``to`` (checked to hold the same role at the service): a case
    manager's open cases, a facilitator's open offers and allocations. Each move is recorded, the doctor is
    told the new name, and the one who takes over is emailed once. Returns how many moved."""
    service, leaver, role = membership.organisation, membership.user, membership.role
    if role == Role.CASE_MANAGER:
        cases = list(
            open_cases(leaver, service).select_for_update(of=("self",)).select_related("request__doctor__user")
        )
        if not cases:
            return 0
        to = _check_taker(service, role, leaver, to)
        for case in cases:
            case.case_manager = to
            case.save(update_fields=["case_manager"])
        CaseMove.objects.bulk_create(
            CaseMove(case=c, role=role, from_user=leaver, to_user=to, by=by, reason=reason) for c in cases
        )
        if tell:
            for case in cases:
                _tell_doctor(case, role, to)
            _tell_taker(to, role, len(cases), leaver)
        return len(cases)
    if role == Role.FACILITATOR:
        allocations = list(
            open_allocations(leaver, service)
            .select_for_update(of=("self",))
            .select_related("case__request__doctor__user")
        )
        if not allocations:
            return 0
        to = _check_taker(service, role, leaver, to)
        for allocation in allocations:
            allocation.facilitator = to
            allocation.save(update_fields=["facilitator"])
            if allocation.status == AllocationStatus.ACCEPTED:
                Case.objects.filter(pk=allocation.case_id).update(facilitator=to)
                # The sessions and reviews booked with the one who leaves are cancelled (the doctor's calendar
                # told, even when the demo emails nobody else): the new facilitator arranges their own.
                appointments.cancel_facilitators_appointments(
                    allocation.case,
                    by=by,
                    note=f"This is because your facilitator has changed: {to.full_name} will arrange your next "
                    "session with you.",
                )
                if tell:
                    _tell_doctor(allocation.case, role, to)
        CaseMove.objects.bulk_create(
            CaseMove(case_id=a.case_id, role=role, from_user=leaver, to_user=to, by=by, reason=reason)
            for a in allocations
        )
        if tell:
            _tell_taker(to, role, len(allocations), leaver)
        return len(allocations)
    return 0


def _tell_doctor(case: Case, role: str, to: User) -> None:
    if case.request.doctor.user.is_erased:
        return
    email_doctor(
        case.request,
        key=f"case-move:{case.pk}:{role}:{to.pk}:{timezone.now().timestamp()}",
        subject=f"Your {Role(role).label.lower()} has changed",
        template="service/email/new_name_for_doctor.txt",
        context={
            "role": Role(role).label.lower(),
            "new_name": to.full_name,
            "reference": case.request.reference,
            "site_url": settings.SITE_URL,
        },
    )


def _tell_taker(to: User, role: str, count: int, leaver: User) -> None:
    queue_email(
        key=f"took-over:{to.pk}:{role}:{leaver.pk}:{timezone.now().timestamp()}",
        to=to.email,
        subject="Cases have been moved to you",
        template="service/email/took_over.txt",
        context={
            "name": to.full_name,
            "count": count,
            "role": Role(role).label.lower(),
            "from_name": leaver.full_name,
            "site_url": settings.SITE_URL,
        },
    )


# Changing a role, ending a membership


def _record(
    service: Organisation,
    organisation: Organisation,
    kind: str,
    *,
    role: str,
    person: User | None = None,
    by: User | None = None,
    name: str = "",
    email: str = "",
    **extra,
) -> StaffChange:
    return StaffChange.objects.create(
        service=service,
        organisation=organisation,
        person=person,
        person_name=name or (person.full_name if person else ""),
        person_email=email or (person.email if person else ""),
        kind=kind,
        role=role,
        by=by,
        by_name=by.full_name if by else "",
        **extra,
    )


def service_of(membership: Membership) -> Organisation:
    return membership.organisation.serving_service


def _locked(membership: Membership) -> Membership:
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .filter(pk=membership.pk)
    )
    membership = locked.first()
    if membership is None:
        raise Refused("This membership has already ended")
    return membership


def end_membership(
    membership: Membership, *, by: User, takes_over: User | None = None, tell: bool = True
) -> StaffChange:
    """End a membership: its open work goes to ``takes_over``, the row is deleted, and the record of who ended
    it, when and who took over is kept. The person is signed out everywhere at once; an account left with no
    membership and no doctor profile is closed, so it signs in to nothing."""
    if membership.user_id == by.pk:
        raise Refused("You cannot end your own membership. Ask another service admin")
    with transaction.atomic():
        membership = _locked(membership)
        leaver, role = membership.user, membership.role
        moved = hand_over(membership, to=takes_over, by=by, reason=MoveReason.LEFT, tell=tell)
        service = service_of(membership)
        change = _record(
            service,
            membership.organisation,
            ChangeKind.ENDED,
            role=role,
            person=leaver,
            by=by,
            cases_to=takes_over if moved and role == Role.CASE_MANAGER else None,
            allocations_to=takes_over if moved and role == Role.FACILITATOR else None,
            cases_moved=moved if role == Role.CASE_MANAGER else 0,
            allocations_moved=moved if role == Role.FACILITATOR else 0,
        )
        membership.delete()
        end_all_sessions(leaver)
        if not Membership.objects.filter(user=leaver).exists() and not hasattr(leaver, "doctor_profile"):
            User.objects.filter(pk=leaver.pk).update(is_active=False)
    return change


def change_role(membership: Membership, new_role: str, *, by: User, takes_over: User | None = None) -> StaffChange:
    """Give someone a different role at the same place; the open work of the old one goes to ``takes_over``."""
    if membership.user_id == by.pk:
        raise Refused("You cannot change your own role. Ask another service admin")
    with transaction.atomic():
        membership = _locked(membership)
        if new_role == membership.role or new_role not in roles_at(membership.organisation):
            raise Refused("Choose a different role from the list")
        if Membership.objects.filter(
            user=membership.user, organisation=membership.organisation, role=new_role
        ).exists():
            raise Refused(f"{membership.user.full_name} is already {with_article(Role(new_role).label.lower())} here")
        old_role = membership.role
        moved = hand_over(membership, to=takes_over, by=by, reason=MoveReason.ROLE_CHANGED)
        membership.role = new_role
        membership.save(update_fields=["role"])
        end_all_sessions(membership.user)  # what they may reach has changed: they sign in again to their new role
        return _record(
            service_of(membership),
            membership.organisation,
            ChangeKind.ROLE_CHANGED,
            role=old_role,
            new_role=new_role,
            person=membership.user,
            by=by,
            cases_to=takes_over if moved and old_role == Role.CASE_MANAGER else None,
            allocations_to=takes_over if moved and old_role == Role.FACILITATOR else None,
            cases_moved=moved if old_role == Role.CASE_MANAGER else 0,
            allocations_moved=moved if old_role == Role.FACILITATOR else 0,
        )


def reset_second_factor(membership: Membership, *, by: User) -> StaffChange:
    """For someone who has lost their authenticator app and backup codes: both are removed, every session of
    theirs ends, and they set the app up again when they next sign in. Recorded, and the person is emailed (so
    a reset they did not ask for does not go unnoticed)."""
    if membership.user_id == by.pk:
        raise Refused("You cannot reset your own two-step sign-in. Ask another service admin")
    person = membership.user
    with transaction.atomic():
        second_factor.turn_off(person)
        end_all_sessions(person)
        change = _record(
            service_of(membership),
            membership.organisation,
            ChangeKind.SECOND_FACTOR_RESET,
            role=membership.role,
            person=person,
            by=by,
        )
        queue_email(
            key=f"second-factor-reset:{change.pk}",
            to=person.email,
            subject="Your two-step sign-in was reset",
            template="service/email/second_factor_reset.txt",
            context={
                "name": person.full_name,
                "by": by.full_name,
                "sign_in_link": settings.SITE_URL + reverse("accounts:sign_in"),
                "help_email": settings.HELP_EMAIL,
            },
        )
    return change


# Moving one case


def move_case(case: Case, *, to: User, by: User, tell: bool = True) -> CaseMove:
    """A case manager of the service hands one case to another case manager of the same service."""
    service = case.request.service
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("request__doctor__user", "case_manager")
            .get(pk=case.pk)
        )
        if case.stage == Stage.CLOSED:
            raise Refused("This case has closed")
        if to.pk == case.case_manager_id or to not in colleagues(service, Role.CASE_MANAGER):
            raise Refused("Choose another case manager of the service")
        move = CaseMove.objects.create(
            case=case, role=Role.CASE_MANAGER, from_user=case.case_manager, to_user=to, by=by, reason=MoveReason.MOVED
        )
        case.case_manager = to
        case.save(update_fields=["case_manager"])
        if not tell:  # the fictional demo emails nobody
            return move
        _tell_doctor(case, Role.CASE_MANAGER, to)
        if to.pk != by.pk:
            _tell_taker(to, Role.CASE_MANAGER, 1, move.from_user)
    return move


# Organisations the service serves


ODS_FORMATS = {
    # GP practices: a letter and five digits (A81001). Trusts: three characters, a letter first (RJ1, RXF).
    OrganisationKind.GP_PRACTICE: (r"^[A-Z]\d{5}$", "a letter and five numbers, like A81001"),
    OrganisationKind.ACUTE_TRUST: (r"^[A-Z][A-Z0-9]{2}$", "three characters, a letter first, like RJ1"),
    OrganisationKind.MENTAL_HEALTH_TRUST: (r"^[A-Z][A-Z0-9]{2}$", "three characters, a letter first, like RXT"),
    OrganisationKind.COMMUNITY_TRUST: (r"^[A-Z][A-Z0-9]{2}$", "three characters, a letter first, like RYG"),
}


def served_organisations(service: Organisation):
    return Organisation.objects.filter(support_service=service)


def save_organisation(service: Organisation, values: dict, organisation: Organisation | None = None) -> Organisation:
    """Add an organisation the service serves, or change one. Names and ODS codes are unique."""
    name, ods_code = values["name"].strip(), values.get("ods_code", "").strip().upper()
    others = Organisation.objects.exclude(pk=organisation.pk) if organisation else Organisation.objects.all()
    if others.filter(name__iexact=name).exists():
        raise Refused("An organisation with this name is already on supportpath")
    if ods_code and others.filter(ods_code=ods_code).exists():
        raise Refused("An organisation with this ODS code is already on supportpath")
    with transaction.atomic():
        if organisation is None:
            organisation = Organisation(support_service=service)
        organisation.name, organisation.kind, organisation.ods_code = name, values["kind"], ods_code
        organisation.save()
    return organisation


# The installation's first person


def add_staff(
    *, email: str, organisation_name: str, role: str, full_name: str = "", job_title: str = "", tell: bool = True
) -> tuple[StaffInvitation, bool]:
    """For a fresh installation (``manage.py add_staff``): the service is made if it does not exist, and the person
    is emailed a link to set a password and two-step sign-in (the fictional demo emails nobody: ``tell=False``).
    Returns the invitation and whether the service was made now."""
    with transaction.atomic():
        service, created = Organisation.objects.get_or_create(
            name=organisation_name.strip(), defaults={"kind": OrganisationKind.REGIONAL_PSU}
        )
        if not service.runs_support_service:
            raise Refused(f"{service.name} is not a support service")
        invitation = invite(
            service=service,
            organisation=service,
            email=email,
            full_name=full_name or email.split("@")[0],
            role=role,
            by=None,
            job_title=job_title,
            tell=tell,
        )
    return invitation, created


# The service's interventions catalogue


class NameTaken(Exception):
    """The service's catalogue already has an entry of this name (added by someone else a moment ago)."""


def add_intervention(service: Organisation, values: dict[str, Any], *, token: uuid.UUID) -> tuple[Intervention, bool]:
    """Add an entry to the service's catalogue once per form: sending the same form again returns the entry it
    made. Returns the entry and whether it is new."""
    existing = Intervention.objects.filter(service=service, submission_token=token).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Intervention.objects.create(service=service, submission_token=token, **values), True
    except IntegrityError:
        # The same form, sent twice at once: the other request made it.
        existing = Intervention.objects.filter(service=service, submission_token=token).first()
        if existing is None:
            raise NameTaken from None
        return existing, False
