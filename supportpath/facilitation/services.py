"""Rules of allocating facilitators: suggesting, proposing, the facilitator's answer, and the doctor's choices.

Every change happens in a transaction that locks the case, so two case managers allocating at once, or a
double click, can never give a case two facilitators or a facilitator more cases than they can hold.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportpath.accounts.models import ERASED_NAME, Role, User
from supportpath.appointments import services as appointments
from supportpath.audit.log import Entry, record_accesses
from supportpath.audit.models import AccessRecord
from supportpath.casework.date_order import NotBefore
from supportpath.casework.models import Case, Stage
from supportpath.core.working_days import working_days_between
from supportpath.notifications.tasks import queue_email
from supportpath.referrals.emails import email_doctor

from . import matching, matching_runs, pool
from .models import (
    Allocation,
    AllocationStatus,
    EndReason,
    FacilitatorProfile,
    IntroductionOutcome,
    Specialism,
)

PREFERENCE_LABELS = {
    "gender": "the gender the doctor asked for",
    "in_person": "meets in person",
    "trained_outside_uk": "trained outside the UK, as the doctor asked",
}


class AllocationRefused(Exception):
    """The allocation would break a rule; the message says which, in words for the case manager."""


# Matching is on the doctor's needs, known once they have given their own account (pool.waiting_cases).
BEFORE_FIRST_CONVERSATION = "the first conversation has not taken place yet, so the doctor's needs are not known."


@dataclass
class Suggestion:
    profile: FacilitatorProfile
    fit: matching.Fit

    @property
    def reasons(self) -> list[str]:
        return fit_reasons(self.fit)


# Each specialism as a fit's reasons name it, worked out once rather than for each of a page's 100 rows.
_EXPERIENCED_IN = {s.value: s.label.lower() for s in Specialism}


def fit_reasons(fit: matching.Fit) -> list[str]:
    reasons = []
    if fit.needs_met:
        reasons.append("Experienced in " + ", ".join(_EXPERIENCED_IN[n] for n in fit.needs_met))
    if fit.preferences_met:
        reasons.append(
            "Matches what the doctor asked for: " + ", ".join(PREFERENCE_LABELS[p] for p in fit.preferences_met)
        )
    if fit.continuity:
        reasons.append("Has supported this doctor before")
    reasons.append(f"{fit.load} active case{'s' if fit.load != 1 else ''} now")
    return reasons


def suggestions_for(case: Case, k: int = 5) -> list[Suggestion]:
    facilitators = pool.facilitator_pool(case.request.service_id)
    profiles = {plain.id: profile for profile, plain in facilitators}
    [needs] = pool.case_needs([case])
    return [Suggestion(profiles[f.id], fit) for f, fit in matching.suggest(needs, [p for _, p in facilitators], k=k)]


def open_allocation(case: Case) -> Allocation | None:
    return case.allocations.filter(status__in=pool.OPEN).select_related("facilitator").first()


def propose(
    case: Case, facilitator_id: int, *, by: User, notify: bool = True, at: dt.datetime | None = None
) -> Allocation:
    """Propose a facilitator for a case, checking every rule again at the moment of saving. The demo writes
    history: ``notify=False`` tells nobody, ``at`` is when it was proposed."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("request__doctor", "request").get(pk=case.pk)
        if case.stage == Stage.CLOSED:
            raise AllocationRefused("This case is closed.")
        if not pool.first_conversation_held(case):
            raise AllocationRefused(BEFORE_FIRST_CONVERSATION[0].upper() + BEFORE_FIRST_CONVERSATION[1:])
        if open_allocation(case) is not None:
            raise AllocationRefused("This case already has a facilitator, or one has been asked.")
        # Lock the facilitator's profile too, so two cases proposed at once cannot both take their last place.
        list(
            FacilitatorProfile.objects.select_for_update().filter(
                user_id=facilitator_id, service_id=case.request.service_id
            )
        )
        chosen = [(p, f) for p, f in pool.facilitator_pool(case.request.service_id) if f.id == facilitator_id]
        if not chosen:
            raise AllocationRefused("This facilitator is not taking cases for this service.")
        profile, plain = chosen[0]
        [needs] = pool.case_needs([case])
        if not matching.allowed(needs, plain):
            raise AllocationRefused(
                f"{profile.user.full_name} cannot support this doctor (a conflict of interest, or ruled out before)."
            )
        if plain.free <= 0:
            raise AllocationRefused(f"{profile.user.full_name} has no room for another case.")
        fit = matching.fit(needs, plain)
        try:
            with transaction.atomic():
                allocation = Allocation.objects.create(
                    case=case,
                    facilitator=profile.user,
                    proposed_by=by,
                    fit_score=fit.score,
                    fit_reasons=fit_reasons(fit),
                    proposed_at=at or timezone.now(),
                )
        except IntegrityError:
            raise AllocationRefused("This case already has a facilitator, or one has been asked.") from None
        if not notify:
            return allocation
        queue_email(
            key=f"allocation-proposed:{allocation.pk}",
            to=profile.user.email,
            subject=f"A doctor's case has been offered to you ({case.request.reference})",
            template="facilitation/email/proposed.txt",
            context={
                "name": profile.user.full_name,
                "reference": case.request.reference,
                "site_url": settings.SITE_URL,
            },
        )
    return allocation


