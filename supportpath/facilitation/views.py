"""Facilitator pages for the service, the facilitator and the doctor. Thin: access through access.py and
casework.access, rules in services."""

from typing import NamedTuple

from django.contrib import messages
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from supportpath.accounts import policy
from supportpath.accounts.models import DoctorProfile, Membership, Role
from supportpath.accounts.roles import has_role, organisation_ids_for
from supportpath.accounts.service_navigation import service_admin_navigation
from supportpath.appointments.presenters import Booked, booked_for_cases
from supportpath.audit import lists
from supportpath.casework import seams as casework_seams
from supportpath.casework.access import CASE_MANAGER_ONLY, get_case_for, get_own_case
from supportpath.casework.models import Stage
from supportpath.casework.relationships import CLOSED_FOR_DOCTOR, is_open
from supportpath.core.form_fields import posted
from supportpath.core.pagination import paginate, paginate_bounded, paginate_uncounted
from supportpath.pathway.access import has_own_notes
from supportpath.pathway.models import SupportSession

from . import access, matching_runs, pool, services
from .forms import IntroductionForm, PreferencesForm, ProfileForm, ProposeForm, RespondForm, new_token
from .models import AllocationStatus, FacilitatorProfile, IntroductionOutcome, MatchingPreferences

FACILITATORS = "facilitation:facilitators"

PAGE_SIZE = 25
OFFERS_SHOWN = 50  # offers waiting for an answer: a facilitator has a handful at most
PAST_SHOWN = 50
OPEN_STAGES = [stage for stage, _ in Stage.choices if stage != Stage.CLOSED]


# The service: the facilitator pool


def _pool_page_context(request: HttpRequest, *, current: str = "", within: str = "") -> dict:
    """Case managers see their tabs; a service admin sees the service's navigation in the header."""
    context = {"show_case_manager_tabs": has_role(request.user, Role.CASE_MANAGER)}
    if has_role(request.user, Role.SERVICE_ADMIN):
        context["navigation_items"] = service_admin_navigation(current, within=within)
    return context


def facilitators(request: HttpRequest) -> HttpResponse:
    refusal = policy.role_only(request, access.manages_a_service, "facilitation/not_for_you.jinja")
    if refusal:
        return refusal
    service_ids = access.services_managed_by(request.user)
    memberships = (
        Membership.objects.filter(organisation_id__in=service_ids, role=Role.FACILITATOR)
        .select_related("user", "organisation")
        .order_by("user__full_name", "id")
    )
    # A page at a time, with each shown facilitator's profile and open cases only: a national service has hundreds.
    page, page_links = paginate(request, memberships, PAGE_SIZE)
    shown = list(page.object_list)
    profiles = {
        (p.user_id, p.service_id): p
        for p in FacilitatorProfile.objects.filter(service_id__in=service_ids, user_id__in=[m.user_id for m in shown])
    }
    loads = pool.active_loads([m.user_id for m in shown])
    rows = [(m, profiles.get((m.user_id, m.organisation_id)), loads.get(m.user_id, 0)) for m in shown]
    return render(
        request,
        "facilitation/facilitators.jinja",
        {
            "rows": rows,
            "page_links": page_links,
            "total": page.paginator.count,
            **_pool_page_context(request, current=FACILITATORS),
        },
    )


