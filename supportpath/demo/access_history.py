"""Demo stage: the access log of what staff read along the way, so "Who has seen my record" reads as it would.

For each named doctor (the doctors a newcomer signs in as), every step the staff took on their request and
case leaves the rows the product writes when someone opens those pages: the case manager reading the request
to make first contact and accept it, arranging the conversation, recording the needs assessment, drafting and
sharing the plan, choosing a facilitator; the facilitator reading the case summary offered and answering,
recording sessions, reviews and milestones; the person who referred checking the status; the responsible
officer reading what is shared. The purposes and descriptions are the views' own. And for every emergency
access, the reads of the record the service admin made under it.

Rows are dated when each step happened (``access_log.write``). A doctor who already has rows from before the
moment of seeding is left alone, so running the demo again adds nothing; reads made since, by people using
the demo, are real reads and count for nothing here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from supportpath.accounts.models import Role
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case
from supportpath.core.working_days import add_working_days
from supportpath.emergency_access import access as emergency_access
from supportpath.emergency_access import presenters as emergency_presenters
from supportpath.emergency_access.models import EmergencyAccess
from supportpath.facilitation.models import Allocation
from supportpath.pathway.models import InitialConversation, NeedsAssessment
from supportpath.plans.models import PlanVersion
from supportpath.progress.models import Closure, MilestoneDone, Reassessment, Review, RevisedDate
from supportpath.referrals.models import Status, SupportRequest
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience
from supportpath.sharing.models import AgreementVersion

from . import access_log
from .access_log import PastAccess
from .people import NAMED_DOCTORS

if TYPE_CHECKING:
    from .demo_state import Demo

VIEWED, CHANGED = AccessRecord.Action.VIEWED, AccessRecord.Action.CHANGED
EMERGENCY_READS_AFTER = (dt.timedelta(minutes=1), dt.timedelta(minutes=9))  # the admin read the record twice


def seed_access_history(demo: Demo) -> None:
    named = [demo.requests[spec.key] for spec in NAMED_DOCTORS if spec.key in demo.requests]
    logged = set(
        AccessRecord.objects.filter(doctor__in=[r.doctor_id for r in named], at__lt=demo.now)
        .exclude(action=AccessRecord.Action.EMERGENCY)
        .exclude(object_type=EmergencyAccess._meta.label_lower)  # the opening of a grant, logged by open_grant
        # The referral itself, logged by make_referral as the request was made.
        .exclude(action=AccessRecord.Action.CREATED, object_type=SupportRequest._meta.label_lower)
        .values_list("doctor_id", flat=True)
    )
    accesses = []
    for request in named:
        if request.doctor_id not in logged:
            accesses += Reads(demo, request).all()
    accesses += _emergency_reads(demo)
    demo.created["access log rows"] += access_log.write([a for a in accesses if a.at < demo.now])


class Reads:
    """The reads one request's history implies, with the purposes and descriptions the views write."""

    def __init__(self, demo: Demo, request: SupportRequest):
        self.demo = demo
        self.request = request
        self.rows: list[PastAccess] = []

    def add(self, at, actor, role, action, what, obj, purpose, organisation=None) -> None:
        if actor is None or at is None:
            return
        self.rows.append(
            PastAccess(
                at=at,
                actor=actor,
                role=role,
                organisation=self.request.service.name if organisation is None else organisation,
                doctor=self.request.doctor,
                action=action,
                what=what,
                obj=obj,
                purpose=purpose,
            )
        )

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def working_days_after(self, moment: dt.datetime, days: int, hour: int, minute: int) -> dt.datetime:
        """A time of day, ``days`` working days after ``moment``: when a busy person gets round to looking."""
        return self.moment(add_working_days(timezone.localdate(moment), days), hour, minute)

    def all(self) -> list[PastAccess]:
        request = self.request
        reference = request.reference
        if request.referrer_id:
            self.add(
                self.working_days_after(request.submitted_at, 2, 12, 10),
                request.referrer,
                Role.REFERRER,
                VIEWED,
                f"Status of referral {reference}",
                request,
                "Following up a referral they made",
                organisation=request.referrer_organisation.name if request.referrer_organisation else "",
            )
        triage = "Triage of a new request"
        if request.first_contact_on:
            for minute, action in ((5, VIEWED), (20, CHANGED)):
                self.add(
                    self.moment(request.first_contact_on, 9, minute),
                    request.first_contact_by,
                    Role.CASE_MANAGER,
                    action,
                    f"Support request {reference}",
                    request,
                    triage,
                )
        case = Case.objects.filter(request=request).select_related("case_manager").first()
        if case is None:
            if request.status == Status.HANDED_OVER:
                self.add(
                    request.handed_over_at,
                    request.handed_over_by or request.first_contact_by,
                    Role.CASE_MANAGER,
                    CHANGED,
                    f"Support request {reference}",
                    request,
                    triage,
                )
            return self.rows
        self._case(case)
        self._responsible_officer()
        return self.rows

    def _case(self, case: Case) -> None:
        reference = self.request.reference
        manager = case.case_manager
        record = f"Case record {reference}"
        self.add(
            case.opened_at,
            manager,
            Role.CASE_MANAGER,
            CHANGED,
            f"Support request {reference}",
            self.request,
            "Triage of a new request",
        )
        self.add(
            case.opened_at + dt.timedelta(minutes=4),
            manager,
            Role.CASE_MANAGER,
            VIEWED,
            record,
            case,
            "Managing the case",
        )
        if InitialConversation.objects.filter(case=case).exists():
            self.add(
                case.opened_at + dt.timedelta(minutes=10),
                manager,
                Role.CASE_MANAGER,
                CHANGED,
                record,
                case,
                "Arranging the initial conversation",
            )
        for assessment in NeedsAssessment.objects.filter(case=case).select_related("recorded_by"):
            self.add(
                self.moment(assessment.conversation_held_on, 15, 30),
                assessment.recorded_by,
                Role.CASE_MANAGER,
                CHANGED,
                record,
                case,
                "Recording the needs assessment",
            )
        for version in PlanVersion.objects.filter(plan__case=case).select_related("created_by"):
            drafted = version.created_at
            if version.shared_at and drafted > version.shared_at:
                drafted = version.shared_at - dt.timedelta(hours=20)
            self.add(
                drafted,
                version.created_by,
                Role.CASE_MANAGER,
                CHANGED,
                "Support plan",
                case,
                "Drafting the support plan",
            )
            self.add(
                version.shared_at,
                version.created_by,
                Role.CASE_MANAGER,
                CHANGED,
                "Support plan",
                case,
                "Sharing the support plan with the doctor",
            )
            if version.changes_requested_at:
                self.add(
                    version.changes_requested_at + dt.timedelta(hours=13),
                    manager,
                    Role.CASE_MANAGER,
                    VIEWED,
                    "Support plan",
                    case,
                    "Working on the support plan",
                )
        offered = f"Case summary offered for facilitation ({reference})"
        deciding = "Deciding whether to support the doctor"
        for allocation in Allocation.objects.filter(case=case).select_related("facilitator", "proposed_by"):
            self.add(
                allocation.proposed_at - dt.timedelta(minutes=3),
                allocation.proposed_by,
                Role.CASE_MANAGER,
                VIEWED,
                record,
                case,
                "Choosing a facilitator",
            )
            facilitator = allocation.facilitator
            if allocation.intro_recorded_at:
                self.add(allocation.intro_recorded_at, facilitator, Role.FACILITATOR, CHANGED, offered, case, deciding)
            if allocation.responded_at:
                self.add(
                    allocation.responded_at - dt.timedelta(minutes=8),
                    facilitator,
                    Role.FACILITATOR,
                    VIEWED,
                    offered,
                    case,
                    deciding,
                )
                self.add(allocation.responded_at, facilitator, Role.FACILITATOR, CHANGED, offered, case, deciding)
        for session in case.sessions.select_related("facilitator"):
            self.add(
                self.moment(session.held_on, 17, 5),
                session.facilitator,
                Role.FACILITATOR,
                CHANGED,
                record,
                case,
                "Recording a support session",
            )
        for review in Review.objects.filter(case=case).select_related("recorded_by"):
            self.add(
                self.moment(review.held_on, 17, 40),
                review.recorded_by,
                self._role(case, review.recorded_by),
                CHANGED,
                record,
                case,
                "Reviewing progress against the plan",
            )
        for done in MilestoneDone.objects.filter(case=case).select_related("marked_by"):
            self.add(
                self.moment(done.done_on, 17, 50),
                done.marked_by,
                self._role(case, done.marked_by),
                CHANGED,
                record,
                case,
                "Recording progress against the plan",
            )
        for reassessment in Reassessment.objects.filter(case=case).select_related("recorded_by"):
            self.add(
                self.moment(reassessment.held_on, 16),
                reassessment.recorded_by,
                Role.CASE_MANAGER,
                CHANGED,
                record,
                case,
                "Recording a reassessment",
            )
        for revised in RevisedDate.objects.filter(case=case).select_related("set_by"):
            self.add(
                revised.noticed_at,
                revised.set_by,
                Role.CASE_MANAGER,
                CHANGED,
                record,
                case,
                "Setting a new date for the doctor's support",
            )
        for closure in Closure.objects.filter(case=case).select_related("closed_by"):
            self.add(
                self.moment(closure.closed_on, 15),
                closure.closed_by,
                Role.CASE_MANAGER,
                CHANGED,
                record,
                case,
                "Closing the case",
            )

    def _role(self, case: Case, person) -> str:
        return Role.CASE_MANAGER if person.pk == case.case_manager_id else Role.FACILITATOR

    def _responsible_officer(self) -> None:
        """The responsible officer read what is shared two working days after it was first shared with them."""
        request = self.request
        officer = self.demo.staff["responsible_officer"]
        if request.doctor.employer_id != self.demo.organisations["royal"].pk:
            return
        shared = [
            v
            for v in AgreementVersion.objects.filter(agreement__request=request).order_by("number")
            if any(key.split(":")[0] in (Audience.RESPONSIBLE_OFFICER, Audience.EMPLOYER) for key in v.grants)
        ]
        if not shared and not agreement.fixed_grants(request):
            return
        first = shared[0].made_at if shared else request.submitted_at
        self.add(
            self.working_days_after(first, 2, 8, 30),
            officer,
            Role.RESPONSIBLE_OFFICER,
            VIEWED,
            f"What is shared with the responsible officer and employer, request {request.reference}",
            request,
            "Following a formal process the referral is part of"
            if request.mandated
            else "Reading what the doctor chose to share with their responsible officer and employer",
            organisation=request.doctor.employer.name,
        )


def _emergency_reads(demo: Demo) -> list[PastAccess]:
    """The service admin's reads of each record opened under emergency access, as ``read_record`` logs them."""
    rows = []
    grants = EmergencyAccess.objects.filter(service__in=demo.organisations.values(), opened_at__lt=demo.now)
    for grant in grants.select_related("admin", "service", "support_request__doctor"):
        read = AccessRecord.objects.filter(
            actor=grant.admin,
            action=AccessRecord.Action.EMERGENCY,
            object_id=str(grant.support_request_id),
            at__gte=grant.opened_at,
            at__lte=grant.closed_at,
        )
        if read.exists():
            continue
        what = emergency_presenters.record_view(*emergency_access.record_under(grant)).what_was_read
        for after in EMERGENCY_READS_AFTER:
            if grant.opened_at + after < grant.closed_at:
                rows.append(
                    PastAccess(
                        at=grant.opened_at + after,
                        actor=grant.admin,
                        role=Role.SERVICE_ADMIN,
                        organisation=grant.service.name,
                        doctor=grant.support_request.doctor,
                        action=AccessRecord.Action.EMERGENCY,
                        what=what,
                        obj=grant.support_request,
                        purpose=grant.stated_purpose,
                    )
                )
    return rows
