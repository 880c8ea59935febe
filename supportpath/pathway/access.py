"""Scoped access to pathway records that are not reached through a case the person works on today.

A facilitator's private session notes stay with their author after the doctor changes facilitator or the case
closes: the author can still read their own notes (and only those), though the rest of the case is closed to
them. They keep them only while they are still a facilitator of the case's service: once that role ends
(``supportpath.accounts.relationships``), the notes are closed to them too. Each read is logged for the doctor
to see."""

from django.db.models import Exists, Value
from django.db.models.expressions import BaseExpression
from django.http import Http404

from supportpath.accounts.models import Role, User
from supportpath.accounts.relationships import current_organisation_ids
from supportpath.audit.log import record_access
from supportpath.casework.models import Case

from .models import SupportSession


def _own_notes(user: User):
    return SupportSession.objects.filter(
        facilitator_id=user.pk, case__request__service_id__in=current_organisation_ids(user, Role.FACILITATOR)
    ).exclude(private_notes="")


def has_own_notes(user: User, case_id: BaseExpression) -> BaseExpression:
    """Whether this person wrote private notes on the case ``case_id`` (an ``OuterRef``), as a list's own query
    reads it (for links to them), without a query of its own; ``Exists`` rather than a DISTINCT over the sessions,
    whose own ordering inside DISTINCT returned every session rather than every case (issue "national scale")."""
    if not user.is_authenticated:
        return Value(False)
    return Exists(_own_notes(user).filter(case_id=case_id))


def get_own_private_notes(user: User, case_pk: int) -> tuple[Case, list[SupportSession]]:
    """The case and this person's own sessions on it that have private notes, newest first; 404 if they wrote
    none there. Nothing else of the case comes with them."""
    if not user.is_authenticated:
        raise Http404("No such notes")
    sessions = list(
        _own_notes(user)
        .filter(case_id=case_pk)
        .select_related("case__request__doctor", "case__request__service")
        .order_by("-held_on", "-id")
    )
    if not sessions:
        raise Http404("No such notes")
    case = sessions[0].case
    record_access(
        actor=user,
        role=Role.FACILITATOR,
        organisation=case.request.service.name,
        doctor=case.request.doctor,
        action="viewed",
        what=f"Their own private notes from support sessions ({case.request.reference})",
        obj=case,
        purpose="Reading the private notes they wrote themselves",
    )
    return case, sessions


def get_own_session(user: User, pk: int) -> SupportSession:
    """A session its author may correct: theirs, on a case they facilitate now (checked by the caller through
    ``casework.access.get_case_for``); 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404("No such session")
    session = SupportSession.objects.filter(pk=pk, facilitator_id=user.pk).first()
    if session is None:
        raise Http404("No such session")
    return session