def create_profile(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = (
        Membership.objects.filter(
            pk=membership_pk, role=Role.FACILITATOR, organisation_id__in=access.services_managed_by(request.user)
        )
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such facilitator")
    existing = FacilitatorProfile.objects.filter(user=membership.user, service=membership.organisation_id).first()
    if existing:
        return redirect("facilitation:edit_profile", pk=existing.pk)
    form = ProfileForm(
        posted(request),
        as_service=True,
        service=membership.organisation,
        initial={"submission_token": new_token()},
        about_someone_else=_someone_else(request, membership.user),
    )
    if request.method == "POST" and form.is_valid():
        services.add_profile(membership.user, membership.organisation_id, form.cleaned_data)
        messages.success(request, f"{membership.user.full_name}'s profile is saved.")
        return redirect("facilitation:facilitators")
    return render(
        request,
        "facilitation/profile_form.jinja",
        {
            "form": form,
            "person": membership.user,
            "as_service": True,
            "someone_else": _someone_else(request, membership.user),
            **_pool_page_context(request, within=FACILITATORS),
        },
    )


def _someone_else(request: HttpRequest, facilitator) -> str:
    """The facilitator's name when the person editing is someone else; empty when it is the facilitator."""
    return "" if facilitator.pk == request.user.pk else facilitator.full_name


def edit_profile(request: HttpRequest, pk: int) -> HttpResponse:
    profile, as_service = access.get_profile_for_editing(request.user, pk)
    someone_else = _someone_else(request, profile.user)
    if request.method == "POST":
        form = ProfileForm(
            request.POST,
            as_service=as_service,
            service=profile.service,
            profile=profile,
            about_someone_else=someone_else,
        )
        if form.is_valid():
            try:
                services.save_profile(profile, form.cleaned_data, as_service=as_service)
            except services.ProfileConflict:
                form.add_error(
                    None,
                    "Someone else changed this profile while you were editing it. Your changes are below and "
                    "have not been saved: check them against the latest profile, then save again.",
                )
                profile.refresh_from_db(fields=["version"])
                form.data = form.data.copy()
                form.data["version"] = str(profile.version)
            else:
                messages.success(request, "The profile is saved.")
                return redirect("facilitation:facilitators" if as_service else "facilitation:my_allocations")
    else:
        form = ProfileForm(
            initial=ProfileForm.initial_for(profile),
            as_service=as_service,
            service=profile.service,
            profile=profile,
            about_someone_else=someone_else,
        )
    return render(
        request,
        "facilitation/profile_form.jinja",
        {
            "form": form,
            "person": profile.user,
            "as_service": as_service,
            "someone_else": someone_else,
            "profile": profile,
            **(_pool_page_context(request, within=FACILITATORS) if as_service else {}),
        },
    )


NOT_READY = (
    "No facilitator has been asked. The first conversation with the doctor has not taken place yet, so their "
    "needs are not known: record the needs assessment first."
)


def allocate_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(
        request.user,
        pk,
        purpose="Choosing a facilitator",
        action="changed" if request.method == "POST" else "viewed",
        only=CASE_MANAGER_ONLY,
        writes=True,
    )
    current = services.open_allocation(case)
    # Before the first conversation nobody is suggested or asked: the same rule as the waiting list's.
    ready = pool.first_conversation_held(case)
    if request.method == "POST" and current is None and not ready:
        messages.error(request, NOT_READY)
        return redirect("facilitation:allocate_case", pk=case.pk)
    suggestions = services.suggestions_for(case) if ready and current is None else []
    form = ProposeForm(
        posted(request),
        choices=[(s.profile.user_id, s.profile.user.full_name) for s in suggestions],
    )
    if request.method == "POST" and current is None and form.is_valid():
        try:
            allocation = services.propose(case, form.cleaned_data["facilitator"], by=request.user)
        except services.AllocationRefused as refused:
            form.add_error("facilitator", str(refused))
        else:
            messages.success(
                request, f"{allocation.facilitator.full_name} has been asked to take the case. You will hear back."
            )
            return redirect("pathway:case_detail", pk=case.pk)
    history = case.allocations.select_related("facilitator").order_by("-proposed_at", "-id")
    try:
        preferences = case.matching_preferences
    except MatchingPreferences.DoesNotExist:
        preferences = None
    return render(
        request,
        "facilitation/allocate_case.jinja",
        {
            "case": case,
            "form": form,
            "suggestions": suggestions,
            "current": current,
            "history": history,
            "preferences": preferences,
            "first_conversation_held": ready,
        },
    )


def _doctor(pk: int, user_id: int) -> DoctorProfile:
    """A doctor as a list's log of sightings reads them: the profile's key and their account's, from the list's
    own row (``lists.log_list`` needs nothing else), made as ``.only("id", "user_id")`` would make it (a third
    of the cost of ``DoctorProfile(pk=..., user_id=...)``, for each of 100 rows)."""
    return DoctorProfile.from_db(DEFAULT_DB_ALIAS, ["id", "user_id"], [pk, user_id])


def waiting_list(request: HttpRequest) -> HttpResponse:
    # Allocating is the case managers' work, and the list names the doctors waiting: a service admin, who
    # runs the facilitator pool but has no part in any doctor's support, does not see it.
    refusal = policy.role_only(request, policy.holding(Role.CASE_MANAGER), "facilitation/not_for_you.jinja")
    if refusal:
        return refusal
    service_ids = organisation_ids_for(request.user, Role.CASE_MANAGER)
    if request.method == "POST":
        pairs = []
        for value in request.POST.getlist("pair"):
            case_id, _, facilitator_id = value.partition(":")
            if case_id.isdigit() and facilitator_id.isdigit():
                pairs.append((int(case_id), int(facilitator_id)))
        made, problems = services.allocate_waiting_list(pairs, by=request.user, service_ids=service_ids)
        if made:
            messages.success(
                request, f"{made} facilitator{'s have' if made != 1 else ' has'} been asked to take a case."
            )
        for problem in problems:
            messages.warning(request, f"Not allocated: {problem}")
        if not made and not problems:
            messages.info(request, "Nothing was allocated.")
        return redirect("facilitation:waiting_list")
    runs = [matching_runs.run_for(service_id) for service_id in sorted(service_ids)]
    # Read as rows of the columns it shows and logs, not as instances (services.WAITING_ROW_COLUMNS).
    waiting = pool.waiting_queryset(service_ids).values_list(*services.WAITING_ROW_COLUMNS)
    # The list's length and the cases still before their first conversation: one pass over the service's cases.
    assessed, before_first_conversation = pool.waiting_counts(service_ids)
    page, page_links, waiting_count = paginate_bounded(request, waiting, PAGE_SIZE * 4, counted=assessed)
    planned = services.planned_page(page.object_list)
    services_named = lists.organisation_names(request.user, Role.CASE_MANAGER)
    shown = [(_doctor(p.doctor_id, p.doctor_user_id), services_named.get(p.service_id, "")) for p in planned]
    lists.log_list(request.user, lists.WAITING_LIST, shown)
    return render(
        request,
        "facilitation/waiting_list.jinja",
        {
            "page": page,
            "page_links": page_links,
            "planned": planned,
            "waiting_count": waiting_count,
            "allocatable": [p for p in planned if p.facilitator_id],
            "current": all(run.is_current for run in runs),
            "worked_out_at": min((run.computed_at for run in runs if run.computed_at), default=None),
            "before_first_conversation": before_first_conversation,
        },
    )


# The facilitator


class EarlierOffer(NamedTuple):
    """A line of the work list's "Earlier": read as a row, not as three instances (an allocation, its case and
    its request) for each of up to ``PAST_SHOWN`` lines."""

    case_id: int
    reference: str
    stage: str
    status: str
    own_notes: bool  # where they wrote private notes: theirs to read for good, even once the case is not

    @property
    def status_display(self) -> str:
        return AllocationStatus(self.status).label


# What the work list reads of an offer and of a case supported: the row, the sighting it logs (the doctor and
# the service) and, for a case supported, its targets' dates (``progress.targets`` reads the case's own dates).
_LOGGED = (
    "case__request__reference",
    "case__request__urgent",
    "case__request__urgent_dealt_with_on",
    "case__request__service_id",
    "case__request__doctor__user_id",
)
OFFERED_FIELDS = ("proposed_at", "intro_held_on", "intro_requested_at", *_LOGGED)
SUPPORTED_FIELDS = (
    "responded_at",
    "intro_requested_at",
    "intro_outcome",
    "case__stage",
    "case__opened_at",
    "case__initial_conversation_due",
    "case__plan_agreed_due",
    *_LOGGED,
    "case__request__doctor__user__full_name",
    "case__request__doctor__user__erased_at",
)


def my_allocations(request: HttpRequest) -> HttpResponse:
    """The facilitator's work list: the doctors they support by name, with the next session, the next review and
    anything overdue, soonest first; offers waiting for their answer apart; what happened to earlier ones."""
    refusal = policy.role_only(request, policy.holding(Role.FACILITATOR), "facilitation/not_for_you.jinja")
    if refusal:
        return refusal
    mine = access.allocations_for_facilitator(request.user)
    # Each list reads only what it shows and logs (no encrypted value: docs/scale.md, no column unread).
    waiting = list(
        mine.filter(status=AllocationStatus.PROPOSED)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case__request__doctor")
        .only(*OFFERED_FIELDS)
        .order_by("proposed_at", "id")[:OFFERS_SHOWN]
    )
    supporting = (
        mine.filter(status=AllocationStatus.ACCEPTED)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case__request__doctor__user")
        .only(*SUPPORTED_FIELDS)
        .annotate(
            # The latest session, one index read a row (session_case_recent), not a GROUP BY over every
            # session of every case of theirs: the pager's count then reads the allocations alone.
            last_session=Subquery(
                SupportSession.objects.filter(case=OuterRef("case_id")).order_by("-held_on").values("held_on")[:1]
            ),
        )
        .order_by(F("case__next_due").asc(nulls_last=True), "case_id")
    )
    # It shows no total: its first page is read without counting the list (one query fewer).
    page, page_links = paginate_uncounted(request, supporting, PAGE_SIZE)
    active = list(page.object_list)
    # From the appointments booked ahead, for the page's rows only: the next session and review to come, and the
    # first one whose time has passed with nothing recorded of what happened.
    booked = booked_for_cases([a.case_id for a in active])
    for a in active:
        a.next_session_at, a.next_review_at, a.unrecorded_at = booked.get(a.case_id, Booked())
    past = [
        EarlierOffer(*row)
        for row in mine.exclude(status=AllocationStatus.PROPOSED, case__stage__in=OPEN_STAGES)
        .exclude(status=AllocationStatus.ACCEPTED, case__stage__in=OPEN_STAGES)
        .order_by("-proposed_at", "-id")
        .values_list(
            "case_id",
            "case__request__reference",
            "case__stage",
            "status",
            has_own_notes(request.user, OuterRef("case_id")),
        )[:PAST_SHOWN]
    ]
    services_named = lists.organisation_names(request.user, Role.FACILITATOR)
    shown = [(a.case.request.doctor, services_named.get(a.case.request.service_id, "")) for a in waiting + active]
    lists.log_list(request.user, lists.OFFERED, shown)
    today = timezone.localdate()
    rows = casework_seams.supported_rows(active, today)
    # Each profile's id and service's name, all its line shows: not the two records whole.
    profiles = FacilitatorProfile.objects.filter(user=request.user).values_list("pk", "service__name")
    return render(
        request,
        "facilitation/my_allocations.jinja",
        {
            "waiting": waiting,
            "rows": rows,
            "page": page,
            "page_links": page_links,
            "past": past,
            "profiles": profiles,
        },
    )


def respond(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = access.get_allocation_for_facilitator(
        request.user, pk, action="changed" if request.method == "POST" else "viewed"
    )
    form = RespondForm(posted(request))
    if request.method == "POST" and allocation.status == AllocationStatus.PROPOSED and form.is_valid():
        if form.cleaned_data["decision"] == "accept":
            services.accept(allocation)
            messages.success(request, "You have accepted the case. The doctor has been told.")
            return redirect("pathway:case_detail", pk=allocation.case_id)
        services.decline(allocation, reason=form.cleaned_data["reason"])
        messages.success(request, "You have declined the case. The case manager has been told.")
        return redirect("facilitation:my_allocations")
    support_request = allocation.case.request
    return render(
        request,
        "facilitation/respond.jinja",
        {"allocation": allocation, "form": form, "support_request": support_request},
    )


def record_introduction(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator records the introductory conversation the doctor asked for: held, or not going ahead."""
    allocation = access.get_allocation_for_facilitator(
        request.user, pk, action="changed" if request.method == "POST" else "viewed"
    )
    waiting = allocation.is_open and allocation.intro_requested_at and not allocation.intro_outcome
    form = IntroductionForm(posted(request))
    if request.method == "POST" and waiting and form.is_valid():
        try:
            services.record_introduction(
                allocation, outcome=form.cleaned_data["outcome"], held_on=form.cleaned_data["held_on"]
            )
        except services.IntroductionRefused as refused:
            form.add_error(None, str(refused))
        else:
            if form.cleaned_data["outcome"] == IntroductionOutcome.NOT_GOING_AHEAD:
                messages.success(request, "Thank you. The case manager has been told and will find someone else.")
                return redirect("facilitation:my_allocations")
            messages.success(request, "The introduction is recorded. The doctor can see it.")
            return redirect("facilitation:respond", pk=allocation.pk)
    return render(
        request,
        "facilitation/record_introduction.jinja",
        {"allocation": allocation, "form": form, "waiting": waiting, "reference": allocation.case.request.reference},
    )


# The doctor


def my_facilitator(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    current = services.open_allocation(case)
    profile = (
        FacilitatorProfile.objects.filter(user_id=current.facilitator_id, service_id=case.request.service_id).first()
        if current
        else None
    )
    return render(
        request,
        "facilitation/my_facilitator.jinja",
        {
            "case": case,
            "current": current,
            "profile": profile,
            "can_change": current is not None
            and current.status == AllocationStatus.ACCEPTED
            and not services.has_changed_before(case),
            "changed_before": services.has_changed_before(case),
            "not_taken_up": None if current else services.last_introduction_not_taken_up(case),
        },
    )


def my_preferences(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if not is_open(case):
        messages.info(request, CLOSED_FOR_DOCTOR)
        return redirect("pathway:my_case", pk=case.pk)
    existing = MatchingPreferences.objects.filter(case=case).first()
    initial = {"in_person": "no", "trained_outside_uk": "no"}
    if existing:
        initial = {
            "gender": existing.gender,
            "in_person": "yes" if existing.in_person else "no",
            "trained_outside_uk": "yes" if existing.trained_outside_uk else "no",
            "anything_else": existing.anything_else,
        }
    form = PreferencesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(case, form.cleaned_data)
        messages.success(request, "Thank you. Your case manager will bear this in mind when choosing.")
        return redirect("facilitation:my_facilitator", pk=case.pk)
    return render(request, "facilitation/my_preferences.jinja", {"case": case, "form": form})


@require_POST
def ask_for_introduction(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    current = services.open_allocation(case)
    if current is None:
        raise Http404("No facilitator to meet yet")
    services.ask_for_introduction(current)
    messages.success(request, f"We have asked {current.facilitator.full_name} to arrange a short introduction.")
    return redirect("facilitation:my_facilitator", pk=case.pk)


def change_facilitator(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if request.method == "POST":
        if services.change_facilitator(case):
            messages.success(request, "Your case manager will find you a different facilitator.")
        else:
            messages.warning(request, "You have already changed facilitator once. Please talk to your case manager.")
        return redirect("facilitation:my_facilitator", pk=case.pk)
    current = services.open_allocation(case)
    if current is None or current.status != AllocationStatus.ACCEPTED or services.has_changed_before(case):
        return redirect("facilitation:my_facilitator", pk=case.pk)
    return render(request, "facilitation/change_facilitator.jinja", {"case": case, "current": current})
