"""The rules of peer support. Views call these; access (who may reach what) is in ``access``."""

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Organisation, Role, User
from supportpath.casework.models import Case, Stage
from supportpath.facilitation import matching
from supportpath.notifications.tasks import queue_email

from . import check_questions
from .models import (
    Answer,
    CheckLink,
    CheckTally,
    EndedBy,
    Experience,
    GroupMeeting,
    GroupMember,
    MeetingAttendance,
    MemberStatus,
    PeerConcern,
    PeerGroup,
    PeerMatch,
    PeerRequest,
    PeerSupporter,
    PracticeCheck,
    RequestStatus,
    SupporterStatus,
)

MIN_ANSWERS = 5  # a practice check shows nothing from fewer answers
TOKEN_BYTES = 24


class NotAllowed(Exception):
    """A step the rules do not allow now; its message is for the person who tried."""


# Who may offer and who may ask


def services_after_support(doctor: DoctorProfile) -> list[Organisation]:
    """Services where this doctor's support has ended (a closed case): where they may offer to be a peer."""
    ids = Case.objects.filter(request__doctor=doctor, stage=Stage.CLOSED).values_list("request__service_id", flat=True)
    return list(Organisation.objects.filter(pk__in=set(ids)))


def services_in_or_after_support(doctor: DoctorProfile) -> list[Organisation]:
    """Services where this doctor has a case, open or closed: where they may ask for a peer supporter."""
    ids = Case.objects.filter(request__doctor=doctor).values_list("request__service_id", flat=True)
    return list(Organisation.objects.filter(pk__in=set(ids)))


# Peer supporters


def offer(doctor: DoctorProfile, service: Organisation, data: dict) -> PeerSupporter:
    """The doctor's offer, in their words, with their agreement to the boundaries. Offering again (after
    stopping, say) updates the one record and waits for the service again."""
    if service not in services_after_support(doctor):
        raise NotAllowed("You can offer to be a peer supporter once your own support has ended.")
    supporter, _ = PeerSupporter.objects.update_or_create(
        doctor=doctor,
        service=service,
        defaults={
            "experiences": sorted(data["experiences"]),
            "about": data["about"],
            "how_often": data["how_often"],
            "most_at_once": int(data["most_at_once"]),
            "boundaries_agreed_at": timezone.now(),
            "status": SupporterStatus.OFFERED,
            "approved_at": None,
            "approved_by": None,
        },
    )
    return supporter


def approve(supporter: PeerSupporter, *, by: User, preparation_done_on: dt.date) -> PeerSupporter:
    if supporter.status not in (SupporterStatus.OFFERED, SupporterStatus.APPROVED):
        raise NotAllowed("This doctor has paused or stopped; they can offer again from their own page.")
    supporter.preparation_done_on = preparation_done_on
    supporter.status = SupporterStatus.APPROVED
    supporter.approved_at = supporter.approved_at or timezone.now()
    supporter.approved_by = by
    supporter.save()
    return supporter


def set_own_status(supporter: PeerSupporter, status: str) -> PeerSupporter:
    """Pause, come back or stop, at any time, with no reason asked. Stopping ends every match they are in."""
    allowed = {
        SupporterStatus.PAUSED: {SupporterStatus.APPROVED},
        SupporterStatus.APPROVED: {SupporterStatus.PAUSED},
        SupporterStatus.STOPPED: {SupporterStatus.OFFERED, SupporterStatus.APPROVED, SupporterStatus.PAUSED},
    }
    if supporter.status not in allowed.get(status, set()):
        raise NotAllowed("That change is not possible now.")
    with transaction.atomic():
        supporter.status = status
        supporter.save(update_fields=["status", "changed_at"])
        if status == SupporterStatus.STOPPED:
            for match in supporter.matches.filter(ended_at__isnull=True):
                end_match(match, by=EndedBy.SUPPORTER)
    return supporter


# Asking for a peer supporter, and matching