# What the waiting list reads of each case: its row and the sighting it logs, as one tuple per case rather than
# seven instances (the case, its request, the doctor, their account, the proposed match and the facilitator) for
# each of 100 rows, every column of most of them built and read for a few (docs/scale.md).
WAITING_ROW_COLUMNS = (
    "pk",
    "request__reference",
    "request__urgent",
    "request__urgent_dealt_with_on",
    "request__service_id",
    "request__doctor_id",
    "request__doctor__user_id",
    "request__doctor__user__full_name",
    "request__doctor__user__erased_at",
    "assessed_on",
    "proposed_match__id",
    "proposed_match__facilitator__full_name",
    *matching_runs.MATCH_COLUMNS,
)


@dataclass(slots=True)
class PlannedAllocation:
    """A waiting case (one row of ``WAITING_ROW_COLUMNS``) and its place in the stored allocation."""

    case_id: int
    reference: str
    urgent_open: bool  # urgent, and nobody has yet recorded how it was dealt with (``SupportRequest.urgent_open``)
    service_id: int
    doctor_id: int
    doctor_user_id: int
    doctor_name: str  # as staff pages show it (``User.display_name``): an erased account has none left
    assessed_on: dt.date | None
    worked_out: bool  # False: the case came onto the list after the allocation shown was worked out
    facilitator_id: int | None  # the facilitator proposed, or None: nobody free, or not worked out yet
    facilitator_name: str
    fit: matching.Fit | None
    waited: int | None = None  # working days since the needs assessment's conversation
    capacity: int | None = None  # the proposed facilitator's most active cases at once
    free_places: int | None = None  # their capacity less their active cases now

    @property
    def fit_reasons(self) -> str:
        return ". ".join(fit_reasons(self.fit)) if self.fit else ""


def _planned(row) -> PlannedAllocation:
    (
        case_id,
        reference,
        urgent,
        urgent_dealt_with_on,
        service_id,
        doctor_id,
        doctor_user_id,
        doctor_full_name,
        doctor_erased_at,
        assessed_on,
        match_id,
        facilitator_name,
        *match,
    ) = row
    facilitator_id = match[0]
    return PlannedAllocation(
        case_id=case_id,
        reference=reference,
        urgent_open=bool(urgent and urgent_dealt_with_on is None),
        service_id=service_id,
        doctor_id=doctor_id,
        doctor_user_id=doctor_user_id,
        doctor_name=ERASED_NAME if doctor_erased_at is not None else doctor_full_name,
        assessed_on=assessed_on,
        worked_out=match_id is not None,
        facilitator_id=facilitator_id,
        facilitator_name=facilitator_name or "",
        fit=matching_runs.fit_of(*match),
    )


