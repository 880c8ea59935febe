"""The daily stage checks: look at every open target (first contact of new requests; the first conversation,
the agreed plan, milestones and reviews of open cases, unless support is paused), remind staff of what is due
soon, and when a target has been missed without a new date, tell the doctor honestly that it is late and that
the team will confirm a new date (a date is never invented here: the case manager sets it, with a reason, on
the case page).

Run daily by the background worker (the ``run_stage_checks`` task, queued by ``manage.py
schedule_daily_jobs``; see supportpath/notifications/schedule.py), or by hand with ``manage.py
run_stage_checks``. Running them twice tells nobody anything twice: each notice is recorded
(``TargetNotice``, through ``services.record_notice``) before it is sent, and every email carries a key that
makes it go out once. Staff get at most one email a day, listing everything that needs them, and a reminder
to set a new date for a late target at most every ``REMIND_AGAIN_WORKING_DAYS``. An urgent request still
waiting for first contact after its (shorter) target is also told to its service's admins, once.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from supportpath.accounts.models import Membership, Role, User
from supportpath.casework.models import Case, Stage
from supportpath.core.dates import long_date
from supportpath.core.working_days import add_working_days, is_working_day
from supportpath.notifications.tasks import queue_email
from supportpath.referrals import urgent
from supportpath.referrals.models import Status, SupportRequest

from . import services, targets, worklist
from .models import NoticeKind, Target, TargetNotice
from .targets import TargetState

WARN_WORKING_DAYS = 2
REMIND_AGAIN_WORKING_DAYS = 5
CHUNK = 500


@dataclass
class Item:
    """One line of a staff member's daily reminder."""

    reference: str
    what: str
    due: dt.date
    kind: str
    link: str
    notice_pk: int
    sets_dates: bool  # the case manager, who records new dates (a facilitator agrees one with the doctor)


def _decide(target: TargetState, notices: list[TargetNotice], today: dt.date) -> str | None:
    """What, if anything, to tell people about ``target`` today, given what they have been told before."""
    told = [n for n in notices if (n.target, n.label, n.planned) == target.identity() and n.due == target.due]
    kinds = {n.kind for n in told}
    if target.arranged_for is not None:
        # Arranged, so the doctor knows the date; staff hear once if it is later than the target.
        return NoticeKind.AT_RISK if target.arranged_after_due and NoticeKind.AT_RISK not in kinds else None
    if target.due < today:
        if NoticeKind.LATE not in kinds:
            return NoticeKind.LATE
        last = max(n.sent_on for n in told if n.kind in (NoticeKind.LATE, NoticeKind.STILL_LATE))
        return NoticeKind.STILL_LATE if add_working_days(last, REMIND_AGAIN_WORKING_DAYS) <= today else None
    if target.due <= add_working_days(today, WARN_WORKING_DAYS) and NoticeKind.DUE_SOON not in kinds:
        return NoticeKind.DUE_SOON
    return None


def _link(request: SupportRequest, case: Case | None, target: TargetState, kind: str, *, sets_dates: bool) -> str:
    """Where the person can act on it: the request, the case, or (for the case manager of a late target) the
    page that sets its new date, with the target already chosen."""
    if case is None:
        return reverse("casework:request_detail", args=[request.reference])
    late = kind in (NoticeKind.LATE, NoticeKind.STILL_LATE, NoticeKind.AT_RISK)
    if late and sets_dates:
        return f"{reverse('progress:new_date', args=[case.pk])}?target={target.ref}"
    return reverse("pathway:case_detail", args=[case.pk])


def _what(target: TargetState) -> str:
    # Staff email names a milestone by its date only: the words are the doctor's plan and stay in the product.
    return "A milestone" if target.kind == Target.MILESTONE else target.label


