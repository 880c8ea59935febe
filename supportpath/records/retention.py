"""Apply the retention periods: remove every record whose period has passed, record the run and log it.

Safe to run again at any time: each step removes what has expired by now, so a second run the same day finds
nothing (or only what expired in between). Records are removed in batches, each batch in its own transaction
and removed whole (``removal.remove_whole``). Open requests and cases are never removed for their age.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone

from supportpath.accounts.models import AccountEmailRequest, DoctorProfile, PendingRegistration, User
from supportpath.audit.chain import purge_through
from supportpath.audit.models import AccessRecord
from supportpath.notifications.models import SentEmail
from supportpath.peer.models import Answer, GroupMember, MemberStatus, PeerRequest, PeerSupporter, SupporterStatus
from supportpath.referrals.models import ReferralInvitation, SelfReferralDraft, Status, SupportRequest

from . import dormancy, ledger, policy
from .erasure import CLOSED_ACCOUNT_EMAIL_KEY, close_account
from .models import RetentionRun
from .removal import Removed, label_of, remove_whole

logger = logging.getLogger(__name__)

BATCH = 500
ACCESS_LOG_BATCH = 5000
PURGE_CHUNK = 50_000
# Any fixed number: a PostgreSQL advisory lock so that two runs never overlap.
RETENTION_LOCK = 748_202


class Step:
    """What one record type's step found or removed."""

    def __init__(self) -> None:
        self.count = 0
        self.removed = Removed()
        self.notes: list[str] = []
        # Support service id -> how many, for a record type that belongs to one service.
        self.by_service: Counter = Counter()


def apply_retention(*, trigger: str, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionRun:
    errors = policy.check_retention_settings(None)
    if errors:
        raise ImproperlyConfigured("; ".join(e.msg for e in errors))
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=timezone.now(), trigger=trigger, dry_run=dry_run)
    if not _take_lock():
        run.outcome = RetentionRun.Outcome.SKIPPED
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "finished_at"])
        logger.warning("Retention run %s skipped: another run is under way", run.pk)
        return run
    try:
        rows: Counter = Counter()
        for record_type in policy.RECORD_TYPES:
            step = STEPS[record_type.key](record_type, now=now, dry_run=dry_run, run=run)
            run.counts[record_type.key] = step.count
            for service_id, n in step.by_service.items():
                by_service = run.counts.setdefault(RetentionRun.BY_SERVICE, {})
                by_service.setdefault(str(service_id), {})[record_type.key] = n
            rows.update(step.removed.rows)
            run.notes.extend(step.notes)
        if not dry_run:
            written = ledger.write_missing()
            if written:
                run.notes.append(f"{written} erasure ledger files were missing and have been written again.")
        run.rows = {label: n for label, n in sorted(rows.items()) if n}
        run.outcome = RetentionRun.Outcome.COMPLETED
    except Exception as error:
        run.outcome = RetentionRun.Outcome.FAILED
        # The class only: an exception's message can quote data.
        run.error = type(error).__name__
        logger.exception("Retention run %s failed", run.pk)
        raise
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "rows", "notes", "outcome", "error", "finished_at"])
        _release_lock()
    logger.info(
        "Retention run %s (%s%s) completed: %s",
        run.pk,
        trigger,
        ", dry run" if dry_run else "",
        ", ".join(f"{t.key} {run.counts.get(t.key, 0)}" for t in policy.RECORD_TYPES),
    )
    return run


def _take_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: one writer at a time anyway
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RETENTION_LOCK])
        return cursor.fetchone()[0]


def _release_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RETENTION_LOCK])


