"""Peer support pages. Thin: records through ``access``, rules in ``services``, results in ``results``."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supportpath.accounts import policy
from supportpath.accounts.http import AuthenticatedRequest
from supportpath.accounts.models import DoctorProfile, Membership, Role, User
from supportpath.accounts.roles import is_doctor
from supportpath.audit import lists
from supportpath.audit.lists import ListPage
from supportpath.core.form_fields import posted

from . import access, check_questions, results, services
from .forms import (
    AnswerForm,
    ApproveForm,
    AskForm,
    CheckAnswerForm,
    ConcernForm,
    GroupForm,
    JoinForm,
    MeetingForm,
    OfferForm,
    StartCheckForm,
)
from .models import (
    EndedBy,
    GroupMember,
    MemberStatus,
    PeerConcern,
    PeerSupporter,
    RequestStatus,
    SupporterStatus,
)

SUPPORTERS_LIST = ListPage(
    "peer:supporters",
    Role.CASE_MANAGER,
    "Saw your name in the case managers' list of peer supporters and requests for one",
    "Arranging peer support",
)
GROUP_MEMBERS = ListPage(
    "peer:group",
    Role.FACILITATOR,
    "Saw your name in the list of a peer group's members",
    "Running a peer group",
)


def _refuse_unless_doctor(request: AuthenticatedRequest) -> DoctorProfile:
    return access.doctor_of(request.user)


# The doctor's own pages


def home(request: AuthenticatedRequest) -> HttpResponse:
    doctor = _refuse_unless_doctor(request)
    supporter_records = list(PeerSupporter.objects.filter(doctor=doctor).select_related("service"))
    my_requests = list(doctor.peer_requests.select_related("service").prefetch_related("matches").order_by("-asked_at"))
    as_supporter = list(
        access.matches_seen_by_supporter(request.user).select_related("request__doctor__user").order_by("-proposed_at")
    )
    memberships = list(GroupMember.objects.filter(doctor=doctor).select_related("group"))
    return render(
        request,
        "peer/home.jinja",
        {
            "supporter_records": supporter_records,
            "my_requests": my_requests,
            "as_supporter": as_supporter,
            "memberships": memberships,
            "can_offer": bool(services.services_after_support(doctor)),
            "can_ask": bool(services.services_in_or_after_support(doctor)),
            "statuses": SupporterStatus,
        },
    )


def offer(request: AuthenticatedRequest) -> HttpResponse:
    doctor = _refuse_unless_doctor(request)
    choices = services.services_after_support(doctor)
    if not choices:
        messages.info(request, "You can offer to be a peer supporter once your own support has ended.")
        return redirect("peer:home")
    form = OfferForm(posted(request), services=choices)
    if request.method == "POST" and form.is_valid():
        services.offer(doctor, form.service, form.cleaned_data)
        messages.success(
            request, "Thank you. The service will contact you about preparing to be a peer supporter before approving."
        )
        return redirect("peer:home")
    return render(request, "peer/offer.jinja", {"form": form})


@require_POST
def my_status(request: AuthenticatedRequest) -> HttpResponse:
    doctor = _refuse_unless_doctor(request)
    if not request.POST.get("supporter", "").isdigit():
        messages.warning(request, "Choose pause, start again or stop.")
        return redirect("peer:home")
    supporter = PeerSupporter.objects.filter(doctor=doctor, pk=request.POST["supporter"]).first()
    if supporter is None:
        raise Http404("No such offer")
    wanted = request.POST.get("status", "")
    try:
        services.set_own_status(supporter, wanted)
        messages.success(
            request,
            {
                "paused": "You have paused.",
                "approved": "Welcome back.",
                "stopped": "You have stopped being a peer supporter.",
            }.get(wanted, "Done."),
        )
    except services.NotAllowed as refused:
        messages.warning(request, str(refused))
    return redirect("peer:home")


def ask(request: AuthenticatedRequest) -> HttpResponse:
    doctor = _refuse_unless_doctor(request)
    choices = services.services_in_or_after_support(doctor)
    if not choices:
        messages.info(request, "You can ask for a peer supporter once you are in support with a service.")
        return redirect("peer:home")
    form = AskForm(posted(request), services=choices, initial={"submission_token": uuid.uuid4(), "same_employer": "no"})
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "same_employer_ok": form.cleaned_data["same_employer"] == "yes"}
        services.ask(doctor, form.service, data, token=form.cleaned_data["submission_token"])
        messages.success(
            request, "Your request is sent. A case manager will suggest a peer supporter for you to say yes or no to."
        )
        return redirect("peer:home")
    return render(request, "peer/ask.jinja", {"form": form})


def match(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    m, side = access.get_match_for(request.user, pk)
    mine_to_answer = m.is_open and (
        (side == "doctor" and not m.doctor_answer) or (side == "supporter" and not m.supporter_answer)
    )
    form = AnswerForm(posted(request) if mine_to_answer else None)
    if request.method == "POST":
        if mine_to_answer and form.is_valid():
            services.answer(m, side, form.cleaned_data["answer"] == "yes")
            return redirect("peer:match", pk=m.pk)
        if not mine_to_answer:
            return redirect("peer:match", pk=m.pk)
    return render(request, "peer/match.jinja", {"match": m, "side": side, "form": form, "to_answer": mine_to_answer})


@require_POST
def end_match(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    m, side = access.get_match_for(request.user, pk)
    services.end_match(m, by=EndedBy.DOCTOR if side == "doctor" else EndedBy.SUPPORTER)
    messages.success(request, "It has ended. Nobody will ask you why.")
    return redirect("peer:home")


def concern(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    m, side = access.get_match_for(request.user, pk)
    if side != "supporter" or not m.both_agreed:
        raise Http404("Only the peer supporter raises a concern")
    form = ConcernForm(posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        services.raise_concern(m, form.cleaned_data["text"], token=form.cleaned_data["submission_token"])
        messages.success(request, "Your concern has gone to the service's case manager.")
        return redirect("peer:match", pk=m.pk)
    return render(request, "peer/concern.jinja", {"match": m, "form": form})


# The case managers' pages


def _refuse_unless_case_manager(request: AuthenticatedRequest) -> None:
    """For a page that names a record (a supporter, a request): 404 to anyone else (docs/access-policy.md)."""
    if not access.is_case_manager(request.user):
        raise Http404("Case managers only")


def _case_managers_only(request: AuthenticatedRequest) -> HttpResponse | None:
    """For a case managers' working page (a list, a form to start something): 403 to anyone else."""
    return policy.role_only(request, access.is_case_manager, "casework/case_managers_only.jinja")