def planned_page(rows, today=None) -> list[PlannedAllocation]:
    """One page of waiting cases (read as ``WAITING_ROW_COLUMNS`` of ``pool.waiting_queryset``) and their place
    in the stored allocation, each with how long it has waited and the proposed facilitator's free places now
    (one query for the page, whatever its length)."""
    today = today or timezone.localdate()
    planned = [_planned(row) for row in rows]
    proposed = {(p.facilitator_id, p.service_id) for p in planned if p.facilitator_id}
    # Each proposed facilitator's capacity with their active cases now, in one query, read as rows rather than
    # as a profile instance for each facilitator on the page.
    places = (
        {
            (user_id, service_id): (capacity, active or 0)
            for user_id, service_id, capacity, active in FacilitatorProfile.objects.filter(
                user_id__in={u for u, _ in proposed}, service_id__in={s for _, s in proposed}
            )
            .annotate(active=pool.active_load("user_id"))
            .values_list("user_id", "service_id", "capacity", "active")
        }
        if proposed
        else {}
    )
    for p in planned:
        if p.assessed_on is not None:
            p.waited = max(working_days_between(p.assessed_on, today), 0)
        if p.facilitator_id and (p.facilitator_id, p.service_id) in places:
            p.capacity, active = places[(p.facilitator_id, p.service_id)]
            p.free_places = max(p.capacity - active, 0)
    return planned


def allocate_waiting_list(pairs: list[tuple[int, int]], *, by: User, service_ids) -> tuple[int, list[str]]:
    """Propose each (case, facilitator) pair, each checked again; returns how many and why any were refused."""
    made, problems, changed = 0, [], []
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=[c for c, _ in pairs], request__service_id__in=service_ids).select_related(
            "request__doctor", "request__service"
        )
    }
    # Only cases the list offers: a page from before, or a tampered one, cannot allocate a case whose first
    # conversation has not taken place (pool.waiting_cases says why).
    assessed = set(Case.objects.filter(pk__in=cases, needs_assessment__isnull=False).values_list("pk", flat=True))
    # The same page sent twice asks nobody twice: a pair already asked counts as done, not as a refusal.
    already = set(
        Allocation.objects.filter(case_id__in=cases, status__in=pool.OPEN).values_list("case_id", "facilitator_id")
    )
    for case_id, facilitator_id in pairs:
        case = cases.get(case_id)
        if case is None:
            continue
        if (case_id, facilitator_id) in already:
            made += 1
            continue
        if case_id not in assessed:
            problems.append(f"{case.request.reference}: {BEFORE_FIRST_CONVERSATION}")
            continue
        try:
            propose(case, facilitator_id, by=by)
            made += 1
            changed.append(case)
        except AllocationRefused as refused:
            problems.append(f"{case.request.reference}: {refused}")
    record_accesses(
        actor=by,
        role=Role.CASE_MANAGER,
        action=AccessRecord.Action.CHANGED,
        purpose="Choosing facilitators for the doctors waiting",
        entries=[
            Entry(
                doctor=c.request.doctor,
                organisation=c.request.service.name,
                what=f"Case record {c.request.reference}: a facilitator asked to take the case",
                obj=c,
            )
            for c in changed
        ],
    )
    return made, problems


def accept(allocation: Allocation, *, notify: bool = True, at: dt.datetime | None = None) -> None:
    """The facilitator takes the case. The demo writes history: ``notify=False`` tells nobody, ``at`` is when."""
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update().select_related("case__request__doctor__user").get(pk=allocation.pk)
        )
        if allocation.status != AllocationStatus.PROPOSED:
            return
        allocation.status = AllocationStatus.ACCEPTED
        allocation.responded_at = at or timezone.now()
        allocation.save(update_fields=["status", "responded_at"])
        case = allocation.case
        case.facilitator = allocation.facilitator
        case.save(update_fields=["facilitator"])
        if not notify:
            return
        email_doctor(
            case.request,
            key=f"allocation-accepted:{allocation.pk}",
            subject="You have a facilitator",
            template="facilitation/email/accepted.txt",
            context={
                "facilitator": allocation.facilitator.full_name,
                "reference": case.request.reference,
                "site_url": settings.SITE_URL,
            },
        )


def decline(allocation: Allocation, *, reason: str, notify: bool = True, at: dt.datetime | None = None) -> None:
    """The facilitator cannot take the case. The demo writes history: ``notify=False`` tells nobody, ``at`` is
    when."""
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().select_related("case__case_manager").get(pk=allocation.pk)
        if allocation.status != AllocationStatus.PROPOSED:
            return
        allocation.status = AllocationStatus.DECLINED
        allocation.responded_at = at or timezone.now()
        allocation.decline_reason = reason
        allocation.save(update_fields=["status", "responded_at", "decline_reason"])
        if not notify:
            return
        queue_email(
            key=f"allocation-declined:{allocation.pk}",
            to=allocation.case.case_manager.email,
            subject=f"{allocation.case.request.reference}: the facilitator could not take the case",
            template="facilitation/email/declined.txt",
            context={"reference": allocation.case.request.reference, "site_url": settings.SITE_URL},
        )


