"""How retention runs, periods and erasure requests read on the pages."""

from dataclasses import dataclass

from django.utils import timezone

from supportpath.core.dates import long_date, long_datetime
from supportpath.referrals.models import SupportRequest

from . import policy
from .erasure import answer_due
from .models import ErasureLedgerEntry, ErasureRequest, RetentionRun

SHORT_NAMES = {
    "closed_cases": ("closed case", "closed cases"),
    "ended_requests": ("ended request", "ended requests"),
    "unused_invitations": ("unused invitation", "unused invitations"),
    "self_referral_drafts": ("unsent self-referral", "unsent self-referrals"),
    "pending_registrations": ("unfinished registration", "unfinished registrations"),
    "dormant_accounts": ("unused account", "unused accounts"),
    "access_log": ("access-log row", "access-log rows"),
    "task_results": ("task result", "task results"),
    "sent_emails": ("sent-email row", "sent-email rows"),
    "account_email_limits": ("account-email count", "account-email counts"),
    "sign_in_records": ("sign-in record", "sign-in records"),
    "expired_sessions": ("expired session", "expired sessions"),
}


def counted(key: str, n: int) -> str:
    one, many = SHORT_NAMES.get(key, (key, key))
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class PeriodRow:
    label: str
    kept_for: str
    counted_from: str
    env: str


def period_rows() -> list[PeriodRow]:
    return [PeriodRow(t.label, t.period_text, t.counted_from, t.env) for t in policy.RECORD_TYPES]


@dataclass(frozen=True)
class RunRow:
    started: str
    trigger: str
    outcome: str
    outcome_colour: str
    dry_run: bool
    removed: list[str]
    total: int


OUTCOME_COLOURS = {
    RetentionRun.Outcome.COMPLETED: "nhsuk-tag--green",
    RetentionRun.Outcome.FAILED: "nhsuk-tag--red",
    RetentionRun.Outcome.RUNNING: "nhsuk-tag--blue",
    RetentionRun.Outcome.SKIPPED: "nhsuk-tag--grey",
}


def run_row(run: RetentionRun, service_ids: set[int]) -> RunRow:
    """A run as a service's admin sees it: what it removed of their own services' records, and nothing about
    any other service's, nor the installation's records that belong to no one service (accounts, drafts, the
    access log), whose figures and notes are for the people who run the installation (the command's output
    and the log)."""
    counts = run.counts_for_services(service_ids)
    return RunRow(
        started=long_datetime(run.started_at),
        trigger=run.get_trigger_display(),
        outcome=run.get_outcome_display(),
        outcome_colour=OUTCOME_COLOURS.get(run.outcome, "nhsuk-tag--grey"),
        dry_run=run.dry_run,
        removed=[counted(t.key, counts[t.key]) for t in policy.RECORD_TYPES if counts.get(t.key)],
        total=sum(counts.values()),
    )


@dataclass(frozen=True)
class WaitingRow:
    pk: int
    reference: str
    asked: str
    answer_by: str
    overdue: bool


def waiting_row(erasure_request: ErasureRequest) -> WaitingRow:
    due = answer_due(erasure_request)
    return WaitingRow(
        pk=erasure_request.pk,
        reference=erasure_request.reference,
        asked=long_date(erasure_request.asked_at),
        answer_by=long_date(due),
        overdue=due < timezone.localdate(),
    )


@dataclass(frozen=True)
class DecidedRow:
    reference: str
    decided: str
    outcome: str
    sort_key: object


def decided_rows(declined: list[ErasureRequest], carried_out: list[ErasureLedgerEntry], limit: int) -> list[DecidedRow]:
    rows = [
        DecidedRow(r.reference, long_date(r.decided_at), "Kept, with the reason given to the doctor", r.decided_at)
        for r in declined
    ]
    rows += [
        DecidedRow(
            f"ER-{e.erasure_request_id:06d}" if e.erasure_request_id else "-",
            long_date(e.erased_at),
            f"Erased ({e.rows_removed} rows{', account closed' if e.account_closed else ''})",
            e.erased_at,
        )
        for e in carried_out
    ]
    return sorted(rows, key=lambda r: r.sort_key, reverse=True)[:limit]


@dataclass(frozen=True)
class CoveredRecord:
    reference: str
    began: str
    status: str
    case: str
    mandated: bool


def covered_record(support_request: SupportRequest) -> CoveredRecord:
    case = getattr(support_request, "case", None)
    if case is None:
        case_text = "Not a case"
    else:
        closure = getattr(case, "closure", None)
        case_text = f"Closed on {long_date(closure.closed_on)}" if closure else case.get_stage_display()
    return CoveredRecord(
        reference=support_request.reference,
        began=support_request.get_route_display(),
        status=support_request.get_status_display(),
        case=case_text,
        mandated=support_request.mandated,
    )


@dataclass(frozen=True)
class OwnRequestRow:
    service: str
    asked: str
    status: str
    waiting: bool
    declined: bool
    answer_by: str
    decided: str
    reason: str


def own_request_row(erasure_request: ErasureRequest) -> OwnRequestRow:
    return OwnRequestRow(
        service=erasure_request.service.name,
        asked=long_date(erasure_request.asked_at),
        status=erasure_request.get_status_display(),
        waiting=erasure_request.status == "waiting",
        declined=erasure_request.status == "declined",
        answer_by=long_date(answer_due(erasure_request)),
        decided=long_date(erasure_request.decided_at),
        reason=erasure_request.decline_reason,
    )