def supporters(request: AuthenticatedRequest) -> HttpResponse:
    refusal = _case_managers_only(request)
    if refusal:
        return refusal
    people = list(
        access.supporters_for_case_manager(request.user)
        .exclude(status=SupporterStatus.STOPPED)
        .select_related("doctor__user", "service")
        .order_by("status", "-offered_at")[:100]
    )
    waiting = list(
        access.requests_for_case_manager(request.user)
        .filter(status=RequestStatus.WAITING)
        .select_related("doctor__user", "service")
        .order_by("asked_at")[:100]
    )
    concerns = list(
        access.concerns_for_case_manager(request.user)
        .filter(seen_at__isnull=True)
        .select_related("match__request")
        .order_by("raised_at")[:100]
    )
    lists.log_list(
        request.user,
        SUPPORTERS_LIST,
        [(s.doctor, s.service.name) for s in people] + [(r.doctor, r.service.name) for r in waiting],
    )
    return render(
        request,
        "peer/supporters.jinja",
        {"people": people, "waiting": waiting, "concerns": concerns, "statuses": SupporterStatus},
    )


def supporter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _refuse_unless_case_manager(request)
    s = access.get_supporter_for_case_manager(request.user, pk, changed=request.method == "POST")
    form = ApproveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.approve(s, by=request.user, preparation_done_on=form.cleaned_data["preparation_done_on"])
            messages.success(request, f"{s.doctor.user.full_name} is approved as a peer supporter.")
            return redirect("peer:supporters")
        except services.NotAllowed as refused:
            messages.warning(request, str(refused))
    return render(request, "peer/supporter.jinja", {"supporter": s, "form": form, "statuses": SupporterStatus})