def ask_for_introduction(allocation: Allocation, *, notify: bool = True, at: dt.datetime | None = None) -> None:
    """The doctor would like a short introductory conversation before starting. The demo writes history:
    ``notify=False`` tells nobody, ``at`` is when the doctor asked."""
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().select_related("case__case_manager").get(pk=allocation.pk)
        if not allocation.is_open or allocation.intro_requested_at:
            return
        allocation.intro_requested_at = at or timezone.now()
        allocation.save(update_fields=["intro_requested_at"])
        if not notify:
            return
        for person in {allocation.facilitator, allocation.case.case_manager}:
            queue_email(
                key=f"introduction-requested:{allocation.pk}:{person.pk}",
                to=person.email,
                subject=f"{allocation.case.request.reference}: the doctor would like a short introduction first",
                template="facilitation/email/introduction.txt",
                context={"reference": allocation.case.request.reference, "site_url": settings.SITE_URL},
            )


class IntroductionRefused(Exception):
    """There is no introduction to record on this allocation (none was asked for, or it has ended)."""


def record_introduction(
    allocation: Allocation, *, outcome: str, held_on, notify: bool = True, at: dt.datetime | None = None
) -> Allocation:
    """The facilitator records the introductory conversation: it took place (and when), or the doctor decided
    not to go ahead. Not going ahead ends the arrangement without using up the doctor's one change, rules this
    facilitator out for the case, and tells the case manager so they can ask someone else. Recorded once.
    The demo writes history: ``notify=False`` tells nobody, ``at`` is when it was recorded."""
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=allocation.case_id).first()
        allocation = (
            Allocation.objects.select_for_update()
            .select_related("case__case_manager", "case__request")
            .get(pk=allocation.pk)
        )
        if allocation.intro_outcome:
            return allocation  # already recorded: sending the form again changes nothing
        if not allocation.is_open or not allocation.intro_requested_at:
            raise IntroductionRefused("There is no introduction waiting to be recorded for this case.")
        allocation.intro_outcome = outcome
        allocation.intro_held_on = held_on
        allocation.intro_recorded_at = at or timezone.now()
        fields = ["intro_outcome", "intro_held_on", "intro_recorded_at"]
        if outcome == IntroductionOutcome.NOT_GOING_AHEAD:
            allocation.status = AllocationStatus.ENDED
            allocation.ended_at = at or timezone.now()
            allocation.end_reason = EndReason.NOT_GOING_AHEAD
            fields += ["status", "ended_at", "end_reason"]
            case = allocation.case
            if case.facilitator_id == allocation.facilitator_id:
                case.facilitator = None
                case.save(update_fields=["facilitator"])
                appointments.cancel_facilitators_appointments(case, by=None, note=NEW_FACILITATOR_NOTE)
            if notify:
                queue_email(
                    key=f"introduction-not-going-ahead:{allocation.pk}",
                    to=case.case_manager.email,
                    subject=f"{case.request.reference}: the doctor would like a different facilitator",
                    template="facilitation/email/not_going_ahead.txt",
                    context={"reference": case.request.reference, "site_url": settings.SITE_URL},
                )
        allocation.save(update_fields=fields)
    return allocation


def last_introduction_not_taken_up(case: Case) -> Allocation | None:
    """The latest facilitator the doctor met first and chose not to go ahead with, if any."""
    return (
        case.allocations.filter(end_reason=EndReason.NOT_GOING_AHEAD)
        .select_related("facilitator")
        .order_by("-ended_at", "-id")
        .first()
    )


def has_changed_before(case: Case) -> bool:
    return case.allocations.filter(end_reason=EndReason.DOCTOR_CHANGED).exists()


# Why the sessions booked with a facilitator the doctor no longer works with are cancelled, for the doctor's email.
NEW_FACILITATOR_NOTE = (
    "This is because you are changing facilitator. Your case manager will find you a new facilitator, who will "
    "arrange your next session with you."
)