def _remove_roots(
    model, expired, *, dry_run: bool, step: Step, each: Callable | None = None, service: str | None = None
) -> None:
    """Remove, whole and in batches, the rows of ``expired`` (a queryset of ``model``). Each batch is checked
    again inside its transaction, under lock, so a record that changed meanwhile is left alone. ``service``,
    the path to a row's support service id, counts each batch by service too (``Step.by_service``)."""
    last = 0
    while True:
        pks = list(expired.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not pks:
            return
        last = pks[-1]
        with transaction.atomic():
            if not dry_run:
                pks = list(expired.filter(pk__in=pks).select_for_update(of=("self",)).values_list("pk", flat=True))
            if service is not None:
                step.by_service.update(model.objects.filter(pk__in=pks).values_list(service, flat=True))
            if each is not None:
                for pk in pks:
                    step.removed.add(each(pk, dry_run))
            else:
                step.removed.add(remove_whole(model, pks, dry_run=dry_run))
        step.count += len(pks)


def closed_cases(record_type, *, now, dry_run, run) -> Step:
    step = Step()
    cutoff = timezone.localdate(record_type.cutoff(now))
    expired = SupportRequest.objects.filter(case__closure__closed_on__lt=cutoff)
    _remove_roots(SupportRequest, expired, dry_run=dry_run, step=step, service="service_id")
    return step


def ended_requests(record_type, *, now, dry_run, run) -> Step:
    step = Step()
    expired = (
        SupportRequest.objects.filter(case__isnull=True, status__in=[Status.HANDED_OVER, Status.CLOSED])
        .alias(ended=Coalesce("handed_over_at", "ended_at", "submitted_at"))
        .filter(ended__lt=record_type.cutoff(now))
    )
    _remove_roots(SupportRequest, expired, dry_run=dry_run, step=step, service="service_id")
    return step


def unused_invitations(record_type, *, now, dry_run, run) -> Step:
    """An invitation holds the address the referrer typed, and "send again" needs it while the referral is open,
    so it goes only once the referral has ended (handed over or closed) and its link stopped working long ago."""
    step = Step()
    expired = ReferralInvitation.objects.filter(
        accepted_at__isnull=True,
        expires_at__lt=record_type.cutoff(now),
        request__status__in=[Status.HANDED_OVER, Status.CLOSED],
    )
    _remove_roots(ReferralInvitation, expired, dry_run=dry_run, step=step, service="request__service_id")
    return step


def self_referral_drafts(record_type, *, now, dry_run, run) -> Step:

    step = Step()
    expired = SelfReferralDraft.objects.filter(updated_at__lt=record_type.cutoff(now))
    _delete_in_batches(expired, dry_run=dry_run, step=step)
    return step


def pending_registrations(record_type, *, now, dry_run, run) -> Step:

    step = Step()
    expired = PendingRegistration.objects.filter(created_at__lt=record_type.cutoff(now))
    _delete_in_batches(expired, dry_run=dry_run, step=step)
    return step


def account_email_limits(record_type, *, now, dry_run, run) -> Step:

    step = Step()
    expired = AccountEmailRequest.objects.filter(created_at__lt=record_type.cutoff(now))
    _delete_in_batches(expired, dry_run=dry_run, step=step)
    return step


def dormant_accounts(record_type, *, now, dry_run, run) -> Step:
    """Doctors' accounts with nothing left in them, unused for the period: first warned (``dormancy``), then,
    once warned long enough ago, closed as an erasure closes one.

    Accounts that also hold a staff role are left alone (their staff work is not the doctor's record)."""
    step = Step()
    warned = dormancy.warn(now, dry_run=dry_run)
    if warned:
        step.notes.append(
            f"{warned} {'doctor was' if warned == 1 else 'doctors were'} "
            f"{'to be ' if dry_run else ''}warned that their unused account will be closed."
        )
    expired = dormancy.due_for_closing(now)

    def close(pk, dry_run: bool) -> Removed:
        if dry_run:
            removed = Removed()
            removed.rows[label_of(DoctorProfile)] += 1
            return removed
        return close_account(DoctorProfile.objects.select_related("user").get(pk=pk))

    _remove_roots(DoctorProfile, expired, dry_run=dry_run, step=step, each=close)
    return step


def access_log(record_type, *, now, dry_run, run) -> Step:
    """Trim the access log from its start: rows older than the period, about a doctor of whom no support
    record is left. The chain can lose only a contiguous run from its start, so the first row that must stay
    holds back every row after it until a later run."""
    step = Step()
    cutoff = record_type.cutoff(now)
    last_removable = None
    last_id = 0
    held_back = None
    while held_back is None:
        batch = list(
            AccessRecord.objects.filter(id__gt=last_id)
            .order_by("id")
            .values_list("id", "doctor_id", "at")[:ACCESS_LOG_BATCH]
        )
        if not batch:
            break
        doctor_ids = {doctor_id for _, doctor_id, _ in batch}
        with_records = set(
            SupportRequest.objects.filter(doctor_id__in=doctor_ids).values_list("doctor_id", flat=True).distinct()
        )
        for row_id, doctor_id, at in batch:
            if at >= cutoff:
                held_back = "newer"
                break
            if doctor_id in with_records:
                held_back = row_id
                break
            last_removable = row_id
        last_id = batch[-1][0]
    if last_removable is not None:
        removable = AccessRecord.objects.filter(id__lte=last_removable).count()
        step.count = removable
        step.removed.rows[label_of(AccessRecord)] += removable
        if not dry_run:
            _purge_in_chunks(last_removable, run=run)
    if isinstance(held_back, int):
        step.notes.append(
            f"The access log stops being trimmed at row {held_back}: it is about records still kept, so it and "
            "every row after it stay until those records go."
        )
    step.removed.add(_remove_tombstones(dry_run=dry_run))
    return step


def _purge_in_chunks(last_removable: int, *, run) -> None:
    """One checkpoint per chunk, so no single transaction holds the chain's lock for long."""
    while True:
        ids = AccessRecord.objects.filter(id__lte=last_removable).order_by("id").values_list("id", flat=True)
        nth = list(ids[PURGE_CHUNK - 1 : PURGE_CHUNK])
        through = nth[0] if nth else last_removable
        purge_through(through, run=run)
        if through >= last_removable:
            return


def _remove_tombstones(*, dry_run: bool) -> Removed:
    """Anonymised accounts the access log no longer points at are no longer needed: delete them."""
    removed = Removed()
    tombstones = (
        User.objects.filter(erased_at__isnull=False, doctor_profile__isnull=False)
        .filter(~Exists(AccessRecord.objects.filter(doctor__user=OuterRef("pk"))))
        .filter(~Exists(AccessRecord.objects.filter(actor=OuterRef("pk"))))
        .filter(~Exists(SupportRequest.objects.filter(doctor__user=OuterRef("pk"))))
    )
    for user in tombstones.iterator():
        if dry_run:
            removed.rows[label_of(User)] += 1
            continue
        try:
            with transaction.atomic():
                _, per_model = user.delete()
        except ProtectedError:
            continue  # still named elsewhere (say, as the person who made a referral): kept for now
        removed.rows.update({name.lower(): n for name, n in per_model.items() if n})
    return removed


def _delete_in_batches(queryset, *, dry_run: bool, step: Step) -> None:
    model = queryset.model
    label = label_of(model)
    while True:
        pks = list(queryset.values_list("pk", flat=True)[:BATCH] if not dry_run else [])
        if dry_run:
            n = queryset.count()
            step.count += n
            step.removed.rows[label] += n
            return
        if not pks:
            return
        with transaction.atomic():
            _, per_model = model._base_manager.filter(pk__in=pks).delete()
        step.count += len(pks)
        step.removed.rows.update({name.lower(): n for name, n in per_model.items() if n})


def task_results(record_type, *, now, dry_run, run) -> Step:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    step = Step()
    finished = DBTaskResult.objects.filter(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
    expired = finished.filter(
        Q(finished_at__lt=record_type.cutoff(now)) | Q(args_kwargs__kwargs__key__startswith=CLOSED_ACCOUNT_EMAIL_KEY)
    )
    _delete_in_batches(expired, dry_run=dry_run, step=step)
    return step


def sent_emails(record_type, *, now, dry_run, run) -> Step:

    step = Step()
    expired = SentEmail.objects.filter(
        Q(sent_at__lt=record_type.cutoff(now)) | Q(key__startswith=CLOSED_ACCOUNT_EMAIL_KEY)
    )
    _delete_in_batches(expired, dry_run=dry_run, step=step)
    return step


def sign_in_records(record_type, *, now, dry_run, run) -> Step:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    step = Step()
    cutoff = record_type.cutoff(now)
    # A failure count still inside its lockout is kept whatever the period, or the lock would lift early.
    attempts_cutoff = min(cutoff, now - settings.AXES_COOLOFF_TIME)
    _delete_in_batches(AccessAttempt.objects.filter(attempt_time__lt=attempts_cutoff), dry_run=dry_run, step=step)
    _delete_in_batches(AccessFailureLog.objects.filter(attempt_time__lt=cutoff), dry_run=dry_run, step=step)
    _delete_in_batches(AccessLog.objects.filter(attempt_time__lt=cutoff), dry_run=dry_run, step=step)
    return step


def expired_sessions(record_type, *, now, dry_run, run) -> Step:
    from django.contrib.sessions.models import Session

    step = Step()
    _delete_in_batches(Session.objects.filter(expire_date__lt=record_type.cutoff(now)), dry_run=dry_run, step=step)
    return step


def ended_peer_support(record_type, *, now, dry_run, run) -> Step:
    """A doctor's requests for a peer supporter once every match has ended (with what a peer supporter raised),
    offers to be a peer supporter that were stopped, and places in groups the doctor left or was not given."""
    step = Step()
    cutoff = record_type.cutoff(now)
    open_or_recent = Q(matches__ended_at__gte=cutoff) | Q(
        Q(matches__ended_at__isnull=True)
        & ~Q(matches__doctor_answer=Answer.NO)
        & ~Q(matches__supporter_answer=Answer.NO)
        & Q(matches__isnull=False)
    )
    expired_requests = PeerRequest.objects.filter(asked_at__lt=cutoff).exclude(
        pk__in=PeerRequest.objects.filter(open_or_recent).values("pk")
    )
    _remove_roots(PeerRequest, expired_requests, dry_run=dry_run, step=step)
    stopped = PeerSupporter.objects.filter(status=SupporterStatus.STOPPED, changed_at__lt=cutoff).exclude(
        matches__ended_at__gte=cutoff
    )
    _remove_roots(PeerSupporter, stopped, dry_run=dry_run, step=step)
    gone = GroupMember.objects.filter(status__in=[MemberStatus.LEFT, MemberStatus.NOT_ADMITTED], asked_at__lt=cutoff)
    _remove_roots(GroupMember, gone, dry_run=dry_run, step=step)
    return step


STEPS = {
    "closed_cases": closed_cases,
    "ended_requests": ended_requests,
    "unused_invitations": unused_invitations,
    "self_referral_drafts": self_referral_drafts,
    "pending_registrations": pending_registrations,
    "dormant_accounts": dormant_accounts,
    "access_log": access_log,
    "task_results": task_results,
    "sent_emails": sent_emails,
    "account_email_limits": account_email_limits,
    "sign_in_records": sign_in_records,
    "expired_sessions": expired_sessions,
    "ended_peer_support": ended_peer_support,
}