def peer_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _refuse_unless_case_manager(request)
    r = access.get_request_for_case_manager(request.user, pk, changed=request.method == "POST")
    if request.method == "POST":
        try:
            services.propose(r, int(request.POST.get("supporter") or 0), by=request.user)
            messages.success(
                request, "The doctor has been asked whether they would like to talk with this peer supporter."
            )
            return redirect("peer:supporters")
        except (services.NotAllowed, ValueError):
            messages.warning(request, "Choose one of the suggested peer supporters.")
            return redirect("peer:request", pk=r.pk)
    matches = list(r.matches.select_related("supporter__doctor__user"))
    concerns = list(PeerConcern.objects.filter(match__request=r).order_by("raised_at"))
    for c in concerns:
        services.mark_concern_seen(c, by=request.user)
    return render(
        request,
        "peer/request.jinja",
        {
            "peer_request": r,
            "suggestions": services.suggestions(r) if r.status == RequestStatus.WAITING else [],
            "matches": matches,
            "concerns": concerns,
        },
    )


# Groups


def groups(request: AuthenticatedRequest) -> HttpResponse:
    staff_groups = list(access.groups_for_staff(request.user).select_related("facilitator"))
    doctor = is_doctor(request.user)
    if not staff_groups and not access.is_case_manager(request.user) and not doctor:
        raise Http404("No groups")
    doctor_groups = list(access.groups_for_doctor(request.user)) if doctor else []
    mine = {}
    if doctor:
        mine = {m.group_id: m for m in GroupMember.objects.filter(doctor=request.user.doctor_profile)}
    return render(
        request,
        "peer/groups.jinja",
        {
            "staff_groups": staff_groups,
            "doctor_groups": doctor_groups,
            "mine": mine,
            "can_create": access.is_case_manager(request.user),
        },
    )


def _facilitators_of(service_ids: set[int]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation_id__in=service_ids,
            memberships__role__in=[Role.FACILITATOR, Role.CASE_MANAGER],
        )
        .distinct()
        .order_by("full_name")
    )


