"""Stage checks: find targets that have been missed or are about to be, remind staff, and give the doctor an
honest update with the new date.

Run by the background worker (``run_stage_checks`` task) or from a scheduler with ``manage.py
run_stage_checks``. Running the checks twice on the same day sends nothing new: each missed target is recorded
once (``RevisedDate``), and every email carries a key that makes it go out once.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from supportpath.casework.models import Case, Stage
from supportpath.core.dates import long_date
from supportpath.core.working_days import add_working_days
from supportpath.notifications.tasks import queue_email
from supportpath.pathway.models import NeedsAssessment
from supportpath.plans.models import PlanVersion, VersionStatus

from . import services
from .models import RevisedDate, Target

# How long a missed target is put back by, in working days, when we tell the doctor the new date.
NEW_DATE_AFTER = {Target.INITIAL_CONVERSATION: 5, Target.PLAN_AGREED: 10, Target.MILESTONE: 10}
WARN_DAYS_AHEAD = 2


@dataclass
class Event:
    case: Case
    target: str
    label: str
    due: dt.date  # the date in force: the original, or the last new date the doctor was told
    missed: bool


def _in_force(case: Case, target: str, label: str, original: dt.date, revised: dict) -> dt.date:
    return revised.get((case.pk, target, label), original)


def find_events(today: dt.date) -> list[Event]:
    open_cases = list(
        Case.objects.exclude(stage=Stage.CLOSED).select_related("request__doctor__user", "case_manager", "facilitator")
    )
    ids = [c.pk for c in open_cases]
    revised: dict = {}
    for r in RevisedDate.objects.filter(case_id__in=ids).order_by("new_due"):
        revised[(r.case_id, r.target, r.label)] = r.new_due
    assessed = set(NeedsAssessment.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    agreed = {
        v.plan.case_id: v
        for v in PlanVersion.objects.filter(plan__case_id__in=ids, status=VersionStatus.AGREED).select_related("plan")
    }
    warn_until = add_working_days(today, WARN_DAYS_AHEAD)
    events = []
    for case in open_cases:
        targets = []
        if case.pk not in assessed:
            targets.append((Target.INITIAL_CONVERSATION, "First conversation", case.initial_conversation_due))
        if case.pk not in agreed:
            targets.append((Target.PLAN_AGREED, "Support plan agreed", case.plan_agreed_due))
        else:
            for m in services.milestones(case, today, version=agreed[case.pk]):
                if m.state != "done":
                    targets.append((Target.MILESTONE, m.text, m.due))
        for target, label, original in targets:
            due = _in_force(case, target, label, original, revised)
            if due < today:
                events.append(Event(case, target, label, due, missed=True))
            elif due <= warn_until:
                events.append(Event(case, target, label, due, missed=False))
    return events


def _staff_for(event: Event) -> list:
    people = [event.case.case_manager]
    if event.target == Target.MILESTONE and event.case.facilitator:
        people.append(event.case.facilitator)
    return people


def handle(event: Event, today: dt.date) -> bool:
    """Remind staff, and for a missed target tell the doctor the new date. True if anything new was sent."""
    case, reference = event.case, event.case.request.reference
    if not event.missed:
        for person in _staff_for(event):
            queue_email(
                key=f"stage-due-soon:{case.pk}:{event.target}:{event.label}:{event.due}:{person.pk}",
                to=person.email,
                subject=f'{reference}: "{event.label}" is due by {long_date(event.due)}',
                template="progress/email/due_soon.txt",
                context={
                    "reference": reference,
                    "what": event.label,
                    "due": long_date(event.due),
                    "site_url": settings.SITE_URL,
                },
            )
        return True
    new_due = add_working_days(today, NEW_DATE_AFTER[event.target])
    try:
        with transaction.atomic():
            RevisedDate.objects.create(
                case=case, target=event.target, label=event.label, original_due=event.due, new_due=new_due
            )
    except IntegrityError:
        return False  # already handled by an earlier run
    for person in _staff_for(event):
        queue_email(
            key=f"stage-missed:{case.pk}:{event.target}:{event.label}:{event.due}:{person.pk}",
            to=person.email,
            subject=f'{reference}: "{event.label}" was due on {long_date(event.due)}',
            template="progress/email/missed_staff.txt",
            context={
                "reference": reference,
                "what": event.label,
                "due": long_date(event.due),
                "new_due": long_date(new_due),
                "site_url": settings.SITE_URL,
            },
        )
    doctor = case.request.doctor.user
    queue_email(
        key=f"stage-missed-doctor:{case.pk}:{event.target}:{event.label}:{event.due}",
        to=doctor.email,
        subject="An update on your support: a new date",
        template="progress/email/missed_doctor.txt",
        context={
            "name": doctor.full_name,
            "what": event.label,
            "is_milestone": event.target == Target.MILESTONE,
            "due": long_date(event.due),
            "new_due": long_date(new_due),
            "case_manager": case.case_manager.full_name,
            "site_url": settings.SITE_URL,
        },
    )
    return True


def run_checks(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for event in find_events(today):
        with transaction.atomic():
            sent += handle(event, today)
    return sent


@task()
def run_stage_checks() -> int:
    return run_checks()