class Checks:
    def __init__(self, today: dt.date):
        self.today = today
        self.digest: dict[int, list[Item]] = defaultdict(list)
        self.people: dict[int, User] = {}
        self.made = 0

    def _handle(self, request: SupportRequest, case: Case | None, target: TargetState, notices, staff) -> None:
        kind = _decide(target, notices, self.today)
        if kind is None:
            return
        with transaction.atomic():
            # Lock the request and look again, so two overlapping runs cannot both tell people.
            SupportRequest.objects.select_for_update().filter(pk=request.pk).first()
            if _decide(target, list(TargetNotice.objects.filter(request=request)), self.today) != kind:
                return
            notice = services.record_notice(services.Notice(request, target, kind, self.today, case))
            self.made += 1
        for person in staff:
            self.people[person.pk] = person
            sets_dates = case is not None and person.pk == case.case_manager_id
            link = _link(request, case, target, kind, sets_dates=sets_dates)
            self.digest[person.pk].append(
                Item(request.reference, _what(target), target.due, kind, link, notice.pk, sets_dates)
            )

    def first_contacts(self) -> None:
        waiting = (
            SupportRequest.objects.filter(
                status=Status.RECEIVED,
                first_contact_on__isnull=True,
                case__isnull=True,
                first_contact_due__lte=add_working_days(self.today, WARN_WORKING_DAYS),
            )
            .select_related("doctor__user", "service")
            .order_by("pk")
        )
        staff_of: dict[int, list[User]] = defaultdict(list)
        for m in Membership.objects.filter(role=Role.CASE_MANAGER).select_related("user"):
            staff_of[m.organisation_id].append(m.user)
        for chunk in _chunks(waiting):
            notices = _notices_for([r.pk for r in chunk])
            for request in chunk:
                target = TargetState(Target.FIRST_CONTACT, Target.FIRST_CONTACT.label, request.first_contact_due)
                self._handle(request, None, target, notices[request.pk], staff_of[request.service_id])
                if request.urgent and request.first_contact_due < self.today and request.urgent_escalated_on is None:
                    self._escalate(request)

    def _escalate(self, request: SupportRequest) -> None:
        """An urgent request past its first-contact target with nobody in touch: its service admins are told,
        once (the day is recorded under a lock, so overlapping runs tell them once)."""
        with transaction.atomic():
            updated = SupportRequest.objects.filter(
                pk=request.pk, urgent_escalated_on__isnull=True, status=Status.RECEIVED
            ).update(urgent_escalated_on=self.today)
            if updated:
                urgent.tell_service_admins(request)
                self.made += 1

    def cases(self) -> None:
        open_cases = (
            Case.objects.exclude(stage=Stage.CLOSED)
            .select_related("request__doctor__user", "request__service", "case_manager", "facilitator")
            .order_by("pk")
        )
        for chunk in _chunks(open_cases):
            loaded = targets.load(chunk, full_reviews=False)
            worklist.store(loaded)  # pauses move dates each day; arranged conversations pass
            notices = _notices_for([c.request_id for c in chunk])
            for case in chunk:
                progress = loaded[case.pk]
                if progress.closure is not None:
                    continue
                for target in progress.open_targets():
                    if target.paused:
                        continue  # nothing is late while support is paused
                    staff = [case.case_manager]
                    if target.kind in (Target.MILESTONE, Target.REVIEW) and case.facilitator_id:
                        staff.append(case.facilitator)
                    self._handle(case.request, case, target, notices[case.request_id], staff)

    def send_reminders(self) -> None:
        """One email per member of staff, listing what needs them today. Its key names the first notice in it,
        so it goes once; a run that makes no new notice sends nothing."""
        for person_pk, items in self.digest.items():
            person = self.people[person_pk]
            queue_email(
                key=f"stage-checks:{person.pk}:{min(i.notice_pk for i in items)}",
                to=person.email,
                subject=f"{len(items)} {'target needs' if len(items) == 1 else 'targets need'} your attention",
                template="progress/email/staff_reminders.txt",
                context={
                    "name": person.full_name,
                    "items": [
                        {
                            "reference": i.reference,
                            "what": i.what,
                            "due": long_date(i.due),
                            "kind": i.kind,
                            "first_contact": i.what == Target.FIRST_CONTACT.label,
                            "sets_dates": i.sets_dates,
                            "link": settings.SITE_URL + i.link,
                        }
                        for i in items
                    ],
                },
            )


def _chunks(queryset):
    chunk = []
    for item in queryset.iterator(chunk_size=CHUNK):
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _notices_for(request_ids: list[int]) -> dict[int, list[TargetNotice]]:
    found: dict[int, list[TargetNotice]] = defaultdict(list)
    for notice in TargetNotice.objects.filter(request_id__in=request_ids):
        found[notice.request_id].append(notice)
    return found


def run_checks(today: dt.date | None = None) -> int:
    """Run the checks for ``today``; the number of new notices. On days off (weekends, bank holidays) they
    wait for the next working day, when the team is there to act on them."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    checks = Checks(today)
    checks.first_contacts()
    checks.cases()
    checks.send_reminders()
    return checks.made


@task()
def run_stage_checks() -> int:
    return run_checks()