def new_group(request: AuthenticatedRequest) -> HttpResponse:
    refusal = _case_managers_only(request)
    if refusal:
        return refusal
    service_ids = access.case_manager_services(request.user)
    people = _facilitators_of(service_ids)
    form = GroupForm(posted(request), facilitators=people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("facilitator")
        facilitator = next(u for u in people if str(u.pk) == chosen)
        membership = (
            Membership.objects.filter(
                user=facilitator, organisation_id__in=service_ids, role__in=[Role.FACILITATOR, Role.CASE_MANAGER]
            )
            .select_related("organisation")
            .first()
        )
        if membership is None:  # they left the service since the form was shown
            raise Http404("No such facilitator")
        group = services.create_group(membership.organisation, {**data, "facilitator": facilitator}, by=request.user)
        messages.success(
            request, f"The group \u201c{group.name}\u201d is set up. Doctors of the service can ask to join."
        )
        return redirect("peer:group", pk=group.pk)
    return render(request, "peer/new_group.jinja", {"form": form})


def group(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    g, seen_as = access.get_group_for(request.user, pk)
    if seen_as == "staff":
        members = list(g.members.select_related("doctor__user").exclude(status=MemberStatus.LEFT))
        lists.log_list(request.user, GROUP_MEMBERS, [(m.doctor, g.service.name) for m in members])
        meetings = list(g.meetings.annotate(came=Count("attendance")))
        return render(
            request,
            "peer/group_staff.jinja",
            {
                "group": g,
                "asked": [m for m in members if m.status == MemberStatus.ASKED],
                "admitted": [m for m in members if m.status == MemberStatus.ADMITTED],
                "meetings": meetings,
                "full": sum(1 for m in members if m.status == MemberStatus.ADMITTED) >= g.size_limit,
            },
        )
    member = GroupMember.objects.filter(group=g, doctor=request.user.doctor_profile).first()
    return render(
        request,
        "peer/group_doctor.jinja",
        {
            "group": g,
            "member": member,
            "names": services.names_seen_by(member) if member else [],
            "full": services.admitted_count(g) >= g.size_limit,
        },
    )


def join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    g, seen_as = access.get_group_for(request.user, pk)
    if seen_as != "doctor":
        raise Http404("Doctors join groups")
    member = GroupMember.objects.filter(group=g, doctor=request.user.doctor_profile).first()
    form = JoinForm(
        posted(request), initial={"share_first_name": "yes" if member and member.share_first_name else None}
    )
    if request.method == "POST" and form.is_valid():
        share = form.cleaned_data["share_first_name"] == "yes"
        if member and member.status in (MemberStatus.ASKED, MemberStatus.ADMITTED):
            services.set_first_name_choice(member, share)
            messages.success(request, "Your choice is saved.")
        else:
            services.ask_to_join(g, request.user.doctor_profile, share_first_name=share)
            messages.success(request, "You have asked to join. The group's facilitator will let you know.")
        return redirect("peer:group", pk=g.pk)
    return render(request, "peer/join.jinja", {"group": g, "form": form, "member": member})


@require_POST
def admit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_facilitator(request.user, pk)
    if request.POST.get("answer") not in ("yes", "no"):
        messages.warning(request, "Choose whether to admit them.")
        return redirect("peer:group", pk=member.group_id)
    try:
        services.admit(member, yes=request.POST["answer"] == "yes")
        messages.success(request, "Saved.")
    except services.NotAllowed as refused:
        messages.warning(request, str(refused))
    return redirect("peer:group", pk=member.group_id)


def record_meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    g, seen_as = access.get_group_for(request.user, pk)
    if seen_as != "staff" or g.facilitator_id != request.user.pk:
        raise Http404("The group's facilitator records its meetings")
    members = list(g.members.filter(status=MemberStatus.ADMITTED).select_related("doctor__user"))
    form = MeetingForm(posted(request), members=members)
    if request.method == "POST" and form.is_valid():
        services.record_meeting(
            g, held_on=form.cleaned_data["held_on"], came=[int(x) for x in form.cleaned_data["came"]], by=request.user
        )
        messages.success(request, "The meeting is recorded.")
        return redirect("peer:group", pk=g.pk)
    return render(request, "peer/record_meeting.jinja", {"group": g, "form": form})


# A GP practice's peer-support check


def _practice_leads_only(request: AuthenticatedRequest) -> HttpResponse | None:
    """The practice lead's working pages: 403 to anyone signed in who leads no GP practice."""
    return policy.role_only(
        request, lambda user: bool(access.lead_gp_practices(user)), "peer/practice_leads_only.jinja"
    )


def checks(request: AuthenticatedRequest) -> HttpResponse:
    refusal = _practice_leads_only(request)
    if refusal:
        return refusal
    return render(
        request,
        "peer/checks.jinja",
        {
            "checks": list(access.checks_for_lead(request.user).select_related("practice")),
            "min_answers": services.MIN_ANSWERS,
        },
    )


def start_check(request: AuthenticatedRequest) -> HttpResponse:
    refusal = _practice_leads_only(request)
    if refusal:
        return refusal
    practices = access.lead_gp_practices(request.user)
    form = StartCheckForm(posted(request), initial={"submission_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        check, tokens = services.start_check(
            practices[0],
            by=request.user,
            team_size=form.cleaned_data["team_size"],
            token=form.cleaned_data["submission_token"],
        )
        if not tokens:
            messages.info(request, "This check was already started. Its links were shown once, when it started.")
            return redirect("peer:check", pk=check.pk)
        links = [request.build_absolute_uri(f"/peer-support/check/{t}/") for t in tokens]
        return render(request, "peer/check_links.jinja", {"check": check, "links": links})
    return render(request, "peer/start_check.jinja", {"form": form, "practice": practices[0]})


def check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    c = access.get_check_for_lead(request.user, pk)
    return render(
        request,
        "peer/check.jinja",
        {
            "check": c,
            "results": results.results(c),
            "reached": c.answers >= services.MIN_ANSWERS,
            "min_answers": services.MIN_ANSWERS,
        },
    )


@require_POST
def close_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    c = access.get_check_for_lead(request.user, pk)
    services.close_check(c)
    messages.success(request, "The check is closed. Its links no longer work.")
    return redirect("peer:check", pk=c.pk)


@login_not_required
def answer_check(request: HttpRequest, token: str) -> HttpResponse:
    """The anonymous answer page: no account, and nothing about the person is kept."""
    link = services.link_for(token)
    if link is None:
        return render(request, "peer/check_link_gone.jinja")
    form = CheckAnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.record_answer(token, form.cleaned_data)
        return render(request, "peer/check_thanks.jinja")
    return render(
        request,
        "peer/check_answer.jinja",
        {
            "form": form,
            "practice": link.check_record.practice,
            "forms_questions": check_questions.FORMS,
            "moderator_questions": check_questions.MODERATORS,
        },
    )