def ask(doctor: DoctorProfile, service: Organisation, data: dict, *, token: uuid.UUID) -> PeerRequest:
    if service not in services_in_or_after_support(doctor):
        raise NotAllowed("You can ask for a peer supporter while you are in support, or after it.")
    existing = PeerRequest.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PeerRequest.objects.create(
                doctor=doctor,
                service=service,
                experiences=sorted(data["experiences"]),
                to_tell=data.get("to_tell", ""),
                same_employer_ok=bool(data.get("same_employer_ok")),
                submission_token=token,
            )
    except IntegrityError:
        return PeerRequest.objects.get(submission_token=token)


def active_load(supporters) -> dict[int, int]:
    ids = [s.pk for s in supporters]
    rows = (
        PeerMatch.objects.filter(supporter_id__in=ids, ended_at__isnull=True)
        .exclude(Q(doctor_answer=Answer.NO) | Q(supporter_answer=Answer.NO))
        .values("supporter_id")
        .annotate(n=Count("id"))
    )
    return {row["supporter_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Suggestion:
    supporter: PeerSupporter
    shared: list[str]
    load: int
    same_employer: bool


def suggestions(peer_request: PeerRequest, k: int = 5) -> list[Suggestion]:
    """Approved peer supporters of the service, best first by shared experience and free capacity, with the
    facilitators' matching solver. Never the doctor themself, nobody who said no or was ended with them
    before, and never anyone from the doctor's own employer unless the doctor said that is fine."""
    supporters = list(
        PeerSupporter.objects.filter(service=peer_request.service, status=SupporterStatus.APPROVED)
        .exclude(doctor=peer_request.doctor)
        .select_related("doctor")
    )
    load = active_load(supporters)
    before = set(peer_request.matches.values_list("supporter_id", flat=True))
    employer = peer_request.doctor.employer_id
    case = matching.CaseNeeds(
        id=peer_request.pk,
        reasons=frozenset(peer_request.experiences),
        employer_id=None if peer_request.same_employer_ok else employer,
        excluded_facilitators=frozenset(before),
    )
    candidates = [
        matching.Facilitator(
            id=s.pk,
            specialisms=frozenset(s.experiences),
            capacity=s.most_at_once,
            load=load.get(s.pk, 0),
            conflicted_organisations=frozenset({s.doctor.employer_id}) if s.doctor.employer_id else frozenset(),
        )
        for s in supporters
    ]
    by_id = {s.pk: s for s in supporters}
    labels = dict(Experience.choices)
    return [
        Suggestion(
            supporter=by_id[f.id],
            shared=[labels.get(code, code) for code in fit.needs_met],
            load=fit.load,
            same_employer=employer is not None and by_id[f.id].doctor.employer_id == employer,
        )
        for f, fit in matching.suggest(case, candidates, k=k)
    ]


def propose(peer_request: PeerRequest, supporter_pk: int, *, by: User) -> PeerMatch:
    """Suggest one of the suggested peer supporters to the doctor. The doctor answers first."""
    if peer_request.status != RequestStatus.WAITING:
        raise NotAllowed("This request already has a peer supporter, or has ended.")
    allowed = {s.supporter.pk for s in suggestions(peer_request, k=50)}
    if supporter_pk not in allowed:
        raise NotAllowed("That peer supporter cannot be suggested for this doctor now.")
    with transaction.atomic():
        locked = PeerRequest.objects.select_for_update().get(pk=peer_request.pk)
        open_match = [m for m in locked.matches.all() if m.is_open]
        if open_match:
            return open_match[0]
        match = PeerMatch.objects.create(request=locked, supporter_id=supporter_pk, proposed_by=by)
        locked.status = RequestStatus.MATCHED
        locked.save(update_fields=["status"])
    return match


def answer(match: PeerMatch, side: str, yes: bool) -> PeerMatch:
    """The doctor who asked says yes or no first; then the peer supporter. A no ends the match with no reason
    given, and the doctor's request waits for another suggestion."""
    now = timezone.now()
    with transaction.atomic():
        match = PeerMatch.objects.select_for_update().get(pk=match.pk)
        if not match.is_open:
            raise NotAllowed("This match has ended.")
        if side == "doctor":
            if match.doctor_answer:
                return match
            match.doctor_answer, match.doctor_answered_at = (Answer.YES if yes else Answer.NO), now
        else:
            if match.doctor_answer != Answer.YES or match.supporter_answer:
                return match
            match.supporter_answer, match.supporter_answered_at = (Answer.YES if yes else Answer.NO), now
        match.save()
        if not yes:
            PeerRequest.objects.filter(pk=match.request_id).update(status=RequestStatus.WAITING)
    return match


def end_match(match: PeerMatch, *, by: str) -> PeerMatch:
    """Either side ends it, any time, with no reason. Names and contact details are no longer shown."""
    with transaction.atomic():
        updated = PeerMatch.objects.filter(pk=match.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=by
        )
        if updated:
            PeerRequest.objects.filter(pk=match.request_id).update(status=RequestStatus.ENDED)
    match.refresh_from_db()
    return match


def raise_concern(match: PeerMatch, text: str, *, token: uuid.UUID) -> PeerConcern:
    """A peer supporter's worry, for the service's case managers (emailed that there is one, not what)."""
    concern, created = PeerConcern.objects.get_or_create(
        submission_token=token, defaults={"match": match, "text": text}
    )
    if created:
        service = match.request.service
        for user in User.objects.filter(memberships__organisation=service, memberships__role=Role.CASE_MANAGER):
            queue_email(
                key=f"peer-concern-{concern.pk}-{user.pk}",
                to=user.email,
                subject="A peer supporter has raised a concern",
                template="peer/email/concern.txt",
                context={"name": user.full_name},
            )
    return concern


def mark_concern_seen(concern: PeerConcern, *, by: User) -> None:
    PeerConcern.objects.filter(pk=concern.pk, seen_at__isnull=True).update(seen_at=timezone.now(), seen_by=by)


# Groups


def create_group(service: Organisation, data: dict, *, by: User) -> PeerGroup:
    return PeerGroup.objects.create(service=service, created_by=by, **data)


def admitted_count(group: PeerGroup) -> int:
    return group.members.filter(status=MemberStatus.ADMITTED).count()


def ask_to_join(group: PeerGroup, doctor: DoctorProfile, *, share_first_name: bool) -> GroupMember:
    member, created = GroupMember.objects.get_or_create(
        group=group, doctor=doctor, defaults={"share_first_name": share_first_name}
    )
    if not created and member.status == MemberStatus.LEFT:
        member.status = MemberStatus.ASKED
        member.share_first_name = share_first_name
        member.save(update_fields=["status", "share_first_name"])
    return member


def admit(member: GroupMember, *, yes: bool) -> GroupMember:
    with transaction.atomic():
        group = PeerGroup.objects.select_for_update().get(pk=member.group_id)
        member.refresh_from_db()
        if member.status != MemberStatus.ASKED:
            return member
        if yes and admitted_count(group) >= group.size_limit:
            raise NotAllowed(f"The group is full: it has {group.size_limit} members.")
        member.status = MemberStatus.ADMITTED if yes else MemberStatus.NOT_ADMITTED
        member.save(update_fields=["status"])
    return member


def set_first_name_choice(member: GroupMember, share: bool) -> None:
    GroupMember.objects.filter(pk=member.pk).update(share_first_name=share)


def leave(member: GroupMember) -> None:
    GroupMember.objects.filter(pk=member.pk).update(status=MemberStatus.LEFT)


def first_name(full_name: str) -> str:
    parts = full_name.split()
    if parts and parts[0].rstrip(".").lower() == "dr":
        parts = parts[1:]
    return parts[0] if parts else ""


def names_seen_by(member: GroupMember) -> list[str]:
    """The first names this member sees: only of admitted members who agreed, and only if they agreed too."""
    if member.status != MemberStatus.ADMITTED or not member.share_first_name:
        return []
    others = (
        GroupMember.objects.filter(group_id=member.group_id, status=MemberStatus.ADMITTED, share_first_name=True)
        .exclude(pk=member.pk)
        .select_related("doctor__user")
    )
    return sorted(first_name(m.doctor.user.full_name) for m in others)


def record_meeting(group: PeerGroup, *, held_on: dt.date, came: list[int], by: User) -> GroupMeeting:
    """That the meeting took place, and who came. There is nowhere to write what was said."""
    members = list(group.members.filter(pk__in=came, status=MemberStatus.ADMITTED))
    with transaction.atomic():
        meeting, _ = GroupMeeting.objects.get_or_create(group=group, held_on=held_on, defaults={"recorded_by": by})
        MeetingAttendance.objects.filter(meeting=meeting).exclude(member__in=members).delete()
        for member in members:
            MeetingAttendance.objects.get_or_create(meeting=meeting, member=member)
    return meeting


# A GP practice's peer-support check


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_check(practice: Organisation, *, by: User, team_size: int, token: uuid.UUID) -> tuple[PracticeCheck, list]:
    """A new check with one anonymous link per person in the team. Only hashes of the links are kept, so the
    links are shown to the lead this once, to pass on (in any order: nothing records who got which)."""
    existing = PracticeCheck.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing, []
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=practice.pk).first()
        number = (
            PracticeCheck.objects.filter(practice=practice).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        check = PracticeCheck.objects.create(
            practice=practice, number=number, started_by=by, started_on=timezone.localdate(), submission_token=token
        )
        CheckTally.objects.bulk_create(
            [
                CheckTally(check_record=check, question=q.key, option=value)
                for q in check_questions.QUESTIONS
                for value, _ in q.options
            ]
        )
        tokens = make_links(check, team_size)
    return check, tokens


def make_links(check: PracticeCheck, count: int) -> list[str]:
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(count)]
    # Shuffled by their hashes, so the order of the rows says nothing about the order the lead handed them out.
    rows = sorted((CheckLink(check_record=check, token_hash=token_hash(t)) for t in tokens), key=lambda r: r.token_hash)
    CheckLink.objects.bulk_create(rows)
    PracticeCheck.objects.filter(pk=check.pk).update(links_made=F("links_made") + count)
    return tokens


def link_for(token: str) -> CheckLink | None:
    """An unused link of an open check, or None (used, unknown, or the check has closed)."""
    return (
        CheckLink.objects.filter(token_hash=token_hash(token), used=False, check_record__closed_on__isnull=True)
        .select_related("check_record__practice")
        .first()
    )


def record_answer(token: str, answers: dict[str, str]) -> bool:
    """Add one answer to the check's counts and mark its link used. Nothing else is written: no row for the
    answer, no time, no person. False if the link had already been used (a second click adds nothing)."""
    with transaction.atomic():
        used = CheckLink.objects.filter(
            token_hash=token_hash(token), used=False, check_record__closed_on__isnull=True
        ).update(used=True)
        if not used:
            return False
        check_id = CheckLink.objects.filter(token_hash=token_hash(token)).values_list("check_record_id", flat=True)[0]
        for question in check_questions.QUESTIONS:
            option = answers.get(question.key)
            if option:
                CheckTally.objects.filter(check_record_id=check_id, question=question.key, option=option).update(
                    count=F("count") + 1
                )
        PracticeCheck.objects.filter(pk=check_id).update(answers=F("answers") + 1)
    return True


def close_check(check: PracticeCheck) -> None:
    """Close the check: its links stop working and are deleted, so not even which ones were used is kept."""
    with transaction.atomic():
        PracticeCheck.objects.filter(pk=check.pk, closed_on__isnull=True).update(closed_on=timezone.localdate())
        CheckLink.objects.filter(check_record=check).delete()