def change_facilitator(case: Case, *, notify: bool = True, at: dt.datetime | None = None) -> bool:
    """The doctor changes facilitator, once, with no reason asked. Returns False if it is not possible. The demo
    writes history: ``notify=False`` tells nobody, ``at`` is when the doctor changed."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("case_manager", "request").get(pk=case.pk)
        current = open_allocation(case)
        if current is None or current.status != AllocationStatus.ACCEPTED or has_changed_before(case):
            return False
        current.status = AllocationStatus.ENDED
        current.ended_at = at or timezone.now()
        current.end_reason = EndReason.DOCTOR_CHANGED
        current.save(update_fields=["status", "ended_at", "end_reason"])
        case.facilitator = None
        case.save(update_fields=["facilitator"])
        appointments.cancel_facilitators_appointments(case, by=None, note=NEW_FACILITATOR_NOTE)
        if not notify:
            return True
        queue_email(
            key=f"facilitator-changed:{current.pk}",
            to=case.case_manager.email,
            subject=f"{case.request.reference}: the doctor would like a different facilitator",
            template="facilitation/email/changed.txt",
            context={"reference": case.request.reference, "site_url": settings.SITE_URL},
        )
    return True


def end_on_closure(case: Case, *, at: dt.datetime | None = None) -> None:
    """When a case closes, its facilitator's place is freed (``at``: when, if not now: the demo's history)."""
    case.allocations.filter(status__in=pool.OPEN).update(
        status=AllocationStatus.ENDED, ended_at=at or timezone.now(), end_reason=EndReason.CASE_CLOSED
    )


class ProfileConflict(Exception):
    """Someone else saved the profile while this person was editing it."""


def add_profile(user: User, service_id: int, data: dict) -> FacilitatorProfile:
    """The service sets up a facilitator's profile (one per facilitator and service: the same form sent again
    saves that one)."""
    with transaction.atomic():
        profile, _ = FacilitatorProfile.objects.get_or_create(
            user=user, service_id=service_id, defaults={"role": data["role"]}
        )
        save_profile(profile, {**data, "version": None}, as_service=True)
    return profile


# What a facilitator may change on their profile, and what only the service may.
PROFILE_FIELDS = ("accreditation", "about", "specialisms", "gender", "trained_outside_uk", "meets_in_person")
SERVICE_PROFILE_FIELDS = ("role", "capacity", "accepting_cases")


def save_profile(profile: FacilitatorProfile, data: dict, *, as_service: bool) -> None:
    """Save the fields this person may change, refusing to overwrite a newer save. The same form sent twice
    (its ``submission_token`` made the latest save, and nothing else since) is saved again, not a conflict."""
    fields = [*PROFILE_FIELDS, *(SERVICE_PROFILE_FIELDS if as_service else ())]
    token = data.get("submission_token")
    with transaction.atomic():
        current = FacilitatorProfile.objects.select_for_update().get(pk=profile.pk)
        based_on = data.get("version")
        if based_on is not None and based_on != current.version:
            repeat = token is not None and current.last_submission_token == token and current.version == based_on + 1
            if not repeat:
                raise ProfileConflict
        for name in fields:
            setattr(current, name, data[name])
        current.version += 1
        current.last_submission_token = token
        current.save()
        if as_service:
            current.conflicted_organisations.set(data["conflicted_organisations"])


def save_preferences(case: Case, data: dict) -> None:
    from .models import MatchingPreferences

    MatchingPreferences.objects.update_or_create(
        case=case,
        defaults={name: data[name] for name in ("gender", "in_person", "trained_outside_uk", "anything_else")},
    )


def accepted_on(case: Case) -> NotBefore | None:
    """When the case's facilitator accepted it: no session with them is dated before (``casework.date_order``)."""
    if not case.facilitator_id:
        return None
    allocation = (
        Allocation.objects.filter(case=case, facilitator_id=case.facilitator_id, responded_at__isnull=False)
        .exclude(status__in=[AllocationStatus.DECLINED, AllocationStatus.PROPOSED])
        .order_by("-responded_at")
        .first()
    )
    if allocation is None:
        return None
    return NotBefore(timezone.localdate(allocation.responded_at), "the facilitator accepted the case")
